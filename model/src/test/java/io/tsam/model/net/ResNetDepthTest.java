package io.tsam.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.tsam.config.ShiftConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResNetDepthTest {

    @Test
    void namesTheFourDepths() {
        assertEquals(ResNetDepth.RESNET18, ResNetDepth.of("resnet18"));
        assertEquals(ResNetDepth.RESNET34, ResNetDepth.of("resnet34"));
        assertEquals(ResNetDepth.RESNET50, ResNetDepth.of("resnet50"));
        assertEquals(ResNetDepth.RESNET101, ResNetDepth.of("resnet101"));
        assertEquals(512, ResNetDepth.RESNET34.featureDim());
        assertEquals(2048, ResNetDepth.RESNET101.featureDim());
        assertEquals(23, ResNetDepth.RESNET101.blocks(2));
    }

    @Test
    void unknownArchNamesTheFieldAndTheChoices() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ResNetDepth.of("resnet152"));
        assertTrue(e.getMessage().contains("model.arch"));
        assertTrue(e.getMessage().contains("resnet152"));
        assertTrue(e.getMessage().contains("resnet18, resnet34, resnet50, resnet101"));
    }

    /** Trainable parameters with a 1000-class head equal torchvision's published counts. */
    @ParameterizedTest
    @CsvSource({
        "resnet18, 11689512",
        "resnet34, 21797672",
        "resnet50, 25557032",
        "resnet101, 44549160"
    })
    void trainableParametersMatchTorchvision(String arch, long expected) {
        TsamNet net =
                TsamNet.builder()
                        .setModel(Fixtures.model(1, 0, arch))
                        .setShift(ShiftConfig.defaults())
                        .setClasses(1000)
                        .build();
        long trainable = 0;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Fixtures.ENGINE)) {
            net.initialize(manager, DataType.FLOAT32, net.inputShapes(1, 32, 32));
            for (Parameter parameter : PyTorchNames.of(net).values()) {
                if (parameter.requiresGradient()) {
                    trainable += parameter.getShape().size();
                }
            }
        }
        assertEquals(expected, trainable);
    }
}
