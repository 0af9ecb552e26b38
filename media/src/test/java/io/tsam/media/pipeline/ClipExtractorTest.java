package io.tsam.media.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.config.ResizeMode;
import io.tsam.media.image.RgbImage;
import io.tsam.media.io.FrameDirectoryWriter;
import io.tsam.media.sampling.FrameSampling;
import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SyntheticDataset;
import io.tsam.media.video.DecodeStats;
import io.tsam.media.video.TestVideos;
import io.tsam.media.video.VideoFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipExtractorTest {
    private static final MediaConfig AUDIO_ON =
            MediaConfig.imagenet(4, true, 48, 40, ResizeMode.SQUARE, true);
    @TempDir static Path dir;
    private static Path video;

    @BeforeAll
    static void makeVideo() throws IOException {
        SynthSpec spec = SynthSpec.defaults().withPerClass(1).withSize(64, 48).withSeconds(1.0);
        SyntheticDataset.generate(dir, spec, done -> {});
        video = dir.resolve("videos/left_to_right_high_0000.mp4");
    }

    @Test
    void testClipHasSpecShapesAndMiddleFrames() {
        try (ClipExtractor clips = ClipExtractor.open(video, AUDIO_ON)) {
            ClipTensors clip = clips.testClip(0, 1);
            assertEquals(4 * 3 * 40 * 40, clip.video().length);
            assertEquals(3 * 40 * 40, clip.audio().length);
            assertFalse(clip.audioMissing());
            int frames = clips.frameCount();
            assertEquals(25, frames);
            // F = 25, T = 4: middle of segments of 6.25 frames.
            assertArrayEquals(new int[] {3, 9, 15, 21}, clip.frameIndices());
            assertStandardised(clip.audio(), 0);
        }
    }

    @Test
    void audioImageIsComputedOnceForAllClips() {
        try (ClipExtractor clips = ClipExtractor.open(video, AUDIO_ON)) {
            ClipTensors a = clips.testClip(0, 2);
            ClipTensors b = clips.testClip(1, 2);
            assertTrue(a.audio() == b.audio());
            assertFalse(Arrays.equals(a.frameIndices(), b.frameIndices()));
        }
    }

    @Test
    void trainClipsAreReproducibleForASeed() {
        try (ClipExtractor clips = ClipExtractor.open(video, AUDIO_ON)) {
            ClipTensors a = clips.trainClip(new SplittableRandom(7));
            ClipTensors b = clips.trainClip(new SplittableRandom(7));
            assertArrayEquals(a.frameIndices(), b.frameIndices());
            assertArrayEquals(a.video(), b.video());
        }
    }

    @Test
    void videoOnlyModelHasNoAudioTensor() {
        MediaConfig videoOnly =
                MediaConfig.imagenet(3, false, 48, 40, ResizeMode.SHORT_SIDE, false);
        try (ClipExtractor clips = ClipExtractor.open(video, videoOnly)) {
            ClipTensors clip = clips.testClip(0, 1);
            assertNull(clip.audio());
            assertFalse(clip.audioMissing());
            assertEquals(3 * 3 * 40 * 40, clip.video().length);
        }
    }

    @Test
    void framesWithoutAudioFileGiveSilenceAndSayItIsMissing() throws IOException {
        Path frames = dir.resolve("frames/clip");
        try (VideoFile file = VideoFile.open(video)) {
            FrameDirectoryWriter.write(file, 25, 0, frames);
        }
        MediaConfig config = MediaConfig.imagenet(4, true, 48, 40, ResizeMode.SQUARE, false);
        try (ClipExtractor fromFrames =
                        ClipExtractor.openFrames(
                                frames,
                                n -> String.format("%05d.jpg", n),
                                Optional.empty(),
                                config);
                ClipExtractor fromVideo = ClipExtractor.open(video, config)) {
            assertEquals(fromVideo.frameCount(), fromFrames.frameCount());
            ClipTensors a = fromFrames.testClip(0, 1);
            ClipTensors b = fromVideo.testClip(0, 1);
            assertTrue(a.audioMissing());
            for (float v : a.audio()) {
                assertEquals(0f, v);
            }
            assertArrayEquals(b.frameIndices(), a.frameIndices());
            // JPEG re-encoding (4:2:0, noisy 64x48 frames): close on average, not equal; a wrong
            // frame would be far off because the object moves.
            double total = 0;
            for (int i = 0; i < a.video().length; i++) {
                total += Math.abs(a.video()[i] - b.video()[i]);
            }
            double mean = total / a.video().length;
            assertTrue(mean < 0.06, "mean abs difference " + mean);
        }
    }

    private static void assertStandardised(float[] image, int channel) {
        int plane = image.length / 3;
        double sum = 0;
        double squares = 0;
        for (int i = channel * plane; i < (channel + 1) * plane; i++) {
            sum += image[i];
            squares += image[i] * image[i];
        }
        assertEquals(0, sum / plane, 1e-4);
        assertEquals(1, squares / plane, 1e-3);
    }

    @Test
    void latencySamplingDecodesKeyframesWhereSegmentsHoldThem(@TempDir Path tmp)
            throws IOException {
        // H.264, a keyframe every 12 frames, 60 frames: 4 segments of 15, test frames 7, 22, 37,
        // 52; the nearest keyframes in their segments are 12, 24, 36 and 48.
        Path file = TestVideos.write(tmp.resolve("gop12.mp4"), TestVideos.Spec.h264(), 60, 64, 48);
        MediaConfig exact = MediaConfig.imagenet(4, false, 48, 40, ResizeMode.SQUARE, false);
        ClipTensors exactClip;
        DecodeStats exactStats;
        try (ClipExtractor extractor = ClipExtractor.open(file, exact)) {
            exactClip = extractor.testClip(0, 1);
            exactStats = extractor.decodeStats();
        }
        try (ClipExtractor extractor =
                ClipExtractor.open(file, exact.withSampling(FrameSampling.LATENCY))) {
            ClipTensors clip = extractor.testClip(0, 1);
            assertArrayEquals(new int[] {7, 22, 37, 52}, exactClip.frameIndices());
            assertArrayEquals(new int[] {12, 24, 36, 48}, clip.frameIndices());
            assertTrue(
                    extractor.decodeStats().framesDecoded() < exactStats.framesDecoded(),
                    extractor.decodeStats() + " vs " + exactStats);
            assertFalse(Arrays.equals(exactClip.video(), clip.video()));
        }
        try (VideoFile video = VideoFile.open(file)) {
            assertArrayEquals(new int[] {0, 12, 24, 36, 48}, video.keyframes());
            // The pictures are the frames they claim to be.
            for (RgbImage image : video.read(new int[] {12, 24, 36, 48})) {
                assertTrue(List.of(12, 24, 36, 48).contains(TestVideos.number(image)));
            }
        }
    }
}
