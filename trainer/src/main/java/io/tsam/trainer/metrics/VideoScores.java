package io.tsam.trainer.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Collects clip logits and averages them per video (SPEC §2 multi-clip test): each clip's logits
 * become softmax probabilities, and a video's score is the mean of its clips' probabilities.
 *
 * <p>Videos keep the order in which they were first seen. Not thread-safe.
 */
public final class VideoScores {
    private final int classes;
    private final Map<String, Sum> videos = new LinkedHashMap<>();

    /** Scores over {@code classes} classes, >= 1. */
    public VideoScores(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        this.classes = classes;
    }

    /**
     * Adds a batch of clips.
     *
     * @param ids the video of each clip
     * @param labels the true class of each clip
     * @param logits row-major {@code [ids.size(), classes]}
     * @throws IllegalArgumentException for mismatched sizes, a label outside {@code [0, classes)},
     *     or a video seen before with another label
     */
    public void add(List<String> ids, int[] labels, float[] logits) {
        if (labels.length != ids.size() || logits.length != ids.size() * classes) {
            throw new IllegalArgumentException(
                    "expected "
                            + ids.size()
                            + " labels and "
                            + ids.size() * classes
                            + " logits for "
                            + ids.size()
                            + " clips of "
                            + classes
                            + " classes, got "
                            + labels.length
                            + " and "
                            + logits.length);
        }
        for (int i = 0; i < labels.length; i++) {
            addClip(ids.get(i), labels[i], logits, i * classes);
        }
    }

    /**
     * Adds one clip whose {@code classes} logits start at {@code logits[offset]}.
     *
     * @throws IllegalArgumentException for a label outside {@code [0, classes)} or a video seen
     *     before with another label
     */
    public void addClip(String id, int label, float[] logits, int offset) {
        Objects.requireNonNull(id, "id");
        Objects.checkFromIndexSize(offset, classes, logits.length);
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException(
                    "label " + label + " of video '" + id + "' is outside [0, " + classes + ")");
        }
        Sum sum = videos.computeIfAbsent(id, key -> new Sum(label, new double[classes]));
        if (sum.label != label) {
            throw new IllegalArgumentException(
                    "video '" + id + "' has label " + label + " but had label " + sum.label);
        }
        addSoftmax(logits, offset, sum.probabilities);
        sum.clips++;
    }

    /** The number of videos seen. */
    public int size() {
        return videos.size();
    }

    /** The number of classes. */
    public int classes() {
        return classes;
    }

    /** Each video's mean probabilities, in first-seen order. */
    public List<VideoScore> videos() {
        List<VideoScore> out = new ArrayList<>(videos.size());
        videos.forEach(
                (id, sum) -> {
                    float[] mean = new float[classes];
                    for (int c = 0; c < classes; c++) {
                        mean[c] = (float) (sum.probabilities[c] / sum.clips);
                    }
                    out.add(new VideoScore(id, sum.label, sum.clips, mean));
                });
        return out;
    }

    /**
     * The video-level metrics of the averaged probabilities.
     *
     * @throws IllegalArgumentException when no clip was added
     */
    public ClassificationMetrics metrics() {
        List<VideoScore> scores = videos();
        float[] flat = new float[scores.size() * classes];
        int[] labels = new int[scores.size()];
        for (int i = 0; i < labels.length; i++) {
            System.arraycopy(scores.get(i).probabilities(), 0, flat, i * classes, classes);
            labels[i] = scores.get(i).label();
        }
        return ClassificationMetrics.of(flat, classes, labels);
    }

    private void addSoftmax(float[] logits, int offset, double[] into) {
        // Shifting by the maximum keeps exp() finite for any logits.
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[offset + c]);
        }
        double[] e = new double[classes];
        double total = 0;
        for (int c = 0; c < classes; c++) {
            e[c] = Math.exp(logits[offset + c] - max);
            total += e[c];
        }
        for (int c = 0; c < classes; c++) {
            into[c] += e[c] / total;
        }
    }

    private static final class Sum {
        final int label;
        final double[] probabilities;
        int clips;

        Sum(int label, double[] probabilities) {
            this.label = label;
            this.probabilities = probabilities;
        }
    }
}
