package io.tsam.exporter.eval;

import io.tsam.config.ClipAverage;
import io.tsam.exporter.eval.EvaluationReport.Accuracy;
import io.tsam.exporter.eval.EvaluationReport.FailedVideo;
import io.tsam.exporter.verify.Tolerance;
import java.nio.file.Path;
import java.util.List;

/**
 * Accumulates the scores of both implementations video by video: clip logits to probabilities,
 * combined over the clips of a video by the model's {@link ClipAverage} (SPEC §2), then top-1 and
 * top-k hits against the label, top-1 agreement, the largest logit difference and the videos whose
 * logits are not within the {@link Tolerance} of the export check. Not thread-safe.
 */
final class ScoreBoard {

    private final int classes;
    private final ClipAverage average;
    private final int topK;
    private final Tolerance tolerance;
    private int scored;
    private int onnxTop1;
    private int onnxTopK;
    private int djlTop1;
    private int djlTopK;
    private int agreeing;
    private double maxAbsDifference;
    private int outsideTolerance;

    ScoreBoard(int classes, ClipAverage average, Tolerance tolerance) {
        if (classes < 1) {
            throw new IllegalArgumentException("a score board needs >= 1 class, got " + classes);
        }
        this.classes = classes;
        this.average = average;
        this.topK = Math.min(EvaluationReport.TOP_K, classes);
        this.tolerance = tolerance;
    }

    /**
     * Adds one video.
     *
     * @param label its class
     * @param onnx the ONNX model's logits of its clips, row-major {@code [clips, classes]}
     * @param djl the net's logits of the same clips
     */
    void add(int label, float[] onnx, float[] djl) {
        if (onnx.length != djl.length || onnx.length == 0 || onnx.length % classes != 0) {
            throw new IllegalArgumentException(
                    "logits must be [clips, "
                            + classes
                            + "] from both implementations, got "
                            + onnx.length
                            + " and "
                            + djl.length
                            + " values");
        }
        boolean within = true;
        for (int i = 0; i < onnx.length; i++) {
            within &= tolerance.allows(onnx[i], djl[i]);
            // NaN must show up, so it is carried through instead of losing every comparison.
            double difference = Math.abs((double) onnx[i] - djl[i]);
            maxAbsDifference =
                    Double.isNaN(difference) || difference > maxAbsDifference
                            ? difference
                            : maxAbsDifference;
        }
        outsideTolerance += within ? 0 : 1;
        double[] onnxProbabilities = meanProbabilities(onnx);
        double[] djlProbabilities = meanProbabilities(djl);
        scored++;
        onnxTop1 += rank(onnxProbabilities, label) == 0 ? 1 : 0;
        onnxTopK += rank(onnxProbabilities, label) < topK ? 1 : 0;
        djlTop1 += rank(djlProbabilities, label) == 0 ? 1 : 0;
        djlTopK += rank(djlProbabilities, label) < topK ? 1 : 0;
        agreeing += argMax(onnxProbabilities) == argMax(djlProbabilities) ? 1 : 0;
    }

    /** The report over the videos added so far plus the ones that failed. */
    EvaluationReport report(Path list, int clipsPerVideo, List<FailedVideo> failed) {
        return new EvaluationReport(
                list,
                scored + failed.size(),
                clipsPerVideo,
                classes,
                new Accuracy(rate(onnxTop1), rate(onnxTopK)),
                new Accuracy(rate(djlTop1), rate(djlTopK)),
                agreeing,
                maxAbsDifference,
                tolerance,
                outsideTolerance,
                failed);
    }

    private double rate(int hits) {
        return scored == 0 ? Double.NaN : (double) hits / scored;
    }

    private double[] meanProbabilities(float[] logits) {
        return average.probabilities(logits, 0, logits.length / classes, classes);
    }

    /**
     * How many classes score strictly higher than {@code label}: 0 means top-1; a NaN score ranks
     * last, so broken logits never count as a hit.
     */
    private static int rank(double[] probabilities, int label) {
        if (Double.isNaN(probabilities[label])) {
            return probabilities.length;
        }
        int higher = 0;
        for (double p : probabilities) {
            higher += p > probabilities[label] ? 1 : 0;
        }
        return higher;
    }

    private static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
