package io.tsam.trainer.metrics;

/**
 * Running loss and top-1 accuracy over the batches of one epoch, each batch weighted by its size.
 * Not thread-safe.
 */
public final class EpochMeter {
    private int count;
    private int correct;
    private double lossSum;

    /**
     * Adds a batch.
     *
     * @param logits row-major {@code [labels.length, classes]}
     * @param classes the number of classes
     * @param labels the true class of each sample
     * @param meanLoss the batch's loss averaged over its samples
     * @throws IllegalArgumentException for mismatched sizes or a label outside {@code [0, classes)}
     */
    public void add(float[] logits, int classes, int[] labels, double meanLoss) {
        if (classes < 1 || logits.length != labels.length * classes) {
            throw new IllegalArgumentException(
                    "expected "
                            + labels.length
                            + " x "
                            + classes
                            + " logits, got "
                            + logits.length
                            + " (classes must be >= 1)");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(
                        "label "
                                + labels[i]
                                + " of sample "
                                + i
                                + " is outside [0, "
                                + classes
                                + ")");
            }
            if (ClassificationMetrics.argmax(logits, i * classes, classes) == labels[i]) {
                correct++;
            }
        }
        count += labels.length;
        lossSum += meanLoss * labels.length;
    }

    /** Samples added so far. */
    public int count() {
        return count;
    }

    /** The mean loss per sample, NaN before the first batch. */
    public double meanLoss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    /** The fraction of samples whose highest logit is the label, NaN before the first batch. */
    public double top1() {
        return count == 0 ? Double.NaN : correct / (double) count;
    }
}
