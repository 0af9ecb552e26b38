package io.tsam.media.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.media.MediaException;
import io.tsam.media.image.RgbImage;
import io.tsam.media.io.Npy;
import io.tsam.media.sampling.SegmentSampler;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VideoFileTest {
    @TempDir Path dir;

    @Test
    void mpeg4WithBFramesReadsExactFramesInAnyOrder() throws IOException {
        Path file = TestVideos.write(dir.resolve("b.mp4"), TestVideos.Spec.mpeg4(), 60, 64, 48);
        checkRandomAccess(file, 60);
    }

    @Test
    void h264ReadsExactFramesInAnyOrder() throws IOException {
        Path file = TestVideos.write(dir.resolve("h.mp4"), TestVideos.Spec.h264(), 50, 64, 48);
        checkRandomAccess(file, 50);
    }

    @ParameterizedTest(name = "{0} px wide")
    @ValueSource(ints = {24, 40, 48, 56, 72, 88})
    void anyFrameWidthConvertsWithoutWritingPastTheBuffer(int width) throws IOException {
        // Regression: at 40 and 72 px swscale's SIMD paths wrote past the last RGB row and
        // corrupted the native heap, which crashed the JVM a few frames later.
        Path file =
                TestVideos.write(
                        dir.resolve(width + ".mp4"), TestVideos.Spec.mpeg4(), 9, width, 48);
        for (int round = 0; round < 3; round++) {
            checkRandomAccess(file, 9);
        }
    }

    @Test
    void fileNamesMayHoldColonsAndNonAscii() throws IOException {
        Path file = TestVideos.write(dir.resolve("a.mp4"), TestVideos.Spec.mpeg4(), 5, 64, 48);
        Path odd = Files.move(file, dir.resolve("vidéo:1 ü.mp4"));
        try (VideoFile video = VideoFile.open(odd)) {
            assertEquals(5, video.frameCount());
            assertEquals(4, TestVideos.number(video.read(new int[] {4}).get(0)));
        }
    }

    @Test
    void audioTrackIsIgnored() throws IOException {
        Path file =
                TestVideos.write(
                        dir.resolve("av.mp4"), TestVideos.Spec.mpeg4().withAudio(), 40, 64, 48);
        checkRandomAccess(file, 40);
    }

    /**
     * Matroska stores no frame count, MPEG-TS seeks by decoding time and lands late, AVI gives
     * B-frames no timestamps (read sequentially): each must still give exact frames.
     */
    @ParameterizedTest
    @CsvSource({"matroska, mkv", "mpegts, ts", "avi, avi"})
    void otherContainersReadExactFrames(String format, String extension) throws IOException {
        Path file =
                TestVideos.write(
                        dir.resolve("b." + extension),
                        TestVideos.Spec.mpeg4().withFormat(format),
                        45,
                        64,
                        48);
        checkRandomAccess(file, 45);
    }

    @ParameterizedTest
    @CsvSource({"bframes_open_gop.mp4", "vfr.mkv"})
    void matchesPyAvSequentialDecode(String name) throws Exception {
        Npy.Array index = fixture(name + ".index.npy");
        Npy.Array expected = fixture(name + ".frames.npy");
        int[] indices = new int[index.data().length - 1];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = (int) index.data()[i + 1];
        }
        int frameBytes = (int) (expected.shape()[1] * expected.shape()[2] * 3);
        try (VideoFile video = VideoFile.open(resource(name))) {
            assertEquals((int) index.data()[0], video.frameCount(), "PyAV's frame count");
            int[] reversed = reverse(indices);
            List<RgbImage> frames = video.read(reversed);
            int maxError = 0;
            for (int k = 0; k < reversed.length; k++) {
                byte[] actual = frames.get(k).pixels();
                int at = (indices.length - 1 - k) * frameBytes;
                for (int i = 0; i < frameBytes; i++) {
                    int diff = Math.abs((actual[i] & 0xff) - (int) expected.data()[at + i]);
                    maxError = Math.max(maxError, diff);
                }
            }
            // FFmpeg 8 (ours) and 5.1 (PyAV's) convert YUV to RGB identically (measured: 0).
            assertEquals(0, maxError, name + ": max difference to PyAV in grey levels");
        }
    }

    @Test
    void testSamplingOfALongVideoDecodesFewFrames() throws IOException {
        Path file = TestVideos.write(dir.resolve("long.mp4"), TestVideos.Spec.mpeg4(), 250, 64, 48);
        int[] indices = SegmentSampler.test(250, 8, 0, 1);
        try (VideoFile video = VideoFile.open(file)) {
            List<RgbImage> frames = video.read(indices);
            for (int i = 0; i < indices.length; i++) {
                assertEquals(indices[i], TestVideos.number(frames.get(i)));
            }
            DecodeStats stats = video.stats();
            // Each middle frame costs a seek and at most a GOP plus the B-frame delay
            // (measured: 8 seeks, 60 frames decoded).
            assertEquals(8, stats.seeks(), stats.toString());
            assertTrue(stats.framesDecoded() <= 8 * (12 + 3), stats.toString());
        }
    }

    @Test
    void h264NonReferencePicturesOnTheWayAreSkippedAndTheTargetsStayExact() throws Exception {
        // x264 with B-frames and an open GOP (the PyAV fixture): 40 pictures.
        Path file = resource("bframes_open_gop.mp4");
        int[] targets = {3, 11, 12, 25, 38};
        List<RgbImage> skipping;
        DecodeStats skipped;
        try (VideoFile video = VideoFile.open(file)) {
            skipping = video.read(targets);
            skipped = video.stats();
        }
        try (VideoFile video = VideoFile.open(file)) {
            video.skipNonReference(false);
            List<RgbImage> all = video.read(targets);
            DecodeStats full = video.stats();
            for (int i = 0; i < targets.length; i++) {
                assertArrayEquals(all.get(i).pixels(), skipping.get(i).pixels(), "frame " + i);
            }
            assertTrue(skipped.framesDecoded() < full.framesDecoded(), skipped + " vs " + full);
            assertEquals(full.seeks(), skipped.seeks());
        }
    }

    @Test
    void nearbyFramesAreDecodedForwardWithoutSeeking() throws IOException {
        Path file = TestVideos.write(dir.resolve("near.mp4"), TestVideos.Spec.mpeg4(), 48, 64, 48);
        try (VideoFile video = VideoFile.open(file)) {
            video.read(new int[] {1, 3, 5, 7, 9, 11});
            DecodeStats stats = video.stats();
            assertEquals(1, stats.seeks(), stats.toString());
            assertTrue(stats.framesDecoded() <= 12 + 3, stats.toString());
        }
    }

    @Test
    void forEachVisitsEveryFrameInOrder() throws IOException {
        Path file = TestVideos.write(dir.resolve("all.mp4"), TestVideos.Spec.mpeg4(), 30, 64, 48);
        try (VideoFile video = VideoFile.open(file)) {
            List<Long> times = new ArrayList<>();
            video.forEach(
                    (index, micros, image) -> {
                        assertEquals(times.size(), index);
                        assertEquals(index, TestVideos.number(image));
                        times.add(micros);
                    });
            assertEquals(30, times.size());
            for (int i = 0; i < 30; i++) {
                assertEquals(i * 40_000L, times.get(i), "25 fps timestamps");
            }
            assertEquals(25.0, video.frameRate(), 1e-9);
            assertEquals(1.2, video.durationSeconds(), 0.05);
            assertEquals(64, video.width());
            assertEquals(48, video.height());
            // After a full pass the source still reads randomly.
            assertEquals(5, TestVideos.number(video.read(new int[] {5}).get(0)));
        }
    }

    @Test
    void repeatedIndicesShareOneDecode() throws IOException {
        Path file = TestVideos.write(dir.resolve("r.mp4"), TestVideos.Spec.mpeg4(), 24, 64, 48);
        try (VideoFile video = VideoFile.open(file)) {
            List<RgbImage> frames = video.read(new int[] {7, 2, 7, 7});
            assertEquals(List.of(7, 2, 7, 7), frames.stream().map(TestVideos::number).toList());
            assertSame(frames.get(0), frames.get(2));
        }
    }

    @Test
    void outOfRangeIndexNamesTheRange() throws IOException {
        Path file = TestVideos.write(dir.resolve("o.mp4"), TestVideos.Spec.mpeg4(), 10, 64, 48);
        try (VideoFile video = VideoFile.open(file)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> video.read(new int[] {10}));
            assertTrue(e.getMessage().contains("[0, 10)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> video.read(new int[] {-1}));
        }
    }

    @Test
    void closeIsIdempotentAndFinal() throws IOException {
        Path file = TestVideos.write(dir.resolve("c.mp4"), TestVideos.Spec.mpeg4(), 10, 64, 48);
        VideoFile video = VideoFile.open(file);
        video.read(new int[] {3});
        video.close();
        video.close();
        assertEquals(file, video.path());
        assertThrows(IllegalStateException.class, video::frameCount);
        assertThrows(IllegalStateException.class, () -> video.read(new int[] {0}));
        assertThrows(IllegalStateException.class, video::stats);
        assertThrows(IllegalStateException.class, () -> video.forEach((i, t, image) -> {}));

        VideoFile closedInside = VideoFile.open(file);
        assertThrows(
                IllegalStateException.class,
                () -> closedInside.forEach((i, t, image) -> closedInside.close()));
    }

    @Test
    void missingFileIsAMediaError() {
        Path missing = dir.resolve("missing.mp4");
        MediaException e = assertThrows(MediaException.class, () -> VideoFile.open(missing));
        assertEquals(missing, e.file());
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
        assertThrows(MediaException.class, () -> VideoFile.open(dir));
    }

    @Test
    void textFilesAreNotMedia() throws IOException {
        for (String name : List.of("notes.txt", "clip.mp4", "clip.avi")) {
            Path text =
                    Files.writeString(dir.resolve(name), "hello, this is not a video\n".repeat(50));
            MediaException e = assertThrows(MediaException.class, () -> VideoFile.open(text));
            assertEquals(text, e.file(), e.getMessage());
        }
    }

    @Test
    void audioOnlyFileHasNoVideoStream() throws IOException {
        Path wav = writeWav(dir.resolve("tone.wav"));
        MediaException e = assertThrows(MediaException.class, () -> VideoFile.open(wav));
        assertTrue(e.getMessage().contains("no video stream"), e.getMessage());
        assertEquals(wav, e.file());
    }

    @Test
    void truncatedFileIsAMediaError() throws IOException {
        Path file = TestVideos.write(dir.resolve("t.mp4"), TestVideos.Spec.mpeg4(), 30, 64, 48);
        byte[] bytes = Files.readAllBytes(file);
        Path truncated =
                Files.write(dir.resolve("truncated.mp4"), Arrays.copyOf(bytes, bytes.length / 2));
        MediaException e = assertThrows(MediaException.class, () -> VideoFile.open(truncated));
        assertEquals(truncated, e.file(), e.getMessage());
        Path garbage = dir.resolve("garbage.mp4");
        byte[] noise = new byte[20_000];
        new SplittableRandom(1).nextBytes(noise);
        Files.write(garbage, noise);
        assertThrows(MediaException.class, () -> VideoFile.open(garbage));
        Path empty = Files.createFile(dir.resolve("empty.mp4"));
        assertEquals(empty, assertThrows(MediaException.class, () -> VideoFile.open(empty)).file());
    }

    /**
     * Reads random index sets, repeats and reversals on one open source and on fresh ones, and
     * checks each frame against a full sequential decode, byte for byte, and its drawn number.
     */
    private static void checkRandomAccess(Path file, int frames) {
        List<RgbImage> sequential = new ArrayList<>();
        try (VideoFile video = VideoFile.open(file)) {
            assertEquals(frames, video.frameCount());
            video.forEach((index, micros, image) -> sequential.add(image));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(frames, sequential.size());
        for (int i = 0; i < frames; i++) {
            assertEquals(i, TestVideos.number(sequential.get(i)), "frame " + i + " of " + file);
        }
        SplittableRandom rng = new SplittableRandom(frames);
        try (VideoFile shared = VideoFile.open(file)) {
            for (int round = 0; round < 12; round++) {
                int[] indices = rng.ints(1 + rng.nextInt(8), 0, frames).toArray();
                check(shared, indices, sequential);
                try (VideoFile fresh = VideoFile.open(file)) {
                    check(fresh, indices, sequential);
                }
            }
            int[] all = new int[frames];
            Arrays.setAll(all, i -> frames - 1 - i);
            check(shared, all, sequential);
            check(shared, reverse(all), sequential);
        }
    }

    private static void check(VideoFile video, int[] indices, List<RgbImage> sequential) {
        List<RgbImage> frames = video.read(indices);
        assertEquals(indices.length, frames.size());
        for (int i = 0; i < indices.length; i++) {
            assertArrayEquals(
                    sequential.get(indices[i]).pixels(),
                    frames.get(i).pixels(),
                    "frame " + indices[i] + " of " + Arrays.toString(indices));
        }
    }

    private static int[] reverse(int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }

    private static Path writeWav(Path file) throws IOException {
        int rate = 16000;
        int samples = rate / 2;
        ByteBuffer b = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1);
        b.putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(samples * 2);
        for (int i = 0; i < samples; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate)));
        }
        return Files.write(file, b.array());
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(VideoFileTest.class.getResource("/video/" + name).toURI());
    }

    private static Npy.Array fixture(String name) throws IOException, URISyntaxException {
        return Npy.read(resource(name));
    }
}
