package io.tsam.trainer.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tsam.config.ClipAverage;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoScoresTest {
    @Test
    void averagesClipProbabilitiesPerVideo() {
        VideoScores scores = new VideoScores(2, ClipAverage.PROBS);
        // Video a: clip logits (0, ln 3) -> (1/4, 3/4); (ln 3, 0) -> (3/4, 1/4): mean (1/2, 1/2).
        // Video b: clip (0, 0) -> (1/2, 1/2), then clip (ln 9, 0) -> (9/10, 1/10).
        float ln3 = (float) Math.log(3);
        float ln9 = (float) Math.log(9);
        scores.add(List.of("a", "b"), new int[] {1, 0}, new float[] {0, ln3, 0, 0});
        scores.add(List.of("a", "b"), new int[] {1, 0}, new float[] {ln3, 0, ln9, 0});
        List<VideoScore> videos = scores.videos();
        assertEquals(2, videos.size());
        VideoScore a = videos.get(0);
        assertEquals("a", a.id());
        assertEquals(2, a.clips());
        assertEquals(0.5, a.probabilities()[0], 1e-6);
        assertEquals(0.5, a.probabilities()[1], 1e-6);
        // Tie: the lower class is predicted.
        assertEquals(0, a.predicted());
        VideoScore b = videos.get(1);
        assertEquals((0.5 + 0.9) / 2, b.probabilities()[0], 1e-6);
        assertEquals((0.5 + 0.1) / 2, b.probabilities()[1], 1e-6);
        assertEquals(0, b.predicted());

        ClassificationMetrics m = scores.metrics();
        assertEquals(2, m.count());
        // a (label 1) predicted 0, b (label 0) predicted 0.
        assertEquals(0.5, m.top1(), 1e-12);
        assertEquals(1, m.confusion()[1][0]);
        assertEquals(1, m.confusion()[0][0]);
    }

    @Test
    void averagingProbabilitiesIsNotAveragingLogits() {
        // One clip (10, 0) and four clips (0, 1): the mean logits (2, 0.8) favour class 0, the
        // mean probabilities favour class 1 (p1 = (sigmoid(-10) + 4 sigmoid(1)) / 5 = 0.585).
        VideoScores scores = new VideoScores(2, ClipAverage.PROBS);
        scores.addClip("v", 0, new float[] {10, 0}, 0);
        for (int i = 0; i < 4; i++) {
            scores.addClip("v", 0, new float[] {0, 1}, 0);
        }
        float[] p = scores.videos().get(0).probabilities();
        double expected1 = (1 / (1 + Math.exp(10)) + 4 / (1 + Math.exp(-1))) / 5;
        assertEquals(expected1, p[1], 1e-6);
        assertEquals(1, scores.videos().get(0).predicted());
        assertEquals(0.0, scores.metrics().top1());
    }

    @Test
    void softmaxStaysFiniteForHugeLogits() {
        VideoScores scores = new VideoScores(3, ClipAverage.PROBS);
        scores.addClip("v", 2, new float[] {1e30f, -1e30f, 1e30f}, 0);
        float[] p = scores.videos().get(0).probabilities();
        assertEquals(0.5, p[0], 1e-6);
        assertEquals(0.0, p[1], 1e-6);
        assertEquals(0.5, p[2], 1e-6);
    }

    @Test
    void rejectsInconsistentInput() {
        VideoScores scores = new VideoScores(2, ClipAverage.PROBS);
        scores.addClip("v", 1, new float[] {0, 0}, 0);
        assertThrows(
                IllegalArgumentException.class,
                () -> scores.addClip("v", 0, new float[] {0, 0}, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> scores.addClip("w", 2, new float[] {0, 0}, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> scores.add(List.of("x"), new int[] {0}, new float[] {0, 0, 0}));
        assertThrows(
                IllegalArgumentException.class,
                () -> new VideoScores(2, ClipAverage.PROBS).metrics());
    }
}
