package io.tsam.media.audio;

import io.tsam.config.AudioImageConfig;
import io.tsam.media.image.BilinearResize;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The audio image of the {@code tsam} input profile: what TSAM's {@code get_audio_x} and {@code
 * wafeform_to_spectrogram_torch} compute from the {@code .wav} that {@code ffmpeg -i VIDEO ID.wav}
 * writes.
 *
 * <p>The track's first channel at its own sample rate, as 16-bit PCM reads back ({@code round(x *
 * 32768) / 32768}, clipped); per image channel {@code c} a {@code MelSpectrogram(sr, n_fft=4800,
 * win_length=round(window_ms[c] * sr / 1000), hop_length=round(hop_ms[c] * sr / 1000), n_mels)}
 * (HTK, 0 Hz to {@code sr // 2}, power 2, centred reflect-padded frames), {@code ln(mel + eps)},
 * resized to the image size without antialiasing (torchvision 0.14's tensor {@code Resize}), not
 * standardised. Training may first cut up to {@code random_shift_waveform} seconds from both ends.
 * Instances are immutable and safe to share between threads.
 */
public final class TsamAudioImage {
    /** TSAM's FFT size, whatever the window. */
    public static final int FFT_SIZE = 4800;

    private static final int CHANNELS = 3;
    private static final float PCM_SCALE = 32768f;

    private final AudioImageConfig config;
    private final int height;
    private final int width;

    /**
     * @param config the windows, hops, bands and log offset
     * @param height the image height (TSAM's {@code spec_size[1]})
     * @param width the image width
     */
    public TsamAudioImage(AudioImageConfig config, int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "audio image size must be positive, got " + height + "x" + width);
        }
        this.config = Objects.requireNonNull(config, "config");
        this.height = height;
        this.width = width;
    }

    /**
     * The test-time image of a track.
     *
     * @return row-major {@code [3][height][width]}
     * @throws IllegalArgumentException if a window is longer than {@value #FFT_SIZE} samples at the
     *     track's rate (above 48 kHz for 100 ms windows; TSAM's code fails there too)
     */
    public float[] build(AudioTrack track) {
        return spectrograms(firstChannelAsPcm16(track), track.sampleRate());
    }

    /**
     * A training image: TSAM's {@code random_shift_waveform} first cuts a random {@code s} in
     * {@code [0, shift[0] * sr]} samples from the start and {@code e} in {@code [0, shift[1] * sr]}
     * from the end, when more than {@value #FFT_SIZE} samples remain.
     */
    public float[] build(AudioTrack track, List<Double> shift, RandomGenerator rng) {
        float[] samples = firstChannelAsPcm16(track);
        if (!shift.isEmpty()) {
            int sr = track.sampleRate();
            int start = rng.nextInt((int) (shift.get(0) * sr) + 1);
            int end = samples.length - rng.nextInt((int) (shift.get(1) * sr) + 1);
            if (end - start > FFT_SIZE) {
                samples = Arrays.copyOfRange(samples, start, end);
            }
        }
        return spectrograms(samples, track.sampleRate());
    }

    /** The image of a silent track: {@code ln(eps)} everywhere. */
    public float[] silence() {
        float[] out = new float[CHANNELS * height * width];
        Arrays.fill(out, (float) Math.log(config.eps()));
        return out;
    }

    private float[] spectrograms(float[] samples, int sampleRate) {
        int plane = height * width;
        float[] out = new float[CHANNELS * plane];
        for (int c = 0; c < CHANNELS; c++) {
            LogMelSpectrogram spectrogram =
                    LogMelSpectrogram.builder()
                            .setSampleRate(sampleRate)
                            .setWindow(
                                    samplesOf(config.windowsMs().get(c), sampleRate),
                                    samplesOf(config.hopsMs().get(c), sampleRate))
                            .optFftSize(FFT_SIZE)
                            .optMels(config.melBands())
                            .optLogOffset(config.eps())
                            .build();
            float[] mel = spectrogram.compute(samples);
            int frames = spectrogram.frames(samples.length);
            float[] resized =
                    BilinearResize.resizeWithoutAntialias(
                            mel, config.melBands(), frames, height, width);
            System.arraycopy(resized, 0, out, c * plane, plane);
        }
        return out;
    }

    /** Python's {@code int(round(ms * sr / 1000))}: half to even. */
    private static int samplesOf(double ms, int sampleRate) {
        return (int) Math.rint(ms * sampleRate / 1000);
    }

    /** Channel 0 as a 16-bit {@code .wav} stores it and torchaudio reads it back. */
    private static float[] firstChannelAsPcm16(AudioTrack track) {
        float[] channel = track.channels()[0];
        float[] out = new float[channel.length];
        for (int i = 0; i < channel.length; i++) {
            double pcm = Math.rint(channel[i] * (double) PCM_SCALE);
            out[i] = (float) (Math.max(-PCM_SCALE, Math.min(PCM_SCALE - 1, pcm)) / PCM_SCALE);
        }
        return out;
    }
}
