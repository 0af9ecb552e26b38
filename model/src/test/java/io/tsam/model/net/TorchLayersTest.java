package io.tsam.model.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TorchLayersTest {

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), Fixtures.ENGINE);
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void batchNormUpdatesRunningStatsAsTorchWithTheUnbiasedVariance() {
        BatchNorm bn = TorchLayers.batchNorm();
        Shape shape = new Shape(4, 3, 5, 5);
        bn.initialize(manager, DataType.FLOAT32, shape);
        Map<String, Parameter> params = PyTorchNames.of(bn);
        float[] oldMean = {0.5f, -1f, 2f};
        float[] oldVar = {2f, 0.5f, 1f};
        params.get("running_mean").getArray().set(oldMean);
        params.get("running_var").getArray().set(oldVar);
        NDArray x = manager.arange(0f, shape.size()).reshape(shape).sin().mul(3).add(1);

        bn.forward(new ParameterStore(manager, false), new NDList(x), true);

        long count = shape.size() / shape.get(1);
        NDArray perChannel = x.transpose(1, 0, 2, 3).reshape(3, count);
        NDArray batchMean = perChannel.mean(new int[] {1});
        NDArray squares = perChannel.sub(batchMean.reshape(3, 1)).square().sum(new int[] {1});
        NDArray unbiased = squares.div(count - 1);
        NDArray biased = squares.div(count);
        float[] mean = params.get("running_mean").getArray().toFloatArray();
        float[] var = params.get("running_var").getArray().toFloatArray();
        float[] expectedMean = blend(oldMean, batchMean.toFloatArray());
        float[] expectedVar = blend(oldVar, unbiased.toFloatArray());
        assertArrayEquals(expectedMean, mean, 1e-5f);
        assertArrayEquals(expectedVar, var, 1e-5f);
        // The check can tell the two variances apart: they differ by a factor 100/99 here.
        float[] withBiased = blend(oldVar, biased.toFloatArray());
        assertTrue(Math.abs(withBiased[0] - var[0]) > 1e-3f);
    }

    @Test
    void batchNormInEvalModeUsesAndKeepsTheRunningStats() {
        BatchNorm bn = TorchLayers.batchNorm();
        Shape shape = new Shape(2, 2, 1, 1);
        bn.initialize(manager, DataType.FLOAT32, shape);
        Map<String, Parameter> params = PyTorchNames.of(bn);
        params.get("weight").getArray().set(new float[] {2f, 1f});
        params.get("bias").getArray().set(new float[] {0f, 1f});
        params.get("running_mean").getArray().set(new float[] {1f, 0f});
        params.get("running_var").getArray().set(new float[] {4f, 1f});
        NDArray x = manager.create(new float[] {3f, 5f, -1f, 0f}, shape);

        NDArray y =
                bn.forward(new ParameterStore(manager, false), new NDList(x), false)
                        .singletonOrThrow();

        double s0 = Math.sqrt(4 + TorchLayers.BN_EPSILON);
        double s1 = Math.sqrt(1 + TorchLayers.BN_EPSILON);
        float[] expected = {
            (float) (2 * (3 - 1) / s0), (float) (5 / s1 + 1),
            (float) (2 * (-1 - 1) / s0), (float) (0 / s1 + 1)
        };
        assertArrayEquals(expected, y.toFloatArray(), 1e-6f);
        assertArrayEquals(
                new float[] {1f, 0f}, params.get("running_mean").getArray().toFloatArray());
        assertArrayEquals(
                new float[] {4f, 1f}, params.get("running_var").getArray().toFloatArray());
    }

    @Test
    void convWeightsAreKaimingNormalFanOut() {
        Conv2d conv = TorchLayers.conv(64, 3, 1, 1);
        conv.initialize(manager, DataType.FLOAT32, new Shape(1, 64, 4, 4));
        NDArray weight = conv.getParameters().get("weight").getArray();
        assertEquals(new Shape(64, 64, 3, 3), weight.getShape());
        double expectedStd = Math.sqrt(2.0 / (64 * 9));
        // 36864 draws: the sample std is within 2 % with overwhelming probability.
        assertEquals(expectedStd, std(weight), expectedStd * 0.02);
        assertEquals(0, weight.mean().getFloat(), expectedStd * 0.03);
        assertNull(conv.getParameters().get("bias"));
    }

    @Test
    void batchNormStartsAtIdentity() {
        BatchNorm bn = TorchLayers.batchNorm();
        bn.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 2, 2));
        Map<String, Parameter> params = PyTorchNames.of(bn);
        assertArrayEquals(new float[] {1, 1, 1}, params.get("weight").getArray().toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, params.get("bias").getArray().toFloatArray());
        assertArrayEquals(
                new float[] {0, 0, 0}, params.get("running_mean").getArray().toFloatArray());
        assertArrayEquals(
                new float[] {1, 1, 1}, params.get("running_var").getArray().toFloatArray());
        assertTrue(params.get("weight").requiresGradient());
        assertFalse(params.get("running_var").requiresGradient());
    }

    @Test
    void headWeightIsNormalWithStdOneThousandthAndBiasZero() {
        Linear head = TorchLayers.head(1000);
        head.initialize(manager, DataType.FLOAT32, new Shape(1, 512));
        NDArray weight = head.getParameters().get("weight").getArray();
        assertEquals(new Shape(1000, 512), weight.getShape());
        assertEquals(TorchLayers.HEAD_WEIGHT_STD, std(weight), 1e-5);
        NDArray bias = head.getParameters().get("bias").getArray();
        assertEquals(0f, bias.abs().max().getFloat());
    }

    @Test
    void initialisationIsRepeatableUnderTheEngineSeed() {
        float[] first = seededConvWeights(42);
        float[] second = seededConvWeights(42);
        float[] other = seededConvWeights(43);
        assertArrayEquals(first, second);
        assertFalse(Arrays.equals(first, other));
    }

    private float[] seededConvWeights(int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Conv2d conv = TorchLayers.conv(8, 3, 1, 1);
        conv.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 4, 4));
        return conv.getParameters().get("weight").getArray().toFloatArray();
    }

    private static double std(NDArray values) {
        NDArray centred = values.sub(values.mean());
        return Math.sqrt(centred.square().mean().getFloat());
    }

    /** Torch's update: {@code 0.9 * old + 0.1 * batch}. */
    private static float[] blend(float[] old, float[] batch) {
        float[] out = new float[old.length];
        for (int i = 0; i < old.length; i++) {
            out[i] = 0.9f * old[i] + 0.1f * batch[i];
        }
        return out;
    }
}
