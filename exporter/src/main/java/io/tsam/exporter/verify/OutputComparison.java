package io.tsam.exporter.verify;

import java.util.Arrays;

/**
 * How one output of the ONNX model compares with the DJL net on one input batch.
 *
 * @param input the input batch's name
 * @param output the output's name
 * @param shape the output's shape, {@code [N, classes]}
 * @param maxAbsError the largest {@code |onnx - djl|}
 * @param maxRelError {@code maxAbsError} over the largest {@code |djl|} (relative to the output's
 *     scale, which stays meaningful where single logits are near zero)
 * @param top1Agreement the fraction of rows whose arg-max is the same in both
 * @param worstRatio the largest {@link Tolerance#ratio} over all values: how much of the allowance
 *     the worst value uses
 * @param passed whether every value is within the tolerance ({@code worstRatio <= 1})
 */
public record OutputComparison(
        String input,
        String output,
        long[] shape,
        double maxAbsError,
        double maxRelError,
        double top1Agreement,
        double worstRatio,
        boolean passed) {

    /** Keeps a private copy of the shape. */
    public OutputComparison {
        shape = shape.clone();
    }

    /**
     * Compares two outputs of shape {@code [rows, columns]}.
     *
     * @param input the input batch's name
     * @param output the output's name
     * @param shape {@code [rows, columns]}
     * @param actual the ONNX Runtime values, row-major
     * @param expected the DJL values, row-major
     * @param tolerance what may differ
     * @return the comparison
     */
    public static OutputComparison of(
            String input,
            String output,
            long[] shape,
            float[] actual,
            float[] expected,
            Tolerance tolerance) {
        if (shape.length != 2
                || actual.length != expected.length
                || actual.length != shape[0] * shape[1]) {
            throw new IllegalArgumentException(
                    "output "
                            + output
                            + " of shape "
                            + Arrays.toString(shape)
                            + " has "
                            + actual.length
                            + " values from ONNX Runtime and "
                            + expected.length
                            + " from DJL");
        }
        double maxAbs = 0;
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, tolerance.ratio(actual[i], expected[i]));
            // NaN must fail, so it is carried through instead of losing every comparison.
            double error = Math.abs((double) actual[i] - expected[i]);
            maxAbs = Double.isNaN(error) || error > maxAbs ? error : maxAbs;
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        int rows = Math.toIntExact(shape[0]);
        int columns = Math.toIntExact(shape[1]);
        int agree = 0;
        for (int r = 0; r < rows; r++) {
            agree +=
                    argMax(actual, r * columns, columns) == argMax(expected, r * columns, columns)
                            ? 1
                            : 0;
        }
        double rel = scale > 0 ? maxAbs / scale : maxAbs;
        return new OutputComparison(
                input, output, shape, maxAbs, rel, (double) agree / rows, worst, worst <= 1);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    private static int argMax(float[] values, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
