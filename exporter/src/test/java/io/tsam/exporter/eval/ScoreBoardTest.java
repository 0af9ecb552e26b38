package io.tsam.exporter.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.config.ClipAverage;
import io.tsam.exporter.eval.EvaluationReport.FailedVideo;
import io.tsam.exporter.verify.Tolerance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreBoardTest {

    private static final Path LIST = Path.of("validation.txt");

    @Test
    void clipProbabilitiesAreAveragedPerVideoAndScoredAgainstTheLabel() {
        ScoreBoard board = new ScoreBoard(6, ClipAverage.PROBS, Tolerance.FP32);
        // Label 2 wins outright in both.
        board.add(2, new float[] {0, 0, 5, 0, 0, 0}, new float[] {0, 0, 5, 0, 0, 0});
        // Label 0: clip 1 says 0 (p = 0.80), clip 2 says 1 (p = 0.92), so the mean ranks 1
        // first and 0 second: a top-5 hit, not a top-1 hit, in both.
        float[] twoClips = {3, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0};
        float[] twoClipsDjl = {3, 0, 0, 0, 0, 0, 0, 4.001f, 0, 0, 0, 0};
        board.add(0, twoClips, twoClipsDjl);
        // Label 5: last for ONNX (outside the top 5), first for DJL: they disagree.
        board.add(5, new float[] {5, 4, 3, 2, 1, 0}, new float[] {0, 0, 0, 0, 0, 5});

        EvaluationReport report = board.report(LIST, 2, List.of());

        assertEquals(3, report.videos());
        assertEquals(3, report.scored());
        assertEquals(5, report.topK());
        assertEquals(1 / 3.0, report.onnx().top1(), 1e-12);
        assertEquals(2 / 3.0, report.onnx().top5(), 1e-12);
        assertEquals(2 / 3.0, report.djl().top1(), 1e-12);
        assertEquals(1.0, report.djl().top5(), 1e-12);
        assertEquals(-1 / 3.0, report.drift().top1(), 1e-12);
        assertEquals(-1 / 3.0, report.drift().top5(), 1e-12);
        assertEquals(2, report.agreeing());
        assertEquals(2 / 3.0, report.top1Agreement(), 1e-12);
        assertEquals(5.0, report.maxAbsLogitDifference(), 1e-12);
        assertFalse(report.partial());
    }

    @Test
    void topFiveCoversEveryClassOfASmallModel() {
        ScoreBoard board = new ScoreBoard(3, ClipAverage.PROBS, Tolerance.FP32);
        board.add(2, new float[] {9, 5, 0}, new float[] {9, 5, 0});

        EvaluationReport report = board.report(LIST, 1, List.of());

        assertEquals(3, report.topK());
        assertEquals(0.0, report.onnx().top1());
        assertEquals(1.0, report.onnx().top5());
        assertTrue(report.table().contains("top-3"), report.table());
    }

    @Test
    void failedVideosAreCountedAndANaNLogitIsNotHidden() {
        ScoreBoard board = new ScoreBoard(2, ClipAverage.PROBS, Tolerance.FP32);
        board.add(0, new float[] {Float.NaN, 0}, new float[] {1, 0});

        EvaluationReport report =
                board.report(LIST, 1, List.of(new FailedVideo("b", "b.mp4: not media")));

        assertEquals(2, report.videos());
        assertEquals(1, report.scored());
        assertTrue(report.partial());
        assertTrue(Double.isNaN(report.maxAbsLogitDifference()));
        assertEquals(0.0, report.onnx().top1(), "a NaN score is never a hit");
        assertEquals(1.0, report.djl().top1());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> failed = (List<Map<String, Object>>) report.toMap().get("failed");
        assertEquals(List.of(Map.of("id", "b", "reason", "b.mp4: not media")), failed);
    }

    @Test
    void withNothingScoredTheRatesAreNullInJsonAndTheTableSaysSo() {
        EvaluationReport report =
                new ScoreBoard(4, ClipAverage.PROBS, Tolerance.FP32)
                        .report(LIST, 1, List.of(new FailedVideo("a", "a.mp4: empty")));

        Map<String, Object> map = report.toMap();

        assertEquals(0, map.get("scored"));
        assertNull(((Map<?, ?>) map.get("onnx")).get("top1"));
        assertNull(map.get("top1_agreement"));
        assertNull(map.get("max_abs_logit_difference"));
        assertTrue(report.table().contains("no video could be decoded"), report.table());
    }

    @Test
    void logitsThatAreNotWholeClipsAreRejected() {
        ScoreBoard board = new ScoreBoard(3, ClipAverage.PROBS, Tolerance.FP32);

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> board.add(0, new float[] {1, 2, 3, 4}, new float[] {1, 2, 3, 4}));

        assertTrue(e.getMessage().contains("[clips, 3]"), e.getMessage());
    }
}
