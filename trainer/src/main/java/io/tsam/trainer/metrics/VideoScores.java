package io.tsam.trainer.metrics;

import io.tsam.config.ClipAverage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Collects clip logits and combines them per video (SPEC §2 multi-clip test) by the model's {@link
 * ClipAverage}: the softmax of the mean logits, or the mean of the clips' softmax.
 *
 * <p>Videos keep the order in which they were first seen. Not thread-safe.
 */
public final class VideoScores {
    private final int classes;
    private final ClipAverage average;
    private final Map<String, Clips> videos = new LinkedHashMap<>();

    /** Scores over {@code classes} classes, >= 1, combining clips by {@code average}. */
    public VideoScores(int classes, ClipAverage average) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        this.classes = classes;
        this.average = Objects.requireNonNull(average, "average");
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
        Clips clips = videos.computeIfAbsent(id, key -> new Clips(label, new ArrayList<>()));
        if (clips.label != label) {
            throw new IllegalArgumentException(
                    "video '" + id + "' has label " + label + " but had label " + clips.label);
        }
        clips.logits.add(Arrays.copyOfRange(logits, offset, offset + classes));
    }

    /** The number of videos seen. */
    public int size() {
        return videos.size();
    }

    /** The number of classes. */
    public int classes() {
        return classes;
    }

    /** Each video's combined probabilities, in first-seen order. */
    public List<VideoScore> videos() {
        List<VideoScore> out = new ArrayList<>(videos.size());
        videos.forEach(
                (id, clips) -> {
                    float[] flat = new float[clips.logits.size() * classes];
                    for (int i = 0; i < clips.logits.size(); i++) {
                        System.arraycopy(clips.logits.get(i), 0, flat, i * classes, classes);
                    }
                    double[] combined =
                            average.probabilities(flat, 0, clips.logits.size(), classes);
                    float[] probabilities = new float[classes];
                    for (int c = 0; c < classes; c++) {
                        probabilities[c] = (float) combined[c];
                    }
                    out.add(new VideoScore(id, clips.label, clips.logits.size(), probabilities));
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

    /** One video's label and the logits of its clips so far. */
    private record Clips(int label, List<float[]> logits) {}
}
