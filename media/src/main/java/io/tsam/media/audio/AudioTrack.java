package io.tsam.media.audio;

import io.tsam.media.MediaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * A decoded audio track: float samples (nominally in [-1, 1]) per channel at one sample rate.
 *
 * <p>{@code channels[c][i]} is sample {@code i} of channel {@code c}; every channel has the same
 * length. The arrays are not copied: the record owns them and callers must not change them.
 *
 * @param sampleRate samples per second, positive
 * @param channels one array per channel, at least one, all of equal length
 */
public record AudioTrack(int sampleRate, float[][] channels) {
    public AudioTrack {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException(
                    "sample rate must be positive, got " + sampleRate + " Hz");
        }
        if (channels.length == 0) {
            throw new IllegalArgumentException("an audio track needs at least one channel");
        }
        for (int c = 1; c < channels.length; c++) {
            if (channels[c].length != channels[0].length) {
                throw new IllegalArgumentException(
                        "channel "
                                + c
                                + " holds "
                                + channels[c].length
                                + " samples, channel 0 holds "
                                + channels[0].length
                                + "; all channels must be equally long");
            }
        }
    }

    /** Number of samples per channel. */
    public int samples() {
        return channels[0].length;
    }

    /** Duration in seconds. */
    public double seconds() {
        return (double) samples() / sampleRate;
    }

    /** The mean over channels of each sample (SPEC §2 mixes to mono this way); a new array. */
    public float[] mono() {
        int n = samples();
        float[] out = new float[n];
        if (channels.length == 1) {
            System.arraycopy(channels[0], 0, out, 0, n);
            return out;
        }
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (float[] channel : channels) {
                sum += channel[i];
            }
            out[i] = (float) (sum / channels.length);
        }
        return out;
    }

    /**
     * The samples from {@code startSec} (inclusive) to {@code endSec} (exclusive), both rounded to
     * the nearest sample and clamped to the track; an empty track when the span misses it.
     */
    public AudioTrack slice(double startSec, double endSec) {
        if (Double.isNaN(startSec) || Double.isNaN(endSec) || endSec < startSec) {
            throw new IllegalArgumentException(
                    "slice needs startSec <= endSec, got " + startSec + " .. " + endSec);
        }
        int from = clampedIndex(startSec);
        int to = Math.max(from, clampedIndex(endSec));
        float[][] out = new float[channels.length][];
        for (int c = 0; c < channels.length; c++) {
            out[c] = Arrays.copyOfRange(channels[c], from, to);
        }
        return new AudioTrack(sampleRate, out);
    }

    private int clampedIndex(double seconds) {
        double index = Math.rint(seconds * sampleRate);
        return (int) Math.max(0, Math.min(samples(), index));
    }

    /**
     * Decodes the whole audio stream of {@code file}, all channels at the native rate.
     *
     * <p>In a file with several audio streams, the first whose disposition flags are all clear is
     * decoded, else the first.
     *
     * <p>Decoding is FFmpeg's own, including its default handling of AAC encoder delay (the priming
     * samples are dropped), so the result matches other FFmpeg-based decoders such as PyAV and
     * torchaudio sample for sample. Other streams are discarded by the demuxer, so video is never
     * decoded.
     *
     * @return the track, or empty when the file has no audio stream
     * @throws MediaException when the file is missing, is not media, or its audio cannot be decoded
     */
    public static Optional<AudioTrack> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MediaException(
                    file, Files.exists(file) ? "not a regular file" : "no such file");
        }
        return AudioDecoder.decode(file);
    }
}
