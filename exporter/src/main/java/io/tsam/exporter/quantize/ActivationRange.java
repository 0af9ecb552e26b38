package io.tsam.exporter.quantize;

/**
 * The calibrated range of one activation tensor and the uint8 quantisation it gives.
 *
 * <p>The range always holds 0, so that zero (a ReLU's floor, a shift's zero frame, convolution
 * padding) is exactly representable: {@code zeroPoint = round(-lo / scale)}.
 *
 * @param lo the smallest value kept, at most 0
 * @param hi the largest value kept, at least 0
 */
public record ActivationRange(double lo, double hi) {

    private static final int LEVELS = 255;

    /** Widens the range to hold 0 and to be at least a tiny step wide. */
    public ActivationRange {
        if (Double.isNaN(lo) || Double.isNaN(hi) || lo > hi) {
            throw new IllegalArgumentException("not a range: [" + lo + ", " + hi + "]");
        }
        lo = Math.min(lo, 0);
        hi = Math.max(hi, 0);
        if (hi - lo < 1e-8) {
            hi = lo + 1e-8;
        }
    }

    /** The real value of one uint8 step. */
    public float scale() {
        return (float) ((hi - lo) / LEVELS);
    }

    /** The uint8 that stands for 0. */
    public int zeroPoint() {
        return (int) Math.max(0, Math.min(LEVELS, Math.round(-lo / scale())));
    }
}
