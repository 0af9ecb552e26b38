package io.tsam.exporter.verify;

import java.util.Locale;

/**
 * How close a deployed model's logits must be to the trained net's: element-wise {@code |actual -
 * expected| <= atol + rtol * |expected|}, the rule of {@code numpy.allclose} and Polygraphy.
 *
 * <p>A fixed absolute bound alone is wrong for logits of arbitrary scale: float32 rounding through
 * a ResNet grows with the logits, and a ResNet-50 with logits in the hundreds differs from its
 * export by 5e-4 while agreeing to 1e-6 of its scale. The relative term follows large logits; the
 * absolute floor covers logits near zero, whose rounding error is set by the scale of the whole
 * computation rather than by their own size.
 *
 * @param atol the absolute floor, at least 0
 * @param rtol the allowance relative to the expected value, at least 0
 */
public record Tolerance(double atol, double rtol) {

    /**
     * Float32 exports of ResNet-18 to ResNet-101: float32 rounding passes with logits up to the
     * thousands, while a single wrong index of a shift table fails (see the mutation tests).
     */
    public static final Tolerance FP32 = new Tolerance(Defaults.ATOL, Defaults.RTOL);

    /** {@link #FP32}'s bounds as constants, for option descriptions. */
    public static final class Defaults {
        /** {@link #FP32}'s absolute floor. */
        public static final double ATOL = 1e-3;

        /** {@link #FP32}'s relative allowance. */
        public static final double RTOL = 1e-3;

        private Defaults() {}
    }

    /** Checks both bounds. */
    public Tolerance {
        check("atol", atol);
        check("rtol", rtol);
    }

    /**
     * How far {@code actual} is from {@code expected} in units of the allowance: at most 1 passes.
     * NaN or an infinite difference is {@link Double#POSITIVE_INFINITY}, so it fails.
     */
    public double ratio(double actual, double expected) {
        double error = Math.abs(actual - expected);
        if (Double.isNaN(error) || Double.isInfinite(error)) {
            return Double.POSITIVE_INFINITY;
        }
        double allowed = atol + rtol * Math.abs(expected);
        if (allowed == 0) {
            return error == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return error / allowed;
    }

    /** Whether {@code actual} is close enough to {@code expected}. */
    public boolean allows(double actual, double expected) {
        return ratio(actual, expected) <= 1;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "atol %.1e, rtol %.1e", atol, rtol);
    }

    private static void check(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                    "--" + name + " must be a finite number >= 0, got " + value);
        }
    }
}
