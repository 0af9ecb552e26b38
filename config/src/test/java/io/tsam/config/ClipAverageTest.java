package io.tsam.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClipAverageTest {

    @Test
    void logitsAreAveragedBeforeTheSoftmax() {
        // Clips (ln 1, ln 4) and (ln 4, ln 1): mean logits are equal, so 0.5 / 0.5.
        float[] logits = {0f, (float) Math.log(4), (float) Math.log(4), 0f};
        assertArrayEquals(
                new double[] {0.5, 0.5}, ClipAverage.LOGITS.probabilities(logits, 0, 2, 2), 1e-7);
    }

    @Test
    void probabilitiesAreTheMeanOfEachClipsSoftmax() {
        // Clip 1 (0.2, 0.8), clip 2 (0.5, 0.5): the mean is (0.35, 0.65).
        float[] logits = {0f, (float) Math.log(4), 3f, 3f};
        assertArrayEquals(
                new double[] {0.35, 0.65}, ClipAverage.PROBS.probabilities(logits, 0, 2, 2), 1e-7);
    }

    @Test
    void theTwoAveragesRankDifferentlyWhenOneClipIsVeryConfident() {
        // Clip 1 is sure of class 0 (20 vs 0); clips 2 and 3 prefer class 1 (0 vs 2). Mean logits
        // (6.7, 1.3) pick class 0; a probability saturates at 1, so the mean (0.41, 0.59) picks 1.
        float[] logits = {20f, 0f, 0f, 2f, 0f, 2f};
        double[] byLogits = ClipAverage.LOGITS.probabilities(logits, 0, 3, 2);
        double[] byProbs = ClipAverage.PROBS.probabilities(logits, 0, 3, 2);
        assertTrue(byLogits[0] > byLogits[1], "mean logits: class 0");
        assertTrue(byProbs[0] < byProbs[1], "mean probabilities: class 1");
        assertEquals((1 + 2 / (1 + Math.exp(2))) / 3, byProbs[0], 1e-7);
    }

    @Test
    void largeLogitsDoNotOverflowAndOffsetsSelectTheVideo() {
        float[] logits = {9f, 1000f, 1000f, 0f};
        assertArrayEquals(
                new double[] {0.5, 0.5}, ClipAverage.PROBS.probabilities(logits, 1, 1, 2), 1e-12);
        assertArrayEquals(
                new double[] {0.5, 0.5}, ClipAverage.LOGITS.probabilities(logits, 1, 1, 2), 1e-12);
    }
}
