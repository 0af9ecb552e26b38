package io.tsam.exporter.onnx.lowering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BatchNormFoldingTest {

    @Test
    void foldsScaleIntoTheWeightAndShiftIntoTheBias() {
        // Channel 0: scale 1 / sqrt(3 + 1) = 0.5; channel 1: scale 2 / sqrt(0 + 1) = 2.
        float[] weight = {2, 4, 3, -1};
        float[] bias = {0, 1};
        float[] gamma = {1, 2};
        float[] beta = {0.5f, -1};
        float[] mean = {1, 0};
        float[] variance = {3, 0};

        BatchNormFolding.Folded folded =
                BatchNormFolding.fold(weight, bias, gamma, beta, mean, variance, 1.0);

        assertArrayEquals(new float[] {1, 2, 6, -2}, folded.weight(), 0f);
        // 0.5 + (0 - 1) * 0.5 = 0 and -1 + (1 - 0) * 2 = 1.
        assertArrayEquals(new float[] {0, 1}, folded.bias(), 0f);
        assertArrayEquals(new float[] {2, 4, 3, -1}, weight, 0f);
    }

    @Test
    void theFoldIsComputedInDoubleAndRoundedOnce() {
        float[] weight = {0.1f};
        float[] variance = {0.3f};

        BatchNormFolding.Folded folded =
                BatchNormFolding.fold(
                        weight,
                        new float[1],
                        new float[] {0.7f},
                        new float[1],
                        new float[1],
                        variance,
                        1e-5f);

        double exact = 0.1f * (0.7f / Math.sqrt((double) 0.3f + 1e-5f));
        assertArrayEquals(new float[] {(float) exact}, folded.weight(), 0f);
    }

    @Test
    void mismatchedLengthsAreRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        BatchNormFolding.fold(
                                new float[6],
                                new float[2],
                                new float[3],
                                new float[2],
                                new float[2],
                                new float[2],
                                1e-5));
    }
}
