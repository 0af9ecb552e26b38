package io.tsam.runtime.predict;

import java.util.List;

/**
 * The classification of one window of a video.
 *
 * @param index the window's number, from 0
 * @param start seconds from the first frame
 * @param end seconds from the first frame
 * @param ranking every class, most probable first (ties by class index)
 * @param logits the model's output for the window
 * @param frames the frames its segments took
 * @param audio what its audio segment was built from
 */
public record WindowPrediction(
        int index,
        double start,
        double end,
        List<LabelScore> ranking,
        float[] logits,
        int[] frames,
        AudioState audio) {
    public WindowPrediction {
        ranking = List.copyOf(ranking);
    }

    /** The {@code k} most probable classes; all of them when {@code k} exceeds their number. */
    public List<LabelScore> top(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        return ranking.subList(0, Math.min(k, ranking.size()));
    }

    /** The most probable class. */
    public LabelScore best() {
        return ranking.get(0);
    }
}
