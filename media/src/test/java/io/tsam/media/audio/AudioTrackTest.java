package io.tsam.media.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.media.MediaException;
import io.tsam.media.io.Npy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioTrackTest {
    private static final Duration DECODE_LIMIT = Duration.ofSeconds(20);

    @TempDir Path dir;

    @Test
    void decodesAacStereoFromMp4() throws Exception {
        Path mp4 = dir.resolve("tones.mp4");
        writeMedia(
                mp4,
                "mp4",
                avcodec.AV_CODEC_ID_AAC,
                44100,
                new double[] {440.0, 1000.0},
                1.0,
                true);

        AudioTrack track = AudioTrack.read(mp4).orElseThrow();

        assertEquals(44100, track.sampleRate());
        assertEquals(2, track.channels().length);
        // AAC frames hold 1024 samples; FFmpeg drops the encoder delay but keeps the last frame's
        // padding, so the track is the written second rounded up to whole frames.
        assertTrue(
                track.samples() >= 44100 && track.samples() <= 44100 + 2048,
                "samples " + track.samples());
        assertEquals(440.0, dominantFrequency(track.channels()[0], 44100), 3.0);
        assertEquals(1000.0, dominantFrequency(track.channels()[1], 44100), 3.0);
        // Amplitude 0.5: rms 0.354 away from the edges, where AAC's transients are.
        assertEquals(0.5 / Math.sqrt(2), rms(track.channels()[0], 4096, 40000), 0.02);
        assertEquals(0.5 / Math.sqrt(2), rms(track.channels()[1], 4096, 40000), 0.02);
    }

    /**
     * The committed {@code aac_stereo.mp4} decoded by PyAV (FFmpeg 5.1); we must agree sample for
     * sample, which also shows the AAC priming samples are handled the same way. Measured max abs
     * difference 6e-8.
     */
    @Test
    void decodesLikePyAv() {
        float[] info = AudioFixtures.load("aac_stereo_pyav_info.npy").data();
        Npy.Array strided = AudioFixtures.load("aac_stereo_pyav_strided.npy");
        int stride = 16;

        AudioTrack track = AudioTrack.read(AudioFixtures.path("aac_stereo.mp4")).orElseThrow();

        assertEquals((int) info[0], track.sampleRate());
        assertEquals((int) info[1], track.channels().length);
        assertEquals((int) info[2], track.samples());
        int columns = (int) strided.shape()[1];
        float[] actual = new float[track.channels().length * columns];
        for (int c = 0; c < track.channels().length; c++) {
            for (int i = 0; i < columns; i++) {
                actual[c * columns + i] = track.channels()[c][i * stride];
            }
        }
        double error = AudioFixtures.maxAbsDiff(strided.data(), actual);
        assertTrue(error < 1e-5, "max abs difference to PyAV " + error);
    }

    @Test
    void decodesWavExactly() throws Exception {
        Path wav = dir.resolve("ramp.wav");
        short[] left = new short[11025];
        short[] right = new short[11025];
        for (int i = 0; i < left.length; i++) {
            left[i] = (short) (i * 2 - 11025);
            right[i] = (short) -left[i];
        }
        writeWav(wav, 22050, left, right);

        AudioTrack track = AudioTrack.read(wav).orElseThrow();

        assertEquals(22050, track.sampleRate());
        assertEquals(2, track.channels().length);
        assertEquals(11025, track.samples());
        assertEquals(0.5, track.seconds(), 1e-12);
        for (int i = 0; i < left.length; i++) {
            assertEquals(left[i] / 32768f, track.channels()[0][i], 1e-7f);
            assertEquals(right[i] / 32768f, track.channels()[1][i], 1e-7f);
        }
        for (float v : track.mono()) {
            assertTrue(Math.abs(v) < 1e-6, "left and right cancel in the mix, got " + v);
        }
    }

    @Test
    void decodesLosslessAudioOnlyMatroska() throws Exception {
        Path mkv = dir.resolve("tone.mkv");
        writeMedia(
                mkv, "matroska", avcodec.AV_CODEC_ID_FLAC, 48000, new double[] {750.0}, 0.5, false);

        AudioTrack track = AudioTrack.read(mkv).orElseThrow();

        assertEquals(48000, track.sampleRate());
        assertEquals(1, track.channels().length);
        assertEquals(24000, track.samples());
        for (int i = 0; i < track.samples(); i++) {
            double expected = 0.5 * Math.sin(2 * Math.PI * 750.0 * i / 48000);
            // FLAC stores 16-bit samples: one quantisation step of error at most.
            assertEquals(expected, track.channels()[0][i], 1.0 / 32768 + 1e-7);
        }
    }

    @Test
    void videoWithoutAudioHasNoTrack() throws Exception {
        Path mp4 = dir.resolve("silent-film.mp4");
        writeMedia(mp4, "mp4", avcodec.AV_CODEC_ID_AAC, 44100, new double[0], 0.5, true);

        assertEquals(Optional.empty(), AudioTrack.read(mp4));
    }

    @Test
    void textFileIsNotMedia() throws IOException {
        Path fake = dir.resolve("notes.mp4");
        Files.writeString(fake, "these are not the frames you are looking for\n".repeat(50));

        MediaException e = assertThrows(MediaException.class, () -> AudioTrack.read(fake));

        assertEquals(fake, e.file());
        assertTrue(e.getMessage().contains("notes.mp4"), e.getMessage());
        // FFmpeg's own reason, not JavaCV's hints about setFormat().
        assertTrue(e.getMessage().contains("Invalid data"), e.getMessage());
    }

    @Test
    void missingFileAndDirectoryAreErrors() {
        Path missing = dir.resolve("nowhere.mp4");

        MediaException e = assertThrows(MediaException.class, () -> AudioTrack.read(missing));

        assertTrue(e.getMessage().contains("nowhere.mp4"), e.getMessage());
        assertThrows(MediaException.class, () -> AudioTrack.read(dir));
    }

    /**
     * Without faststart the index (moov) is at the end, so a cut file cannot be opened; with it, a
     * cut file decodes up to the cut.
     */
    @Test
    void truncatedMp4FailsOrIsShorterButNeverHangs() throws Exception {
        for (boolean faststart : new boolean[] {false, true}) {
            Path mp4 = dir.resolve("whole-" + faststart + ".mp4");
            String[] options = faststart ? new String[] {"movflags", "faststart"} : new String[0];
            writeMedia(
                    mp4,
                    "mp4",
                    avcodec.AV_CODEC_ID_AAC,
                    44100,
                    new double[] {440.0, 1000.0},
                    1.0,
                    true,
                    options);
            byte[] bytes = Files.readAllBytes(mp4);
            int whole = AudioTrack.read(mp4).orElseThrow().samples();
            for (double keep : new double[] {0.3, 0.6, 0.9}) {
                Path cut = dir.resolve("cut-" + faststart + "-" + keep + ".mp4");
                Files.write(cut, Arrays.copyOf(bytes, (int) (bytes.length * keep)));

                if (faststart) {
                    int samples =
                            assertTimeoutPreemptively(
                                    DECODE_LIMIT,
                                    () -> AudioTrack.read(cut).orElseThrow().samples());
                    assertTrue(samples < whole, "cut at " + keep + ": " + samples + " samples");
                } else {
                    MediaException e =
                            assertTimeoutPreemptively(
                                    DECODE_LIMIT,
                                    () ->
                                            assertThrows(
                                                    MediaException.class,
                                                    () -> AudioTrack.read(cut)));
                    assertTrue(
                            e.getMessage().contains(cut.getFileName().toString()), e.getMessage());
                }
            }
        }
    }

    @Test
    void monoIsTheMeanOfTheChannels() {
        AudioTrack track =
                new AudioTrack(
                        8000, new float[][] {{1f, 0.5f, -1f}, {0f, 0.5f, 1f}, {0.5f, 2f, 0f}});

        assertArrayEquals(new float[] {0.5f, 1f, 0f}, track.mono(), 1e-7f);
        assertEquals(3, track.samples());
    }

    @Test
    void sliceRoundsToSamplesAndClamps() {
        float[] ramp = new float[100];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i;
        }
        AudioTrack track = new AudioTrack(100, new float[][] {ramp});

        AudioTrack middle = track.slice(0.25, 0.5);
        AudioTrack tail = track.slice(0.9, 5.0);
        AudioTrack outside = track.slice(2.0, 3.0);

        assertEquals(25, middle.samples());
        assertEquals(25f, middle.channels()[0][0]);
        assertEquals(10, tail.samples());
        assertEquals(99f, tail.channels()[0][9]);
        assertEquals(0, outside.samples());
        assertEquals(100, track.slice(-1.0, 1.0).samples());
        assertThrows(IllegalArgumentException.class, () -> track.slice(0.5, 0.25));
    }

    @Test
    void rejectsRaggedChannelsAndBadRates() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new AudioTrack(8000, new float[][] {new float[3], new float[4]}));
        assertThrows(IllegalArgumentException.class, () -> new AudioTrack(0, new float[][] {{0f}}));
        assertThrows(IllegalArgumentException.class, () -> new AudioTrack(8000, new float[0][]));
    }

    /**
     * A media file with, optionally, a tiny MPEG-4 video and, when frequencies are given, one audio
     * channel per frequency holding a tone of amplitude 0.5; {@code formatOptions} are muxer option
     * name/value pairs.
     */
    static void writeMedia(
            Path file,
            String format,
            int audioCodec,
            int rate,
            double[] toneHz,
            double seconds,
            boolean withVideo,
            String... formatOptions)
            throws Exception {
        int channels = toneHz.length;
        int size = withVideo ? 32 : 0;
        try (FFmpegFrameRecorder recorder =
                new FFmpegFrameRecorder(file.toFile(), size, size, channels)) {
            recorder.setFormat(format);
            for (int i = 0; i + 1 < formatOptions.length; i += 2) {
                recorder.setOption(formatOptions[i], formatOptions[i + 1]);
            }
            if (withVideo) {
                recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                recorder.setFrameRate(10);
            }
            if (channels > 0) {
                recorder.setAudioCodec(audioCodec);
                recorder.setSampleRate(rate);
                recorder.setAudioBitrate(128_000);
            }
            recorder.start();
            if (withVideo) {
                Frame frame = new Frame(32, 32, Frame.DEPTH_UBYTE, 3);
                ByteBuffer pixels = (ByteBuffer) frame.image[0];
                for (int f = 0; f < (int) Math.round(seconds * 10); f++) {
                    for (int i = 0; i < pixels.capacity(); i++) {
                        pixels.put(i, (byte) (f * 20 + i));
                    }
                    recorder.record(frame);
                }
            }
            if (channels > 0) {
                int n = (int) Math.round(seconds * rate);
                int chunk = 4096;
                for (int start = 0; start < n; start += chunk) {
                    int count = Math.min(chunk, n - start);
                    FloatBuffer interleaved = FloatBuffer.allocate(count * channels);
                    for (int i = 0; i < count; i++) {
                        for (double hz : toneHz) {
                            interleaved.put(
                                    (float)
                                            (0.5
                                                    * Math.sin(
                                                            2
                                                                    * Math.PI
                                                                    * hz
                                                                    * (start + i)
                                                                    / rate)));
                        }
                    }
                    interleaved.flip();
                    recorder.recordSamples(rate, channels, interleaved);
                }
            }
        }
    }

    private static void writeWav(Path file, int rate, short[] left, short[] right)
            throws Exception {
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), 2)) {
            recorder.setFormat("wav");
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_PCM_S16LE);
            recorder.setSampleRate(rate);
            recorder.start();
            ShortBuffer interleaved = ShortBuffer.allocate(left.length * 2);
            for (int i = 0; i < left.length; i++) {
                interleaved.put(left[i]).put(right[i]);
            }
            interleaved.flip();
            recorder.recordSamples(rate, 2, interleaved);
        }
    }

    /** The frequency of the strongest DFT bin over the first power-of-two block of samples. */
    private static double dominantFrequency(float[] x, int rate) {
        int n = Integer.highestOneBit(x.length);
        double[] block = new double[n];
        for (int i = 0; i < n; i++) {
            block[i] = x[i];
        }
        new DoubleFFT_1D(n).realForward(block);
        int best = 1;
        double bestPower = 0;
        for (int k = 1; k < n / 2; k++) {
            double power = block[2 * k] * block[2 * k] + block[2 * k + 1] * block[2 * k + 1];
            if (power > bestPower) {
                bestPower = power;
                best = k;
            }
        }
        return (double) best * rate / n;
    }

    private static double rms(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return Math.sqrt(sum / (to - from));
    }
}
