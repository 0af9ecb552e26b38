package io.tsam.media.synth;

import java.util.Set;
import java.util.TreeSet;

/**
 * What to generate: how many videos per class, from which seed, and the shape of each video.
 *
 * <p>Everything random about a video follows from {@code seed}, its class and its index, so the
 * same spec writes the same content; {@code threads} only changes how fast.
 *
 * @param perClass videos per class, at least 1; {@link #validationPerClass()} of them go to the
 *     validation list
 * @param seed seed of every random choice
 * @param width frame width in pixels, even, at least 32
 * @param height frame height in pixels, even, at least 32
 * @param seconds clip length; together with {@code fps} it must give at least 2 frames
 * @param fps frames per second, 1 to 120
 * @param sampleRate audio sample rate in Hz, one the AAC encoder accepts (8000 to 48000)
 * @param threads videos encoded at the same time, 1 to 64
 */
public record SynthSpec(
        int perClass,
        long seed,
        int width,
        int height,
        double seconds,
        int fps,
        int sampleRate,
        int threads) {

    /** Sample rates of the AAC encoder that leave room for the high tone band. */
    private static final Set<Integer> SAMPLE_RATES =
            new TreeSet<>(Set.of(8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000));

    private static final int MAX_SIDE = 4096;
    private static final double MAX_SECONDS = 600.0;

    public SynthSpec {
        if (perClass < 1) {
            throw new IllegalArgumentException("perClass " + perClass + " must be at least 1");
        }
        checkSide("width", width);
        checkSide("height", height);
        if (!(seconds > 0.0 && seconds <= MAX_SECONDS)) {
            throw new IllegalArgumentException(
                    "seconds " + seconds + " must be in (0, " + MAX_SECONDS + "]");
        }
        if (fps < 1 || fps > 120) {
            throw new IllegalArgumentException("fps " + fps + " must be in 1..120");
        }
        if (Math.round(seconds * fps) < 2) {
            throw new IllegalArgumentException(
                    "seconds "
                            + seconds
                            + " at fps "
                            + fps
                            + " gives fewer than 2 frames; a motion needs at least 2");
        }
        if (!SAMPLE_RATES.contains(sampleRate)) {
            throw new IllegalArgumentException(
                    "sampleRate " + sampleRate + " is not supported; allowed: " + SAMPLE_RATES);
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads " + threads + " must be in 1..64");
        }
    }

    /** 16 videos per class, seed 0, 160x120, 3 s at 25 fps, 16 kHz audio, 2 threads. */
    public static SynthSpec defaults() {
        return new SynthSpec(16, 0L, 160, 120, 3.0, 25, 16000, 2);
    }

    /** This spec with {@code perClass} videos per class. */
    public SynthSpec withPerClass(int perClass) {
        return new SynthSpec(perClass, seed, width, height, seconds, fps, sampleRate, threads);
    }

    /** This spec with another seed. */
    public SynthSpec withSeed(long seed) {
        return new SynthSpec(perClass, seed, width, height, seconds, fps, sampleRate, threads);
    }

    /** This spec with another frame size. */
    public SynthSpec withSize(int width, int height) {
        return new SynthSpec(perClass, seed, width, height, seconds, fps, sampleRate, threads);
    }

    /** This spec with another clip length. */
    public SynthSpec withSeconds(double seconds) {
        return new SynthSpec(perClass, seed, width, height, seconds, fps, sampleRate, threads);
    }

    /** This spec with another frame rate. */
    public SynthSpec withFps(int fps) {
        return new SynthSpec(perClass, seed, width, height, seconds, fps, sampleRate, threads);
    }

    /** This spec with another audio sample rate. */
    public SynthSpec withSampleRate(int sampleRate) {
        return new SynthSpec(perClass, seed, width, height, seconds, fps, sampleRate, threads);
    }

    /** This spec with another number of encoding threads. */
    public SynthSpec withThreads(int threads) {
        return new SynthSpec(perClass, seed, width, height, seconds, fps, sampleRate, threads);
    }

    /** Frames per video, {@code round(seconds * fps)}. */
    public int frames() {
        return (int) Math.round(seconds * fps);
    }

    /** Audio samples per video, spanning exactly the video's frames. */
    public int samples() {
        return (int) ((long) frames() * sampleRate / fps);
    }

    /**
     * Videos per class in the validation list: a quarter of {@code perClass}, rounded, and at least
     * one once there are two videos per class.
     */
    public int validationPerClass() {
        if (perClass < 2) {
            return 0;
        }
        return (int) Math.max(1, Math.round(perClass / 4.0));
    }

    /** Videos per class in the training list. */
    public int trainingPerClass() {
        return perClass - validationPerClass();
    }

    private static void checkSide(String name, int value) {
        if (value < 32 || value > MAX_SIDE || value % 2 != 0) {
            throw new IllegalArgumentException(
                    name
                            + " "
                            + value
                            + " must be even and in 32.."
                            + MAX_SIDE
                            + " (YUV 4:2:0 needs even sides)");
        }
    }
}
