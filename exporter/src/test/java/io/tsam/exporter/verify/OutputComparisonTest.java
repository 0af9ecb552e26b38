package io.tsam.exporter.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputComparisonTest {

    private static final long[] SHAPE = {2, 3};

    @Test
    void errorsAreAgainstTheReferenceAndTopOneIsPerRow() {
        float[] djl = {1, 2, 4, -1, 0.5f, 0.25f};
        float[] onnx = {1, 2.5f, 4, -1, 0.5f, 0.75f};

        OutputComparison c =
                OutputComparison.of("in", "logits", SHAPE, onnx, djl, new Tolerance(0.6, 0));

        assertEquals(0.5, c.maxAbsError(), 1e-9);
        assertEquals(0.5 / 4, c.maxRelError(), 1e-9);
        // Row 0 keeps class 2; row 1 moves from class 1 to class 2.
        assertEquals(0.5, c.top1Agreement(), 1e-9);
        assertEquals(0.5 / 0.6, c.worstRatio(), 1e-9);
        assertTrue(c.passed());
        assertFalse(
                OutputComparison.of("in", "logits", SHAPE, onnx, djl, new Tolerance(0.4, 0))
                        .passed());
    }

    @Test
    void theRelativeTermFollowsEachExpectedValueAsNumpyAllclose() {
        float[] djl = {1000, -1000, 0.001f, 10, 20, 30};
        float[] onnx = {1000.9f, -1000.9f, 0.0015f, 10, 20, 30};
        Tolerance tolerance = new Tolerance(1e-3, 1e-3);

        OutputComparison c = OutputComparison.of("in", "logits", SHAPE, onnx, djl, tolerance);

        // 0.9 off a logit of 1000 is within 1e-3 + 1e-3 * 1000; 5e-4 off 0.001 within the floor.
        assertTrue(c.passed(), () -> "worst " + c.worstRatio());
        float[] nearZero = {1000, -1000, 0.0025f, 10, 20, 30};
        OutputComparison failed =
                OutputComparison.of("in", "logits", SHAPE, nearZero, djl, tolerance);
        // 1.5e-3 off 0.001 exceeds 1e-3 + 1e-6, although it is tiny next to the largest logit.
        assertFalse(failed.passed());
        assertEquals(1.5e-3 / (1e-3 + 1e-6), failed.worstRatio(), 1e-3);
    }

    @Test
    void negativeOrInfiniteBoundsNameTheOption() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Tolerance(-1, 0));
        assertEquals("--atol must be a finite number >= 0, got -1.0", e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> new Tolerance(0, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(0, Double.NaN));
    }

    @Test
    void aNanNeverPasses() {
        float[] djl = {1, 2, 3, 4, 5, 6};
        float[] onnx = {1, 2, Float.NaN, 4, 5, 6};

        Tolerance loose = new Tolerance(1e9, 1e9);
        OutputComparison c = OutputComparison.of("in", "logits", SHAPE, onnx, djl, loose);

        assertTrue(Double.isNaN(c.maxAbsError()));
        assertFalse(c.passed());
        assertFalse(new ParityReport(loose, List.of(c)).passed());
    }

    @Test
    void theTableHasOneLinePerComparisonAndTheVerdict() {
        float[] values = {1, 2, 3, 4, 5, 6};
        Tolerance exactly = new Tolerance(0, 0);
        OutputComparison exact =
                OutputComparison.of("random N=2 seed=1", "logits", SHAPE, values, values, exactly);
        ParityReport report = new ParityReport(exactly, List.of(exact));

        String[] lines = report.table().split("\n");

        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("input"), lines[0]);
        assertTrue(lines[1].contains("random N=2 seed=1") && lines[1].endsWith("pass"), lines[1]);
        assertTrue(lines[2].startsWith("verification passed"), lines[2]);
        assertTrue(report.passed());
    }
}
