package io.tsam.trainer.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void handCheckedThreeClassExample() {
        float[][] scores = {
            {0.7f, 0.2f, 0.1f}, // label 0, predicted 0
            {0.1f, 0.3f, 0.6f}, // label 0, predicted 2
            {0.2f, 0.5f, 0.3f}, // label 1, predicted 1
            {0.5f, 0.4f, 0.1f}, // label 1, predicted 0
            {0.3f, 0.3f, 0.4f}, // label 1, predicted 2
        };
        int[] labels = {0, 0, 1, 1, 1};
        ClassificationMetrics m = ClassificationMetrics.of(scores, labels);
        assertEquals(5, m.count());
        assertEquals(3, m.classes());
        assertEquals(2 / 5.0, m.top1(), EPS);
        // k = min(5, 3) = 3 classes: every label is within the top 3.
        assertEquals(1.0, m.top5(), EPS);
        // Class 0: 1 of 2; class 1: 1 of 3; class 2 never occurs and is left out.
        assertEquals((0.5 + 1 / 3.0) / 2, m.meanClassAccuracy(), EPS);
        assertArrayEquals(new int[] {1, 0, 1}, m.confusion()[0]);
        assertArrayEquals(new int[] {1, 1, 1}, m.confusion()[1]);
        assertArrayEquals(new int[] {0, 0, 0}, m.confusion()[2]);
        assertTrue(m.meanLoss().isEmpty());
        assertEquals(0.25, m.withMeanLoss(0.25).meanLoss().getAsDouble());
    }

    @Test
    void topFiveCountsLabelsRankedFifthOrBetter() {
        int classes = 7;
        // Scores 6, 5, 4, ... for classes 0..6: class c ranks c-th.
        float[] row = {6, 5, 4, 3, 2, 1, 0};
        float[] flat = new float[classes * classes];
        int[] labels = new int[classes];
        for (int i = 0; i < classes; i++) {
            System.arraycopy(row, 0, flat, i * classes, classes);
            labels[i] = i;
        }
        ClassificationMetrics m = ClassificationMetrics.of(flat, classes, labels);
        assertEquals(5, ClassificationMetrics.topK(classes));
        assertEquals(1 / 7.0, m.top1(), EPS);
        assertEquals(5 / 7.0, m.top5(), EPS);
        assertEquals(1 / 7.0, m.meanClassAccuracy(), EPS);
        for (int i = 0; i < classes; i++) {
            assertEquals(1, m.confusion()[i][0]);
        }
    }

    @Test
    void tiesGoToTheLowestClassAndNanRanksLast() {
        int classes = 6;
        // All equal: class 0 is predicted; labels 0..4 are in the top 5 by index, label 5 not.
        float[] equal = new float[classes * classes];
        int[] labels = {0, 1, 2, 3, 4, 5};
        ClassificationMetrics tie = ClassificationMetrics.of(equal, classes, labels);
        assertEquals(1 / 6.0, tie.top1(), EPS);
        assertEquals(5 / 6.0, tie.top5(), EPS);
        // A NaN score is never predicted over a number, and a NaN label score ranks last.
        float nan = Float.NaN;
        float[] withNan = {nan, 1, 0, 0, 0, 0};
        ClassificationMetrics m = ClassificationMetrics.of(withNan, classes, new int[] {0});
        assertEquals(1, m.confusion()[0][1]);
        assertEquals(0.0, m.top5(), EPS);
    }

    @Test
    void rejectsMismatchedInput() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ClassificationMetrics.of(new float[5], 2, new int[] {0, 1}));
        IllegalArgumentException label =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ClassificationMetrics.of(new float[4], 2, new int[] {0, 2}));
        assertTrue(label.getMessage().contains("label 2"), label.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> ClassificationMetrics.of(new float[][] {{1, 2}, {1}}, new int[] {0, 0}));
        assertThrows(
                IllegalArgumentException.class,
                () -> ClassificationMetrics.of(new float[0][], new int[0]));
    }
}
