package io.tsam.media.audio;

import io.tsam.media.MediaException;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

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
    /** JavaCV's exception messages carry FFmpeg's error code as "... error -1094995529: ...". */
    private static final Pattern FFMPEG_ERROR = Pattern.compile("error (-\\d+)");

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
     * <p>In a file with several audio streams, the one JavaCV's grabber selects is decoded: the
     * first whose disposition flags are all clear, else the first.
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
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toAbsolutePath().toFile())) {
            grabber.setSampleMode(FrameGrabber.SampleMode.FLOAT);
            try {
                grabber.start();
            } catch (FrameGrabber.Exception e) {
                throw new MediaException(
                        file, "FFmpeg cannot open it as media (" + ffmpegReason(e) + ")", e);
            }
            if (!grabber.hasAudio()) {
                return Optional.empty();
            }
            discardAllButAudio(grabber);
            return Optional.of(decode(file, grabber));
        } catch (FrameGrabber.Exception e) {
            throw new MediaException(
                    file, "cannot decode the audio track (" + ffmpegReason(e) + ")", e);
        }
    }

    /**
     * FFmpeg's own wording for the error code in a JavaCV exception ("Invalid data found when
     * processing input"), or the exception's message when it carries no code.
     */
    private static String ffmpegReason(FrameGrabber.Exception e) {
        String message = String.valueOf(e.getMessage());
        Matcher m = FFMPEG_ERROR.matcher(message);
        if (m.find()) {
            byte[] text = new byte[256];
            if (avutil.av_strerror(Integer.parseInt(m.group(1)), text, text.length) == 0) {
                int end = 0;
                while (end < text.length && text[end] != 0) {
                    end++;
                }
                return new String(text, 0, end, StandardCharsets.UTF_8);
            }
        }
        return message;
    }

    /**
     * Makes the demuxer drop the packets of every stream but the chosen audio one, so video is
     * neither decoded nor even handed to the grabber.
     */
    private static void discardAllButAudio(FFmpegFrameGrabber grabber) {
        AVFormatContext context = grabber.getFormatContext();
        int audio = grabber.getAudioStream();
        for (int i = 0; i < context.nb_streams(); i++) {
            if (i != audio) {
                context.streams(i).discard(avcodec.AVDISCARD_ALL);
            }
        }
    }

    private static AudioTrack decode(Path file, FFmpegFrameGrabber grabber)
            throws FrameGrabber.Exception {
        int channelCount = grabber.getAudioChannels();
        int rate = grabber.getSampleRate();
        if (channelCount <= 0 || rate <= 0) {
            throw new MediaException(
                    file,
                    "audio stream reports "
                            + channelCount
                            + " channels at "
                            + rate
                            + " Hz; cannot decode it");
        }
        SampleSink sink = new SampleSink(channelCount);
        Frame frame;
        // grabSamples() returns null at end of stream, so a truncated file ends the loop early.
        while ((frame = grabber.grabSamples()) != null) {
            if (frame.samples != null) {
                sink.append(file, frame.samples);
            }
        }
        return new AudioTrack(rate, sink.channels());
    }

    /** Grows one float array per channel as decoded frames arrive. */
    private static final class SampleSink {
        // Java arrays hold a little less than 2^31 elements.
        private static final int MAX_SAMPLES = Integer.MAX_VALUE - 8;
        private final float[][] data;
        private int length;

        SampleSink(int channelCount) {
            data = new float[channelCount][4096];
        }

        void append(Path file, Buffer[] planes) {
            int channelCount = data.length;
            if (planes.length == 1) {
                // Interleaved: what SampleMode.FLOAT asks FFmpeg to convert to.
                FloatBuffer buf = floats(file, planes[0]);
                int n = buf.remaining() / channelCount;
                ensure(file, n);
                int base = buf.position();
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < channelCount; c++) {
                        data[c][length + i] = buf.get(base + i * channelCount + c);
                    }
                }
                length += n;
            } else if (planes.length == channelCount) {
                int n = floats(file, planes[0]).remaining();
                ensure(file, n);
                for (int c = 0; c < channelCount; c++) {
                    FloatBuffer buf = floats(file, planes[c]);
                    buf.get(buf.position(), data[c], length, Math.min(n, buf.remaining()));
                }
                length += n;
            } else {
                throw new MediaException(
                        file,
                        "decoder returned "
                                + planes.length
                                + " sample planes for "
                                + channelCount
                                + " channels");
            }
        }

        private static FloatBuffer floats(Path file, Buffer buffer) {
            if (buffer instanceof FloatBuffer floats) {
                return floats;
            }
            throw new MediaException(
                    file, "decoder returned " + buffer.getClass().getSimpleName() + ", not floats");
        }

        private void ensure(Path file, int extra) {
            long needed = (long) length + extra;
            if (needed > MAX_SAMPLES) {
                throw new MediaException(
                        file, "audio track is longer than " + MAX_SAMPLES + " samples per channel");
            }
            if (needed > data[0].length) {
                int capacity = (int) Math.min(MAX_SAMPLES, Math.max(needed, 2L * data[0].length));
                for (int c = 0; c < data.length; c++) {
                    data[c] = Arrays.copyOf(data[c], capacity);
                }
            }
        }

        float[][] channels() {
            float[][] out = new float[data.length][];
            for (int c = 0; c < data.length; c++) {
                out[c] = Arrays.copyOf(data[c], length);
            }
            return out;
        }
    }
}
