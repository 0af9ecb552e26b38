package io.tsam.exporter.quantize;

import java.util.Locale;

/** How an activation's quantisation range is taken from the values seen during calibration. */
public enum CalibrationMethod {
    /** The smallest and largest value seen: nothing clips, rare outliers cost resolution. */
    MINMAX,
    /**
     * The 0.01st and 99.99th percentiles of the values seen: the rarest outliers clip, the rest
     * keeps finer steps; the usual choice for ResNets with post-activation ranges.
     */
    PERCENTILE;

    /** The fraction of values left outside the range at each end by {@link #PERCENTILE}. */
    static final double TAIL = 1e-4;

    /** The name on the command line and in metadata, e.g. {@code percentile}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How the method is described in the model's metadata, e.g. {@code percentile 99.99}. */
    public String describe() {
        return this == MINMAX ? "min-max" : "percentiles 0.01 and 99.99";
    }
}
