package io.tsam.exporter.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputComparisonTest {

    private static final long[] SHAPE = {2, 3};

    @Test
    void errorsAreAgainstTheReferenceAndTopOneIsPerRow() {
        float[] djl = {1, 2, 4, -1, 0.5f, 0.25f};
        float[] onnx = {1, 2.5f, 4, -1, 0.5f, 0.75f};

        OutputComparison c = OutputComparison.of("in", "logits", SHAPE, onnx, djl, 0.6);

        assertEquals(0.5, c.maxAbsError(), 1e-9);
        assertEquals(0.5 / 4, c.maxRelError(), 1e-9);
        // Row 0 keeps class 2; row 1 moves from class 1 to class 2.
        assertEquals(0.5, c.top1Agreement(), 1e-9);
        assertTrue(c.passed());
        assertFalse(OutputComparison.of("in", "logits", SHAPE, onnx, djl, 0.4).passed());
    }

    @Test
    void aNanNeverPasses() {
        float[] djl = {1, 2, 3, 4, 5, 6};
        float[] onnx = {1, 2, Float.NaN, 4, 5, 6};

        OutputComparison c = OutputComparison.of("in", "logits", SHAPE, onnx, djl, 1e9);

        assertTrue(Double.isNaN(c.maxAbsError()));
        assertFalse(c.passed());
        assertFalse(new ParityReport(1e9, List.of(c)).passed());
    }

    @Test
    void theTableHasOneLinePerComparisonAndTheVerdict() {
        float[] values = {1, 2, 3, 4, 5, 6};
        OutputComparison exact =
                OutputComparison.of("random N=2 seed=1", "logits", SHAPE, values, values, 0);
        ParityReport report = new ParityReport(0, List.of(exact));

        String[] lines = report.table().split("\n");

        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("input"), lines[0]);
        assertTrue(lines[1].contains("random N=2 seed=1") && lines[1].endsWith("pass"), lines[1]);
        assertTrue(lines[2].startsWith("verification passed"), lines[2]);
        assertTrue(report.passed());
    }
}
