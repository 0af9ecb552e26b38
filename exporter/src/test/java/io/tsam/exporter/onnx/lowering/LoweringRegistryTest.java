package io.tsam.exporter.onnx.lowering;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import io.tsam.config.ShiftConfig;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.TestNets;
import io.tsam.exporter.onnx.TsamOnnxExporter;
import io.tsam.model.net.BasicBlock;
import io.tsam.model.net.Downsample;
import io.tsam.model.net.ResNetBackbone;
import io.tsam.model.net.ResNetStage;
import io.tsam.model.net.ShiftedConv;
import io.tsam.model.net.TsamNet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoweringRegistryTest {

    private static NDManager manager;
    private static TsamConfig config;
    private static TsamNet net;

    @BeforeAll
    static void build() {
        manager = NDManager.newBaseManager(Device.cpu());
        config = TestNets.config("resnet18", 2, 1, ShiftConfig.defaults(), 32);
        net = TestNets.net(manager, config, 3, 9);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void theStandardRegistryHasNoBatchNormEntry() {
        LoweringRegistry standard = LoweringRegistry.standard();

        assertTrue(standard.supports(BasicBlock.class));
        assertTrue(standard.supports(ShiftedConv.class));
        assertFalse(standard.supports(BatchNorm.class));
    }

    @Test
    void anUnsupportedBlockFailsTheExportNamingItsPath() {
        LoweringRegistry withoutBasicBlock =
                base().add(ShiftedConv.class, new ShiftedConvLowering()).build();

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> export(withoutBasicBlock));

        assertTrue(
                e.getMessage().contains("cannot export block base_model.layer1.0"), e.getMessage());
        assertTrue(e.getMessage().contains(BasicBlock.class.getName()), e.getMessage());
    }

    @Test
    void aBatchNormThatNoConvTakesFailsTheExport() {
        UnaryLowering<ShiftedConv> shiftOnly = (block, input, context) -> input;
        LoweringRegistry broken =
                base().add(BasicBlock.class, new ResidualBlockLowering())
                        .add(ShiftedConv.class, shiftOnly)
                        .build();

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> export(broken));

        assertTrue(
                e.getMessage().contains("BatchNorm base_model.layer1.0.bn1 cannot be folded"),
                e.getMessage());
    }

    @Test
    void aTypeIsRegisteredOnce() {
        assertThrows(
                IllegalArgumentException.class,
                () -> base().add(Conv2d.class, new Conv2dLowering()));
    }

    private static LoweringRegistry.Builder base() {
        return LoweringRegistry.builder()
                .add(TsamNet.class, new TsamNetLowering())
                .add(ResNetBackbone.class, new ResNetBackboneLowering())
                .add(ResNetStage.class, new ResNetStageLowering())
                .add(Downsample.class, new DownsampleLowering())
                .add(Conv2d.class, new Conv2dLowering())
                .add(Linear.class, new LinearLowering());
    }

    private static void export(LoweringRegistry registry) {
        TsamOnnxExporter.builder()
                .setNet(net)
                .setConfig(config)
                .setCheckpointSha256("0".repeat(64))
                .optRegistry(registry)
                .build()
                .export();
    }
}
