package io.tsam.runtime.bench;

import java.util.List;

/**
 * The model-only measurement of one batch size.
 *
 * @param batch the batch size {@code N}
 * @param latency the per-run latency
 * @param clipsPerSecond {@code N} times runs, divided by the measured runs' total time
 * @param samplesMs every measured run, in order
 */
public record BatchResult(
        int batch, LatencyStats latency, double clipsPerSecond, List<Double> samplesMs) {
    public BatchResult {
        samplesMs = List.copyOf(samplesMs);
    }
}
