package io.tsam.runtime.predict;

import io.tsam.media.sampling.FrameSampling;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The classification of one video.
 *
 * @param file the video
 * @param ranking every class, most probable first (ties by class index)
 * @param logits the model's output for each test clip, row-major {@code [clips, classes]}: what the
 *     inference protocol returns and the ranking was computed from
 * @param audio what the audio segment was built from
 * @param clips the number of test clips whose probabilities were averaged
 * @param timings where the time went
 * @param sampling which frames the clips took
 */
public record Prediction(
        Path file,
        List<LabelScore> ranking,
        float[] logits,
        AudioState audio,
        int clips,
        Timings timings,
        FrameSampling sampling) {
    public Prediction {
        ranking = List.copyOf(ranking);
        Objects.requireNonNull(sampling, "sampling");
        if (logits.length != clips * ranking.size()) {
            throw new IllegalArgumentException(
                    logits.length
                            + " logits for "
                            + clips
                            + " clips of "
                            + ranking.size()
                            + " classes");
        }
    }

    /** The {@code k} most probable classes; all of them when {@code k} exceeds their number. */
    public List<LabelScore> top(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        return ranking.subList(0, Math.min(k, ranking.size()));
    }
}
