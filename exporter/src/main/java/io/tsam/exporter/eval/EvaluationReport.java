package io.tsam.exporter.eval;

import io.tsam.exporter.verify.Tolerance;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link ExportEvaluation} found: the accuracy of the ONNX model and of the DJL net on the
 * videos that could be decoded, their drift, how often their top-1 classes agree and the largest
 * difference between their logits.
 *
 * <p>Accuracies are fractions of the scored videos, computed on the clip probabilities averaged per
 * video; they are {@code NaN} when no video could be scored.
 *
 * @param list the validation list file
 * @param videos the videos the list names
 * @param clipsPerVideo test clips per video ({@code model_validation.num_clips})
 * @param classes the model's classes
 * @param onnx the accuracy of the ONNX model in ONNX Runtime
 * @param djl the accuracy of the DJL net in inference mode
 * @param agreeing the scored videos whose top-1 class is the same in both
 * @param maxAbsLogitDifference the largest {@code |onnx - djl|} over every logit of every clip
 * @param tolerance the rule of the export check the logits are held to
 * @param outsideTolerance the scored videos with a logit of some clip outside {@code tolerance}
 * @param failed the videos that could not be decoded and were skipped, in list order
 */
public record EvaluationReport(
        Path list,
        int videos,
        int clipsPerVideo,
        int classes,
        Accuracy onnx,
        Accuracy djl,
        int agreeing,
        double maxAbsLogitDifference,
        Tolerance tolerance,
        int outsideTolerance,
        List<FailedVideo> failed) {

    /** How many classes "top-5" looks at: 5, or all of them for a model with fewer classes. */
    public static final int TOP_K = 5;

    /**
     * The accuracy of one implementation.
     *
     * @param top1 the fraction of scored videos whose label has the highest probability
     * @param top5 the fraction whose label is among the {@link #TOP_K} highest
     */
    public record Accuracy(double top1, double top5) {}

    /**
     * A video that was skipped.
     *
     * @param id its list-file id
     * @param reason why, naming the file (one line)
     */
    public record FailedVideo(String id, String reason) {}

    /** Keeps an unmodifiable copy of the failures. */
    public EvaluationReport {
        Objects.requireNonNull(list, "list");
        Objects.requireNonNull(onnx, "onnx");
        Objects.requireNonNull(djl, "djl");
        failed = List.copyOf(failed);
    }

    /** The videos that were scored. */
    public int scored() {
        return videos - failed.size();
    }

    /** Whether some videos were skipped. */
    public boolean partial() {
        return !failed.isEmpty();
    }

    /** The fraction of scored videos whose top-1 class is the same in both; NaN if none was. */
    public double top1Agreement() {
        return scored() == 0 ? Double.NaN : (double) agreeing / scored();
    }

    /** ONNX minus DJL accuracy, fractions (so 0.01 is one percentage point). */
    public Accuracy drift() {
        return new Accuracy(onnx.top1() - djl.top1(), onnx.top5() - djl.top5());
    }

    /** The number of classes top-5 looks at. */
    public int topK() {
        return Math.min(TOP_K, classes);
    }

    /** The report as a few lines for a terminal. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "evaluation on %s: %d of %d videos scored, %d clip%s each, %d classes%n",
                        list,
                        scored(),
                        videos,
                        clipsPerVideo,
                        clipsPerVideo == 1 ? "" : "s",
                        classes));
        if (scored() == 0) {
            out.append("no video could be decoded, so there is nothing to report\n");
            return out.toString();
        }
        String topK = "top-" + topK();
        out.append(String.format(Locale.ROOT, "%-14s %9s %9s%n", "", "top-1", topK));
        out.append(row("ONNX Runtime", onnx));
        out.append(row("DJL", djl));
        Accuracy drift = drift();
        out.append(
                String.format(
                        Locale.ROOT,
                        "%-14s %+6.2f pp %+6.2f pp%n",
                        "drift",
                        100 * drift.top1(),
                        100 * drift.top5()));
        out.append(
                String.format(
                        Locale.ROOT,
                        "top-1 agreement %.2f%% (%d of %d videos), max |logit difference| %.2e%n",
                        100 * top1Agreement(),
                        agreeing,
                        scored(),
                        maxAbsLogitDifference));
        out.append(
                String.format(
                        Locale.ROOT,
                        "logits within %s: %d of %d videos%n",
                        tolerance,
                        scored() - outsideTolerance,
                        scored()));
        return out.toString();
    }

    /**
     * The report as JSON-ready values, in a fixed order; fractions, with {@code null} for a value
     * that is not a number because no video was scored.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("validation_list", list.toString());
        map.put("videos", videos);
        map.put("scored", scored());
        map.put("clips_per_video", clipsPerVideo);
        map.put("classes", classes);
        map.put("top_k", topK());
        map.put("onnx", accuracy(onnx));
        map.put("djl", accuracy(djl));
        map.put("drift", accuracy(drift()));
        map.put("top1_agreement", number(top1Agreement()));
        map.put("max_abs_logit_difference", scored() == 0 ? null : maxAbsLogitDifference);
        map.put("atol", tolerance.atol());
        map.put("rtol", tolerance.rtol());
        map.put("videos_outside_tolerance", outsideTolerance);
        map.put(
                "failed",
                failed.stream().map(f -> Map.of("id", f.id(), "reason", f.reason())).toList());
        return map;
    }

    private static String row(String name, Accuracy accuracy) {
        return String.format(
                Locale.ROOT,
                "%-14s %8.2f%% %8.2f%%%n",
                name,
                100 * accuracy.top1(),
                100 * accuracy.top5());
    }

    private static Map<String, Object> accuracy(Accuracy accuracy) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("top1", number(accuracy.top1()));
        map.put("top5", number(accuracy.top5()));
        return map;
    }

    private static Double number(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
