package io.tsam.exporter.verify;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a {@link ParityCheck}: one {@link OutputComparison} per input batch and output.
 *
 * @param tolerance the largest allowed absolute error
 * @param comparisons the comparisons, in input order
 */
public record ParityReport(double tolerance, List<OutputComparison> comparisons) {

    /** Keeps an unmodifiable copy. */
    public ParityReport {
        comparisons = List.copyOf(comparisons);
    }

    /** Whether every comparison is within the tolerance. */
    public boolean passed() {
        return !comparisons.isEmpty() && comparisons.stream().allMatch(OutputComparison::passed);
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
                                "%-24s %-8s %-10s %10s %10s %7s  %s%n",
                                "input",
                                "output",
                                "shape",
                                "max abs",
                                "max rel",
                                "top-1",
                                "result"));
        for (OutputComparison c : comparisons) {
            text.append(
                    String.format(
                            Locale.ROOT,
                            "%-24s %-8s %-10s %10.3e %10.3e %6.1f%%  %s%n",
                            c.input(),
                            c.output(),
                            Arrays.toString(c.shape()),
                            c.maxAbsError(),
                            c.maxRelError(),
                            100 * c.top1Agreement(),
                            c.passed() ? "pass" : "FAIL"));
        }
        text.append(
                String.format(
                        Locale.ROOT,
                        "%s: max abs error %.3e, tolerance %.3e%n",
                        passed() ? "verification passed" : "verification FAILED",
                        maxAbsError(),
                        tolerance));
        return text.toString();
    }
}
