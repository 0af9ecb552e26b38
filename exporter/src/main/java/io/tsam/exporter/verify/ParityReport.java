package io.tsam.exporter.verify;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a {@link ParityCheck}: one {@link OutputComparison} per input batch and output,
 * and for an ONNX model one {@link ShiftComparison} per shift ({@link ShiftCheck}).
 *
 * @param tolerance what may differ
 * @param comparisons the comparisons, in input order
 * @param shifts the shifts checked on their own, in graph order; empty when not checked
 */
public record ParityReport(
        Tolerance tolerance, List<OutputComparison> comparisons, List<ShiftComparison> shifts) {

    /** Keeps unmodifiable copies. */
    public ParityReport {
        comparisons = List.copyOf(comparisons);
        shifts = List.copyOf(shifts);
    }

    /** A report of the logits only. */
    public ParityReport(Tolerance tolerance, List<OutputComparison> comparisons) {
        this(tolerance, comparisons, List.of());
    }

    /** This report with the shifts' comparisons. */
    public ParityReport withShifts(List<ShiftComparison> checked) {
        return new ParityReport(tolerance, comparisons, checked);
    }

    /** Whether every comparison is within the tolerance and every shift exact. */
    public boolean passed() {
        return !comparisons.isEmpty()
                && comparisons.stream().allMatch(OutputComparison::passed)
                && shifts.stream().allMatch(ShiftComparison::passed);
    }

    /** The largest absolute error over all comparisons. */
    public double maxAbsError() {
        double max = 0;
        for (OutputComparison c : comparisons) {
            max = Double.isNaN(c.maxAbsError()) ? Double.NaN : Math.max(max, c.maxAbsError());
        }
        return max;
    }

    /** The report as a text table, one line per comparison, then the verdict. */
    public String table() {
        StringBuilder text =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "%-24s %-8s %-10s %10s %10s %7s %8s  %s%n",
                                "input",
                                "output",
                                "shape",
                                "max abs",
                                "max rel",
                                "top-1",
                                "err/tol",
                                "result"));
        for (OutputComparison c : comparisons) {
            text.append(
                    String.format(
                            Locale.ROOT,
                            "%-24s %-8s %-10s %10.3e %10.3e %6.1f%% %8.3g  %s%n",
                            c.input(),
                            c.output(),
                            Arrays.toString(c.shape()),
                            c.maxAbsError(),
                            c.maxRelError(),
                            100 * c.top1Agreement(),
                            c.worstRatio(),
                            c.passed() ? "pass" : "FAIL"));
        }
        if (!shifts.isEmpty()) {
            long exact = shifts.stream().filter(ShiftComparison::passed).count();
            text.append(
                    String.format(
                            Locale.ROOT,
                            "shifts run alone: %d of %d exact%n",
                            exact,
                            shifts.size()));
            for (ShiftComparison shift : shifts) {
                if (!shift.passed()) {
                    text.append(
                            String.format(
                                    Locale.ROOT,
                                    "  FAIL %s: %d of %d values differ from the net's shift%n",
                                    shift.table(),
                                    shift.mismatches(),
                                    shift.values()));
                }
            }
        }
        text.append(
                String.format(
                        Locale.ROOT,
                        "%s: max abs error %.3e; every logit must be within %s of the net's"
                                + " (|a - b| <= atol + rtol * |b|)%n",
                        passed() ? "verification passed" : "verification FAILED",
                        maxAbsError(),
                        tolerance));
        return text.toString();
    }
}
