package io.tsam.media.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.config.ResizeMode;
import io.tsam.media.audio.AudioTrack;
import io.tsam.media.image.RgbImage;
import io.tsam.media.pipeline.SlidingWindows.Window;
import io.tsam.media.pipeline.WindowedVideo.WindowClip;
import io.tsam.media.video.TestVideos;
import io.tsam.media.video.VideoFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sliding windows over a real H.264 file whose frames carry their own index. */
class WindowedVideoTest {

    private static final MediaConfig CONFIG =
            MediaConfig.imagenet(4, true, 48, 40, ResizeMode.SQUARE, false);

    @TempDir static Path dir;
    private static Path video;

    @BeforeAll
    static void write() throws Exception {
        // 4 s at 25 fps, a keyframe every 12 frames, B-frames, AAC sound.
        video =
                TestVideos.write(
                        dir.resolve("counted.mp4"),
                        TestVideos.Spec.h264().withAudio(),
                        100,
                        64,
                        48);
    }

    @Test
    void windowsTakeTheFrameOnScreenAtEachMidpointDecodingEachFrameOnce() {
        // A stride that is no multiple of the segment length: midpoints of neighbouring windows
        // interleave, so a naive reader would seek back.
        SlidingWindows windows = new SlidingWindows(1.0, 0.3, 4);
        List<WindowClip> clips = new ArrayList<>();
        WindowedVideo.Stats stats = WindowedVideo.run(video, CONFIG, windows, clips::add);

        assertEquals(11, clips.size(), "k * 0.3 + 1 <= 4 for k = 0..10");
        assertEquals(11, stats.windows());
        assertEquals(100, stats.frames());
        TestFrameTransform transform = new TestFrameTransform(CONFIG);
        AudioSegmentImage audioImages = new AudioSegmentImage(CONFIG);
        AudioTrack track = AudioTrack.read(video).orElseThrow();
        int distinct =
                (int)
                        clips.stream()
                                .flatMapToInt(c -> Arrays.stream(c.clip().frameIndices()))
                                .distinct()
                                .count();
        assertEquals(distinct, stats.sampled());
        assertTrue(
                stats.decode().framesDecoded() <= 100,
                "each frame decoded at most once: " + stats.decode());
        try (VideoFile file = VideoFile.open(video)) {
            for (int k = 0; k < clips.size(); k++) {
                WindowClip clip = clips.get(k);
                Window window = clip.window();
                assertEquals(k, window.index());
                assertEquals(k * 0.3, window.start(), 1e-9);
                int[] expected = new int[4];
                for (int i = 0; i < 4; i++) {
                    expected[i] = (int) Math.floor((k * 0.3 + (i + 0.5) * 0.25) * 25 + 1e-9);
                }
                assertArrayEquals(expected, clip.clip().frameIndices(), "window " + k);
                List<RgbImage> frames = file.read(expected);
                float[] video = new float[clip.clip().video().length];
                for (int i = 0; i < 4; i++) {
                    assertEquals(expected[i], TestVideos.number(frames.get(i)));
                    transform.apply(frames.get(i), video, i * transform.length());
                }
                assertArrayEquals(video, clip.clip().video(), "window " + k + " pixels");
                assertArrayEquals(
                        audioImages.of(track.slice(window.start(), window.end())),
                        clip.clip().audio(),
                        "window " + k + " sound");
            }
        }
    }

    @Test
    void aVideoShorterThanAWindowIsOneWindow() {
        List<WindowClip> clips = new ArrayList<>();
        WindowedVideo.run(video, CONFIG, new SlidingWindows(10, 5, 4), clips::add);
        assertEquals(1, clips.size());
        assertEquals(4.0, clips.get(0).window().end(), 1e-9);
        assertArrayEquals(new int[] {12, 37, 62, 87}, clips.get(0).clip().frameIndices());
    }
}
