package io.tsam.runtime.doctor;

import java.util.Optional;

/**
 * One provider's run of a model on the same seeded inputs as the CPU.
 *
 * @param samples the batch size of the comparison
 * @param maxAbsDifference the largest absolute difference from the CPU's logits
 * @param top1Agreement the fraction of samples whose top class is the CPU's
 * @param medianMs the median latency of the timed runs of that batch
 * @param error why the run failed; empty when it ran
 */
public record SmokeResult(
        int samples,
        double maxAbsDifference,
        double top1Agreement,
        double medianMs,
        Optional<String> error) {

    /** A run that failed with {@code error}. */
    static SmokeResult failed(String error) {
        return new SmokeResult(0, Double.NaN, Double.NaN, Double.NaN, Optional.of(error));
    }

    /** Whether the run completed. */
    public boolean ran() {
        return error.isEmpty();
    }
}
