package io.tsam.exporter;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.tsam.config.AugmentationConfig;
import io.tsam.config.ModelConfig;
import io.tsam.config.ResizeMode;
import io.tsam.config.ShiftConfig;
import io.tsam.config.TsamConfig;
import io.tsam.model.net.PyTorchNames;
import io.tsam.model.net.TsamNet;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.DoubleSupplier;

/** Small TSAM nets with seeded, non-trivial weights and BatchNorm statistics for the tests. */
public final class TestNets {

    private TestNets() {}

    /** A model file with the given network and {@code crop x crop} images. */
    public static TsamConfig config(
            String arch, int videoSegments, int audioSegments, ShiftConfig shift, int crop) {
        return TsamConfig.defaults()
                .withModel(
                        new ModelConfig(videoSegments, audioSegments, arch, 0.5, Optional.empty()))
                .withShiftTemporal(shift)
                .withDataAugmentation(
                        AugmentationConfig.imagenet(crop, crop, ResizeMode.SQUARE, true));
    }

    /**
     * Builds and initialises the net of {@code config} in {@code manager}, then draws every weight
     * from {@code seed}: Kaiming convs, BatchNorms with scale in [0.3, 0.8), shift and running mean
     * N(0, 0.1) and running variance in [0.5, 1.5), and a unit-scale head so the logits are of
     * order 1 and an absolute tolerance means something.
     */
    public static TsamNet net(NDManager manager, TsamConfig config, int classes, long seed) {
        TsamNet net =
                TsamNet.builder()
                        .setModel(config.model())
                        .setShift(config.shiftTemporal())
                        .setClasses(classes)
                        .build();
        Engine.getInstance().setRandomSeed((int) seed);
        int crop = config.dataAugmentation().cropSize();
        net.initialize(manager, DataType.FLOAT32, net.inputShapes(1, crop, crop));
        Random random = new Random(seed);
        for (Map.Entry<String, Parameter> entry : PyTorchNames.of(net).entrySet()) {
            String name = entry.getKey();
            NDArray array = entry.getValue().getArray();
            int size = Math.toIntExact(array.size());
            float[] values = null;
            if (name.endsWith("running_mean") || isBatchNorm(name, array, "bias")) {
                values = draw(size, () -> 0.1 * random.nextGaussian());
            } else if (name.endsWith("running_var")) {
                values = draw(size, () -> 0.5 + random.nextDouble());
            } else if (isBatchNorm(name, array, "weight")) {
                values = draw(size, () -> 0.3 + 0.5 * random.nextDouble());
            } else if (name.equals("new_fc.weight")) {
                double std = 1 / Math.sqrt(array.getShape().get(1));
                values = draw(size, () -> std * random.nextGaussian());
            } else if (name.equals("new_fc.bias")) {
                values = draw(size, () -> 0.1 * random.nextGaussian());
            }
            if (values != null) {
                array.set(values);
            }
        }
        return net;
    }

    private static boolean isBatchNorm(String name, NDArray array, String suffix) {
        return !name.startsWith("new_fc.")
                && name.endsWith("." + suffix)
                && array.getShape().dimension() == 1;
    }

    private static float[] draw(int size, DoubleSupplier value) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) value.getAsDouble();
        }
        return values;
    }
}
