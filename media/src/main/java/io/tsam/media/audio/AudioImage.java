package io.tsam.media.audio;

import io.tsam.media.image.BilinearResize;
import java.util.List;

/**
 * The audio image of SPEC §2: three standardised log-mel spectrograms of a 16 kHz mono signal as
 * one float {@code [3, H, W]} tensor.
 *
 * <p>Channel {@code c} uses window and hop {@link #WINDOWS}{@code .get(c)}: 25/10 ms, 50/25 ms and
 * 100/50 ms. Each spectrogram (128 HTK mel bands from 0 to 8 kHz as rows, row 0 the lowest; frames
 * as columns) is resized to {@code H x W} with {@link BilinearResize} and standardised to zero mean
 * and unit population variance over its own pixels; a constant spectrogram becomes zeros.
 */
public final class AudioImage {
    /** Sample rate in Hz the spectrograms are computed at. */
    public static final int SAMPLE_RATE = 16000;

    /** Mel bands per spectrogram. */
    public static final int MEL_BANDS = 128;

    /** Lowest mel band edge in Hz. */
    public static final double F_MIN = 0.0;

    /** Highest mel band edge in Hz. */
    public static final double F_MAX = 8000.0;

    /** Channels of the image, one per entry of {@link #WINDOWS}. */
    public static final int CHANNELS = 3;

    /** The (window, hop) of each channel in samples at {@link #SAMPLE_RATE}, in channel order. */
    public static final List<Window> WINDOWS =
            List.of(new Window(400, 160), new Window(800, 400), new Window(1600, 800));

    /**
     * A window and hop length in samples at {@link #SAMPLE_RATE}.
     *
     * @param winLength window length, 25, 50 or 100 ms
     * @param hopLength hop between frames, 10, 25 or 50 ms
     */
    public record Window(int winLength, int hopLength) {}

    private AudioImage() {}

    /**
     * The audio image of a mono signal at {@link #SAMPLE_RATE}.
     *
     * @return row-major {@code [3][height][width]}
     */
    public static float[] build(float[] mono16k, int height, int width) {
        checkSize(height, width);
        int plane = height * width;
        float[] out = new float[CHANNELS * plane];
        for (int c = 0; c < CHANNELS; c++) {
            Window w = WINDOWS.get(c);
            LogMelSpectrogram spectrogram =
                    LogMelSpectrogram.builder()
                            .setSampleRate(SAMPLE_RATE)
                            .setWindow(w.winLength(), w.hopLength())
                            .optMels(MEL_BANDS)
                            .optFrequencyRange(F_MIN, F_MAX)
                            .build();
            float[] mel = spectrogram.compute(mono16k);
            int frames = spectrogram.frames(mono16k.length);
            float[] resized = BilinearResize.resize(mel, MEL_BANDS, frames, height, width);
            standardise(resized, out, c * plane);
        }
        return out;
    }

    /**
     * The audio image of a track: its mono mix, resampled to {@link #SAMPLE_RATE} with {@link
     * SincResampler}, then {@link #build}.
     */
    public static float[] fromTrack(AudioTrack track, int height, int width) {
        float[] mono = SincResampler.resample(track.mono(), track.sampleRate(), SAMPLE_RATE);
        return build(mono, height, width);
    }

    /**
     * The image that stands for a missing audio track: all zeros, which is also what silence
     * standardises to.
     *
     * @return row-major {@code [3][height][width]} zeros
     */
    public static float[] silence(int height, int width) {
        checkSize(height, width);
        return new float[CHANNELS * height * width];
    }

    /** Writes {@code (x - mean) / std} of {@code plane} into {@code out} from {@code offset}. */
    private static void standardise(float[] plane, float[] out, int offset) {
        double sum = 0;
        for (float v : plane) {
            sum += v;
        }
        double mean = sum / plane.length;
        double squares = 0;
        for (float v : plane) {
            double d = v - mean;
            squares += d * d;
        }
        double std = Math.sqrt(squares / plane.length);
        if (std == 0.0) {
            // A constant image carries no information; zeros keep it finite (SPEC §2).
            return;
        }
        for (int i = 0; i < plane.length; i++) {
            out[offset + i] = (float) ((plane[i] - mean) / std);
        }
    }

    private static void checkSize(int height, int width) {
        if (height <= 0 || width <= 0 || (long) height * width * CHANNELS > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "audio image size must be positive and fit in one array, got "
                            + height
                            + "x"
                            + width);
        }
    }
}
