package io.tsam.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tsam.config.LabelNames;
import io.tsam.config.ModelConfig;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import io.tsam.config.TsamConfig;
import io.tsam.model.net.TsamNet;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetWeightsTest {
    private static final int SIZE = 32;

    /** Every other block shifted, so both shifted ({@code .net}) and plain convs are present. */
    private static final ShiftConfig SHIFT = new ShiftConfig(true, 8, 1, 2, 0, ShiftStyle.TSM);

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private TsamNet net(int classes) {
        ModelConfig model = new ModelConfig(2, 1, "resnet18", 0.5, Optional.empty());
        TsamNet net = TsamNet.builder().setModel(model).setShift(SHIFT).setClasses(classes).build();
        net.initialize(manager, DataType.FLOAT32, net.inputShapes(1, SIZE, SIZE));
        return net;
    }

    private static TsamConfig config() {
        return TsamConfig.defaults()
                .withModel(new ModelConfig(2, 1, "resnet18", 0.5, Optional.empty()))
                .withShiftTemporal(SHIFT);
    }

    private static void randomise(TsamNet net, NDManager manager) {
        for (NDArray array : NetWeights.collect(net).values()) {
            array.set(manager.randomUniform(0.5f, 1.5f, array.getShape()).toFloatArray());
        }
    }

    @Test
    void nativeCheckpointRoundTripIntoAnotherNet(@TempDir Path dir) throws Exception {
        TsamNet saved = net(3);
        randomise(saved, manager);
        Path file = dir.resolve("ckpt.safetensors");
        CheckpointInfo info =
                CheckpointInfo.builder()
                        .setConfig(config())
                        .setLabels(LabelNames.indices(3))
                        .setEpoch(1)
                        .build();
        Map<String, NDArray> weights = NetWeights.collect(saved);
        assertTrue(weights.containsKey("base_model.layer1.0.conv1.net.weight"));
        assertTrue(weights.containsKey("base_model.layer1.1.conv1.weight"));
        assertTrue(weights.containsKey("base_model.layer2.0.downsample.1.running_var"));
        NativeCheckpoint.write(file, info, weights, Map.of());

        TsamNet loaded = net(3);
        Map<String, NDArray> before = NetWeights.collect(loaded);
        Map<String, Boolean> gradients = new LinkedHashMap<>();
        before.forEach((name, array) -> gradients.put(name, array.hasGradient()));

        assertEquals(StateDict.Form.TSM, NetWeights.load(loaded, file));
        Map<String, NDArray> after = NetWeights.collect(loaded);
        for (Map.Entry<String, NDArray> entry : weights.entrySet()) {
            String name = entry.getKey();
            assertSame(before.get(name), after.get(name), name);
            assertEquals(gradients.get(name), after.get(name).hasGradient(), name);
            assertArrayEquals(entry.getValue().toFloatArray(), after.get(name).toFloatArray(), 0f);
        }
        assertTrue(after.get("base_model.conv1.weight").hasGradient());
        assertFalse(after.get("base_model.bn1.running_mean").hasGradient());
    }

    @Test
    void torchvisionWeightsInitialiseTheBackboneOnly(@TempDir Path dir) throws Exception {
        TsamNet source = net(3);
        randomise(source, manager);
        // The same backbone under torchvision names, with ImageNet's 1000-class fc.
        Map<String, NDArray> torchvision = new LinkedHashMap<>();
        NetWeights.collect(source)
                .forEach(
                        (name, array) -> {
                            if (name.startsWith("base_model.")) {
                                torchvision.put(
                                        name.substring("base_model.".length())
                                                .replace(".net.", "."),
                                        array);
                            }
                        });
        torchvision.put("fc.weight", manager.zeros(new Shape(1000, 512)));
        torchvision.put("fc.bias", manager.zeros(new Shape(1000)));
        Path file = dir.resolve("resnet18.safetensors");
        Safetensors.write(file, torchvision);

        TsamNet target = net(3);
        float[] head = NetWeights.collect(target).get("new_fc.weight").toFloatArray();
        assertEquals(StateDict.Form.TORCHVISION, NetWeights.load(target, file));
        Map<String, NDArray> expected = NetWeights.collect(source);
        Map<String, NDArray> actual = NetWeights.collect(target);
        for (String name :
                List.of(
                        "base_model.conv1.weight",
                        "base_model.layer1.0.conv1.net.weight",
                        "base_model.layer1.1.conv1.weight",
                        "base_model.layer4.0.downsample.0.weight",
                        "base_model.layer4.1.bn2.running_var")) {
            assertArrayEquals(
                    expected.get(name).toFloatArray(), actual.get(name).toFloatArray(), 0f, name);
        }
        assertArrayEquals(head, actual.get("new_fc.weight").toFloatArray(), 0f);
    }

    @Test
    void aMismatchLeavesTheNetUnchanged(@TempDir Path dir) throws Exception {
        TsamNet saved = net(3);
        Path file = dir.resolve("three.safetensors");
        Safetensors.write(file, NetWeights.collect(saved));
        TsamNet other = net(5);
        float[] conv = NetWeights.collect(other).get("base_model.conv1.weight").toFloatArray();
        CheckpointException e =
                assertThrows(CheckpointException.class, () -> NetWeights.load(other, file));
        assertTrue(
                e.getMessage().contains("new_fc.weight: file [3, 512] vs model [5, 512]"),
                e.getMessage());
        assertArrayEquals(
                conv, NetWeights.collect(other).get("base_model.conv1.weight").toFloatArray(), 0f);
    }
}
