package io.tsam.trainer.report;

import io.tsam.trainer.metrics.ClassificationMetrics;

/**
 * The validation figures of one epoch; accuracies are fractions in {@code [0, 1]}.
 *
 * @param loss mean loss over the validation clips
 * @param top1 video-level top-1 accuracy
 * @param top5 video-level top-k accuracy, {@code k = min(5, classes)}
 * @param meanClass video-level mean-class accuracy
 */
public record ValidationResult(double loss, double top1, double top5, double meanClass) {

    /**
     * The figures of {@code metrics}, which must carry its mean loss.
     *
     * @throws IllegalArgumentException when {@code metrics} has no mean loss
     */
    public static ValidationResult of(ClassificationMetrics metrics) {
        double loss =
                metrics.meanLoss()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "validation metrics need a mean loss; set it with"
                                                        + " withMeanLoss"));
        return new ValidationResult(
                loss, metrics.top1(), metrics.top5(), metrics.meanClassAccuracy());
    }
}
