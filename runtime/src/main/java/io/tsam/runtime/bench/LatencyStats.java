package io.tsam.runtime.bench;

import java.util.Arrays;
import java.util.List;

/**
 * A summary of measured durations, in milliseconds. Percentiles interpolate linearly between the
 * two nearest sorted samples, as numpy's default {@code percentile} does.
 *
 * @param count the number of samples
 * @param meanMs their mean
 * @param p50Ms the median
 * @param p90Ms the 90th percentile
 * @param p99Ms the 99th percentile
 * @param maxMs the slowest
 */
public record LatencyStats(
        int count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

    /**
     * Summarises samples.
     *
     * @throws IllegalArgumentException if there are none
     */
    public static LatencyStats of(List<Double> samplesMs) {
        if (samplesMs.isEmpty()) {
            throw new IllegalArgumentException("no samples to summarise");
        }
        double[] sorted = samplesMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new LatencyStats(
                sorted.length,
                Arrays.stream(sorted).average().orElseThrow(),
                percentile(sorted, 0.50),
                percentile(sorted, 0.90),
                percentile(sorted, 0.99),
                sorted[sorted.length - 1]);
    }

    /** The {@code q}-quantile, {@code q} in [0, 1], of ascending {@code sorted}. */
    static double percentile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = (int) Math.ceil(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}
