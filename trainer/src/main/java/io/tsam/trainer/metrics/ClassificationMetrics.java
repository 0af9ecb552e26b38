package io.tsam.trainer.metrics;

import java.util.OptionalDouble;

/**
 * Accuracy figures of a set of scored samples. Accuracies are fractions in {@code [0, 1]}.
 *
 * <p>A sample's prediction is its highest score, the lowest class index winning ties; a NaN score
 * ranks below every number. A sample counts in top-k when fewer than {@code k} classes rank above
 * its true class under that same order.
 *
 * @param count the number of samples
 * @param classes the number of classes (score columns)
 * @param top1 fraction of samples whose prediction is the label
 * @param top5 fraction of samples whose label is among the {@link #topK(int)} best-scored classes,
 *     that is top-5, or top-{@code classes} for fewer than 5 classes
 * @param meanClassAccuracy the mean over the classes that occur among the labels of each class's
 *     recall (correct predictions over samples of that class)
 * @param confusion {@code [classes][classes]} counts, row = true class, column = predicted class;
 *     not copied
 * @param meanLoss the mean loss over the samples, when the caller supplied it
 */
public record ClassificationMetrics(
        int count,
        int classes,
        double top1,
        double top5,
        double meanClassAccuracy,
        int[][] confusion,
        OptionalDouble meanLoss) {

    /** The {@code k} of top-k accuracy for {@code classes} classes: {@code min(5, classes)}. */
    public static int topK(int classes) {
        return Math.min(5, classes);
    }

    /**
     * The metrics of {@code scores[i]} (one row per sample, any monotonic scores: logits or
     * probabilities) against {@code labels[i]}.
     *
     * @throws IllegalArgumentException for no samples, ragged rows, a row count other than the
     *     label count, or a label outside {@code [0, classes)}
     */
    public static ClassificationMetrics of(float[][] scores, int[] labels) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("no samples to compute metrics of");
        }
        int classes = scores[0].length;
        float[] flat = new float[scores.length * classes];
        for (int i = 0; i < scores.length; i++) {
            if (scores[i].length != classes) {
                throw new IllegalArgumentException(
                        "score row "
                                + i
                                + " has "
                                + scores[i].length
                                + " columns, row 0 has "
                                + classes);
            }
            System.arraycopy(scores[i], 0, flat, i * classes, classes);
        }
        return of(flat, classes, labels);
    }

    /**
     * The metrics of a row-major {@code [N, classes]} score matrix against {@code labels}.
     *
     * @throws IllegalArgumentException for no samples, {@code classes < 1}, a size other than
     *     {@code labels.length * classes}, or a label outside {@code [0, classes)}
     */
    public static ClassificationMetrics of(float[] scores, int classes, int[] labels) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("no samples to compute metrics of");
        }
        if (scores.length != labels.length * classes) {
            throw new IllegalArgumentException(
                    "expected "
                            + labels.length
                            + " x "
                            + classes
                            + " = "
                            + labels.length * classes
                            + " scores for "
                            + labels.length
                            + " labels, got "
                            + scores.length);
        }
        int k = topK(classes);
        int[][] confusion = new int[classes][classes];
        int top1 = 0;
        int topK = 0;
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(
                        "label " + label + " of sample " + i + " is outside [0, " + classes + ")");
            }
            int offset = i * classes;
            int predicted = argmax(scores, offset, classes);
            confusion[label][predicted]++;
            if (predicted == label) {
                top1++;
            }
            if (rank(scores, offset, classes, label) < k) {
                topK++;
            }
        }
        return new ClassificationMetrics(
                labels.length,
                classes,
                top1 / (double) labels.length,
                topK / (double) labels.length,
                meanClassAccuracy(confusion),
                confusion,
                OptionalDouble.empty());
    }

    /** These metrics with the mean loss set. */
    public ClassificationMetrics withMeanLoss(double loss) {
        return new ClassificationMetrics(
                count, classes, top1, top5, meanClassAccuracy, confusion, OptionalDouble.of(loss));
    }

    /** The index of the best score of a row, lowest index on ties, NaN ranking lowest. */
    static int argmax(float[] scores, int offset, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (ranksAbove(scores[offset + c], scores[offset + best])) {
                best = c;
            }
        }
        return best;
    }

    /** How many classes rank above {@code label} in a row, under the order of {@link #argmax}. */
    private static int rank(float[] scores, int offset, int classes, int label) {
        float own = scores[offset + label];
        int above = 0;
        for (int c = 0; c < classes; c++) {
            float s = scores[offset + c];
            if (ranksAbove(s, own) || (c < label && !ranksAbove(own, s))) {
                above++;
            }
        }
        return above;
    }

    private static boolean ranksAbove(float a, float b) {
        return Float.isNaN(b) ? !Float.isNaN(a) : a > b;
    }

    private static double meanClassAccuracy(int[][] confusion) {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < confusion.length; c++) {
            int total = 0;
            for (int n : confusion[c]) {
                total += n;
            }
            if (total > 0) {
                sum += confusion[c][c] / (double) total;
                present++;
            }
        }
        return sum / present;
    }
}
