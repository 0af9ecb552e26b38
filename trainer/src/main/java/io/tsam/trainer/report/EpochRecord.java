package io.tsam.trainer.report;

import java.util.Objects;
import java.util.Optional;

/**
 * One epoch's line of {@code metrics.jsonl}; accuracies are fractions in {@code [0, 1]}.
 *
 * @param epoch the epoch number as the training loop counts it, >= 0
 * @param lr the learning rate the epoch ended with
 * @param trainLoss mean training loss per clip
 * @param trainTop1 training top-1 accuracy of the augmented clips
 * @param validation the validation figures, absent for an epoch that was not validated
 * @param clipsPerSecond training clips per second of wall-clock time
 * @param seconds wall-clock seconds the epoch took, validation included
 */
public record EpochRecord(
        int epoch,
        double lr,
        double trainLoss,
        double trainTop1,
        Optional<ValidationResult> validation,
        double clipsPerSecond,
        double seconds) {

    public EpochRecord {
        Objects.requireNonNull(validation, "validation");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
    }
}
