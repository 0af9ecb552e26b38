package io.tsam.media.sampling;

import java.util.random.RandomGenerator;

/**
 * TSN segment sampling (SPEC §2): a video of {@code F} frames is cut into {@code T} equal segments
 * and one frame is taken from each.
 *
 * <p>Segment {@code i} covers the real interval {@code [i * F / T, (i + 1) * F / T)}. Every index
 * is computed with exact integer arithmetic so that no frame count makes a floating-point rounding
 * pick a neighbouring frame. A video shorter than {@code T} frames repeats frames: segment {@code
 * i} then takes {@code floor(i * F / T)} in every mode.
 */
public final class SegmentSampler {
    private SegmentSampler() {}

    /**
     * The frames clip {@code clip} of {@code clips} takes at test time.
     *
     * <p>Clip {@code c} takes frame {@code floor(start + len * (c + 0.5) / C)} of each segment,
     * {@code start = i * len}, {@code len = F / T}, which is {@code floor(F * (2iC + 2c + 1) /
     * (2TC))}; with one clip that is the middle frame of each segment, TSM's {@code int(tick / 2 +
     * tick * i)}.
     *
     * @param frames the video's frame count {@code F}, at least 1
     * @param segments the segment count {@code T}, at least 1
     * @param clip the clip, {@code 0 <= clip < clips}
     * @param clips the number of test clips {@code C}, at least 1
     * @return {@code segments} frame indices in {@code [0, frames)}, ascending
     */
    public static int[] test(int frames, int segments, int clip, int clips) {
        check(frames, segments);
        if (clips < 1) {
            throw new IllegalArgumentException("clips must be at least 1, got " + clips);
        }
        if (clip < 0 || clip >= clips) {
            throw new IllegalArgumentException("clip must be in [0, " + clips + "), got " + clip);
        }
        if (frames < segments) {
            return repeated(frames, segments);
        }
        int[] indices = new int[segments];
        long denominator = 2L * segments * clips;
        for (int i = 0; i < segments; i++) {
            long numerator = (long) frames * (2L * i * clips + 2L * clip + 1);
            indices[i] = (int) (numerator / denominator);
        }
        return indices;
    }

    /**
     * The frames {@link FrameSampling#LATENCY} takes instead of {@code exact}: in each segment
     * {@code [floor(i F / T), floor((i + 1) F / T))} the keyframe nearest the exact frame (the
     * earlier one on a tie), which decodes alone after a seek; where the segment holds no keyframe,
     * its first frame, the one fewest frames past the keyframe before it.
     *
     * @param exact the exact test frames, one per segment
     * @param frames the video's frame count {@code F}
     * @param keyframes the keyframes' indices, ascending; empty when unknown, which keeps {@code
     *     exact}
     * @return one frame per segment, ascending
     */
    public static int[] cheapest(int[] exact, int frames, int[] keyframes) {
        int segments = exact.length;
        check(frames, segments);
        if (keyframes.length == 0 || frames < segments) {
            return exact.clone();
        }
        int[] chosen = new int[segments];
        for (int i = 0; i < segments; i++) {
            int start = (int) ((long) i * frames / segments);
            int end = (int) ((long) (i + 1) * frames / segments);
            int best = -1;
            for (int key : keyframes) {
                if (key >= start
                        && key < end
                        && (best < 0 || Math.abs(key - exact[i]) < Math.abs(best - exact[i]))) {
                    best = key;
                }
            }
            chosen[i] = best >= 0 ? best : start;
        }
        return chosen;
    }

    /**
     * The frames one training sample takes: one uniformly random frame of each segment {@code
     * [floor(i * F / T), floor((i + 1) * F / T))}.
     *
     * @param frames the video's frame count {@code F}, at least 1
     * @param segments the segment count {@code T}, at least 1
     * @param rng the only source of randomness, so a seeded generator reproduces a sample
     * @return {@code segments} frame indices in {@code [0, frames)}, ascending
     */
    public static int[] train(int frames, int segments, RandomGenerator rng) {
        check(frames, segments);
        if (frames < segments) {
            return repeated(frames, segments);
        }
        int[] indices = new int[segments];
        for (int i = 0; i < segments; i++) {
            int first = segmentStart(frames, segments, i);
            int end = segmentStart(frames, segments, i + 1);
            // F >= T makes every segment at least one frame long.
            indices[i] = first + rng.nextInt(end - first);
        }
        return indices;
    }

    /**
     * The frames TSAM's code takes at test time ({@code sample_indices_validation}), generalised to
     * clip {@code c} of {@code C}: {@code int(tick * (c + 0.5) / C + tick * i)} with {@code tick =
     * F / T} in double precision, as its Python computes it, clamped to {@code [0, F)}. With one
     * clip this is exactly TSAM's {@code int(tick / 2.0 + tick * i)}, for {@code F < T} too.
     *
     * @param frames the video's frame count {@code F} (TSAM: the files in the frame folder)
     * @param segments the segment count {@code T}, at least 1
     * @param clip the clip, {@code 0 <= clip < clips}
     * @param clips the number of test clips {@code C}, at least 1
     * @return {@code segments} frame indices in {@code [0, frames)}
     */
    public static int[] tsamTest(int frames, int segments, int clip, int clips) {
        check(frames, segments);
        if (clips < 1 || clip < 0 || clip >= clips) {
            throw new IllegalArgumentException(
                    "clip must be in [0, clips) with clips >= 1, got " + clip + " of " + clips);
        }
        double tick = frames / (double) segments;
        double offset = clips == 1 ? tick / 2.0 : tick * (clip + 0.5) / clips;
        int[] indices = new int[segments];
        for (int i = 0; i < segments; i++) {
            indices[i] = Math.min((int) (offset + tick * i), frames - 1);
        }
        return indices;
    }

    /**
     * The frames TSAM's code takes for training ({@code sample_indices_training}): {@code int(tick
     * * i) + randint(int(tick + 1))}, clamped to {@code [0, F)}.
     *
     * @param rng the only source of randomness
     */
    public static int[] tsamTrain(int frames, int segments, RandomGenerator rng) {
        check(frames, segments);
        double tick = frames / (double) segments;
        int spread = (int) (tick + 1);
        int[] indices = new int[segments];
        for (int i = 0; i < segments; i++) {
            indices[i] = Math.min((int) (tick * i) + rng.nextInt(spread), frames - 1);
        }
        return indices;
    }

    private static int[] repeated(int frames, int segments) {
        int[] indices = new int[segments];
        for (int i = 0; i < segments; i++) {
            indices[i] = segmentStart(frames, segments, i);
        }
        return indices;
    }

    private static int segmentStart(int frames, int segments, int i) {
        return (int) ((long) i * frames / segments);
    }

    private static void check(int frames, int segments) {
        if (frames < 1) {
            throw new IllegalArgumentException(
                    "a video needs at least 1 frame to be sampled, got " + frames);
        }
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be at least 1, got " + segments);
        }
    }
}
