package io.tsam.media.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDatasetTest {
    private static final SynthSpec SPEC =
            SynthSpec.defaults().withPerClass(2).withSeed(11).withSize(64, 48).withSeconds(1.0);

    @TempDir static Path dir;

    private static SynthSummary summary;
    private static final List<Integer> progress = new ArrayList<>();
    private static final Map<String, Decoded> decoded = new HashMap<>();

    @BeforeAll
    static void generate() throws IOException {
        summary = SyntheticDataset.generate(dir, SPEC, progress::add);
        for (SynthClass c : SynthClass.values()) {
            for (int i = 0; i < SPEC.perClass(); i++) {
                String id = c.videoId(i);
                decoded.put(id, Decoded.of(dir.resolve("videos").resolve(id + ".mp4")));
            }
        }
    }

    @Test
    void writesTheTsamLayout() throws IOException {
        assertEquals(16, summary.videos());
        assertEquals(8, summary.trainingVideos());
        assertEquals(8, summary.validationVideos());
        assertEquals(16.0, summary.totalVideoSeconds(), 1e-9);
        assertEquals(Mp4Writer.bestVideoCodec(), summary.videoCodec());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16), progress);

        List<String> labels = Files.readAllLines(dir.resolve("labels.txt"));
        assertEquals(Stream.of(SynthClass.values()).map(SynthClass::id).toList(), labels);

        Map<String, String> config =
                new ObjectMapper()
                        .readValue(
                                dir.resolve("data.json").toFile(),
                                new TypeReference<LinkedHashMap<String, String>>() {});
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("data_dir", ".");
        expected.put("dir_videos", "videos");
        expected.put("dir_frames", "frames");
        expected.put("dir_audios", "audios");
        expected.put("file_train_list", "training.txt");
        expected.put("file_val_list", "validation.txt");
        expected.put("frames_tmpl", "{:05d}.jpg");
        expected.put("file_labels", "labels.txt");
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(config.entrySet()));

        try (Stream<Path> files = Files.list(dir.resolve("videos"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(16, names.size(), "no temporary files left: " + names);
            assertTrue(names.stream().allMatch(n -> n.endsWith(".mp4")), names.toString());
        }
    }

    @Test
    void listsSplitEveryClassIntoTrainingAndValidation() throws IOException {
        Map<String, Integer> training = readList(summary.trainingList());
        Map<String, Integer> validation = readList(summary.validationList());
        int[] trainPerLabel = new int[8];
        int[] valPerLabel = new int[8];
        training.forEach((id, label) -> trainPerLabel[checkLabel(id, label)]++);
        validation.forEach((id, label) -> valPerLabel[checkLabel(id, label)]++);
        int[] ones = {1, 1, 1, 1, 1, 1, 1, 1};
        assertArrayEquals(ones, trainPerLabel);
        assertArrayEquals(ones, valPerLabel);
        assertTrue(training.keySet().stream().noneMatch(validation::containsKey));
        for (String id : training.keySet()) {
            assertTrue(Files.isRegularFile(dir.resolve("videos").resolve(id + ".mp4")), id);
        }
        for (String id : validation.keySet()) {
            assertTrue(Files.isRegularFile(dir.resolve("videos").resolve(id + ".mp4")), id);
        }
    }

    @Test
    void everyVideoHasOneVideoAndOneAudioStreamOfTheRightLength() {
        assertEquals(16, decoded.size());
        decoded.forEach(
                (id, video) -> {
                    assertEquals(1, video.videoStreams(), id);
                    assertEquals(1, video.audioStreams(), id);
                    assertEquals(avutil.AV_PIX_FMT_YUV420P, video.pixelFormat(), id);
                    assertTrue(Math.abs(SPEC.frames() - video.frames().size()) <= 1, id);
                    assertEquals(1.0, video.seconds(), 0.05, id);
                    assertEquals(16000, video.sampleRate(), id);
                    assertEquals(1, video.channels(), id);
                    // AAC codes whole 1024-sample frames: allow one frame either way.
                    assertEquals(SPEC.samples(), video.audio().length, 1024, id);
                });
    }

    @Test
    void toneIsInItsClassBand() {
        for (SynthClass c : SynthClass.values()) {
            for (int i = 0; i < SPEC.perClass(); i++) {
                Decoded video = decoded.get(c.videoId(i));
                double peak = peakFrequency(video.audio(), video.sampleRate());
                assertTrue(
                        peak >= c.tone().minHz() - 10 && peak <= c.tone().maxHz() + 10,
                        c.videoId(i) + " peaks at " + peak + " Hz");
            }
        }
    }

    @Test
    void objectMovesInTheClassDirection() {
        for (int i = 0; i < SPEC.perClass(); i++) {
            for (SynthClass.Tone tone : SynthClass.Tone.values()) {
                double[] right = track(SynthClass.Motion.LEFT_TO_RIGHT, tone, i, false);
                assertMonotonic(right, 1.0, "left_to_right centroid x");
                assertTrue(right[right.length - 1] - right[0] > 0.4 * SPEC.width());
                double[] left = track(SynthClass.Motion.RIGHT_TO_LEFT, tone, i, false);
                assertMonotonic(negate(left), 1.0, "right_to_left centroid x");
                assertTrue(left[0] - left[left.length - 1] > 0.4 * SPEC.width());
                double[] grow = track(SynthClass.Motion.GROWING, tone, i, true);
                assertMonotonic(grow, 0.1 * grow[grow.length - 1], "growing area");
                assertTrue(grow[grow.length - 1] > 4 * grow[0], Arrays.toString(grow));
                double[] shrink = track(SynthClass.Motion.SHRINKING, tone, i, true);
                assertMonotonic(negate(shrink), 0.1 * shrink[0], "shrinking area");
                assertTrue(shrink[0] > 4 * shrink[shrink.length - 1], Arrays.toString(shrink));
            }
        }
    }

    @Test
    void sameSeedGivesSameBytesOtherSeedDiffers(@TempDir Path other) throws IOException {
        // A stale file under a final name and an unrelated file: ours is overwritten, theirs kept.
        Path stale = other.resolve("videos").resolve("left_to_right_low_0000.mp4");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "not a video");
        Path unrelated = other.resolve("notes.md");
        Files.writeString(unrelated, "keep me");

        SynthSpec spec = SPEC.withPerClass(1).withSeed(5);
        Path first = other.resolve("first");
        SyntheticDataset.generate(other, spec.withThreads(1), n -> {});
        SyntheticDataset.generate(first, spec.withThreads(2), n -> {});
        Path reseeded = other.resolve("reseeded");
        SyntheticDataset.generate(reseeded, spec.withSeed(6), n -> {});

        assertEquals("keep me", Files.readString(unrelated, StandardCharsets.UTF_8));
        for (SynthClass c : SynthClass.values()) {
            String name = c.videoId(0) + ".mp4";
            Path a = other.resolve("videos").resolve(name);
            Path b = first.resolve("videos").resolve(name);
            Decoded da = Decoded.of(a);
            Decoded db = Decoded.of(b);
            assertEquals(da.frames().size(), db.frames().size(), name);
            for (int f = 0; f < da.frames().size(); f++) {
                assertArrayEquals(da.frames().get(f), db.frames().get(f), name + " frame " + f);
            }
            assertArrayEquals(da.audio(), db.audio(), name);
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), name + " bytes");

            Decoded dc = Decoded.of(reseeded.resolve("videos").resolve(name));
            assertFalse(Arrays.equals(da.frames().get(0), dc.frames().get(0)), name);
            assertFalse(Arrays.equals(da.audio(), dc.audio()), name);
        }
    }

    @Test
    void mpeg4FallbackWritesDecodableVideos(@TempDir Path other) throws IOException {
        SynthSpec spec = SPEC.withPerClass(1);
        SynthSummary result = SyntheticDataset.generate(other, spec, n -> {}, Mp4Writer.MPEG4);
        assertEquals(Mp4Writer.MPEG4, result.videoCodec());
        Path file = other.resolve("videos").resolve(SynthClass.GROWING_HIGH.videoId(0) + ".mp4");
        Decoded video = Decoded.of(file);
        assertEquals(avcodec.AV_CODEC_ID_MPEG4, video.videoCodec());
        assertEquals(1, video.videoStreams());
        assertEquals(1, video.audioStreams());
        assertTrue(Math.abs(spec.frames() - video.frames().size()) <= 1);
    }

    /** Centroid x (or area) of the object in the middle frame of 8 equal segments. */
    private static double[] track(
            SynthClass.Motion motion, SynthClass.Tone tone, int index, boolean area) {
        SynthClass c = SynthClass.valueOf(motion.name() + "_" + tone.name());
        List<byte[]> frames = decoded.get(c.videoId(index)).frames();
        int segments = 8;
        double[] out = new double[segments];
        for (int s = 0; s < segments; s++) {
            int frame = (int) ((s + 0.5) * frames.size() / segments);
            double[] stats = objectStats(frames.get(frame), SPEC.width(), SPEC.height());
            out[s] = area ? stats[0] : stats[1];
        }
        return out;
    }

    /**
     * Area and centroid x of the pixels far from the frame's per-channel median, which is the
     * background because the object never covers half the frame.
     */
    private static double[] objectStats(byte[] rgb, int width, int height) {
        int[] median = new int[3];
        int pixels = width * height;
        for (int c = 0; c < 3; c++) {
            int[] channel = new int[pixels];
            for (int p = 0; p < pixels; p++) {
                channel[p] = rgb[p * 3 + c] & 0xff;
            }
            Arrays.sort(channel);
            median[c] = channel[pixels / 2];
        }
        double count = 0;
        double sumX = 0;
        for (int p = 0; p < pixels; p++) {
            int distance = 0;
            for (int c = 0; c < 3; c++) {
                distance += Math.abs((rgb[p * 3 + c] & 0xff) - median[c]);
            }
            if (distance > 100) {
                count++;
                sumX += p % width + 0.5;
            }
        }
        assertTrue(count > 0, "no object pixels found");
        return new double[] {count, sumX / count};
    }

    private static void assertMonotonic(double[] values, double tolerance, String what) {
        for (int i = 1; i < values.length; i++) {
            assertTrue(
                    values[i] >= values[i - 1] - tolerance,
                    what + " not increasing: " + Arrays.toString(values));
        }
    }

    private static double[] negate(double[] values) {
        return Arrays.stream(values).map(v -> -v).toArray();
    }

    /** The frequency, on a 5 Hz grid from 100 Hz to 4 kHz, with the most energy (Goertzel). */
    private static double peakFrequency(float[] audio, int sampleRate) {
        double best = 0;
        double bestPower = -1;
        for (double f = 100; f <= 4000; f += 5) {
            double coefficient = 2 * Math.cos(2 * Math.PI * f / sampleRate);
            double s1 = 0;
            double s2 = 0;
            for (float x : audio) {
                double s0 = x + coefficient * s1 - s2;
                s2 = s1;
                s1 = s0;
            }
            double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
            if (power > bestPower) {
                bestPower = power;
                best = f;
            }
        }
        return best;
    }

    private static Map<String, Integer> readList(Path file) throws IOException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.split(" ");
            assertEquals(2, parts.length, line);
            assertEquals(null, out.put(parts[0], Integer.parseInt(parts[1])), line);
        }
        return out;
    }

    private static int checkLabel(String id, int label) {
        assertTrue(label >= 0 && label < 8, id + " " + label);
        assertTrue(id.startsWith(SynthClass.ofLabel(label).id() + "_"), id + " " + label);
        return label;
    }

    /** What a decoder sees in one file: stream counts, RGB frames and mono float samples. */
    private record Decoded(
            int videoStreams,
            int audioStreams,
            int videoCodec,
            int pixelFormat,
            double seconds,
            int sampleRate,
            int channels,
            List<byte[]> frames,
            float[] audio) {

        static Decoded of(Path file) throws IOException {
            try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
                grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
                grabber.start();
                AVFormatContext context = grabber.getFormatContext();
                int videoStreams = 0;
                int audioStreams = 0;
                int pixelFormat = -1;
                for (int s = 0; s < context.nb_streams(); s++) {
                    int type = context.streams(s).codecpar().codec_type();
                    if (type == avutil.AVMEDIA_TYPE_VIDEO) {
                        videoStreams++;
                        pixelFormat = context.streams(s).codecpar().format();
                    } else if (type == avutil.AVMEDIA_TYPE_AUDIO) {
                        audioStreams++;
                    }
                }
                List<byte[]> frames = new ArrayList<>();
                List<Float> samples = new ArrayList<>();
                Frame frame;
                while ((frame = grabber.grab()) != null) {
                    if (frame.image != null) {
                        frames.add(rgb(frame));
                    }
                    if (frame.samples != null) {
                        addSamples(frame.samples[0], samples);
                    }
                }
                float[] audio = new float[samples.size()];
                for (int i = 0; i < audio.length; i++) {
                    audio[i] = samples.get(i);
                }
                return new Decoded(
                        videoStreams,
                        audioStreams,
                        grabber.getVideoCodec(),
                        pixelFormat,
                        grabber.getLengthInTime() / 1e6,
                        grabber.getSampleRate(),
                        grabber.getAudioChannels(),
                        frames,
                        audio);
            }
        }

        private static byte[] rgb(Frame frame) {
            int rowBytes = frame.imageWidth * 3;
            byte[] out = new byte[rowBytes * frame.imageHeight];
            ByteBuffer buffer = (ByteBuffer) frame.image[0];
            for (int y = 0; y < frame.imageHeight; y++) {
                buffer.get(y * frame.imageStride, out, y * rowBytes, rowBytes);
            }
            return out;
        }

        private static void addSamples(Buffer buffer, List<Float> out) {
            if (buffer instanceof FloatBuffer floats) {
                for (int i = floats.position(); i < floats.limit(); i++) {
                    out.add(floats.get(i));
                }
            } else if (buffer instanceof ShortBuffer shorts) {
                for (int i = shorts.position(); i < shorts.limit(); i++) {
                    out.add(shorts.get(i) / 32768f);
                }
            } else {
                throw new AssertionError("unexpected sample buffer " + buffer);
            }
        }
    }
}
