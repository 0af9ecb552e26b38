package io.tsam.exporter.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.config.DataConfig;
import io.tsam.config.ResizeMode;
import io.tsam.media.pipeline.ClipExtractor;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.pipeline.MediaConfig;
import io.tsam.media.video.TestVideos;
import io.tsam.media.video.TestVideos.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calibration batches from real (tiny) videos of a validation list. */
class ClipCalibrationSourceTest {

    private static final MediaConfig WITH_AUDIO =
            MediaConfig.imagenet(3, true, 32, 32, ResizeMode.SQUARE, false);
    private static final MediaConfig VIDEO_ONLY =
            MediaConfig.imagenet(3, false, 32, 32, ResizeMode.SQUARE, false);
    private static final List<String> READABLE = List.of("a", "b", "c", "d");

    @TempDir static Path dir;

    private static DataConfig data;

    @BeforeAll
    static void writeDataset() throws Exception {
        Path videos = dir.resolve("videos");
        Files.createDirectories(videos);
        // Widths of 48 and 64: decoding 40- or 72-pixel-wide test videos corrupts the native heap
        // (a media-module problem, reported separately).
        TestVideos.write(videos.resolve("a.mp4"), Spec.mpeg4().withAudio(), 12, 48, 40);
        TestVideos.write(videos.resolve("b.mp4"), Spec.mpeg4(), 9, 64, 48);
        TestVideos.write(videos.resolve("c.mp4"), Spec.mpeg4(), 15, 48, 64);
        TestVideos.write(videos.resolve("d.mp4"), Spec.mpeg4().withAudio(), 6, 64, 64);
        Files.writeString(videos.resolve("broken.mp4"), "not a video");
        Files.writeString(dir.resolve("validation.txt"), "a 0\nb 1\nc 0\nbroken 1\nd 1\n");
        Files.writeString(dir.resolve("one.txt"), "a 0\n");
        Path file = dir.resolve("data.json");
        Files.writeString(file, "{}");
        data = DataConfig.load(file);
    }

    @Test
    void everyReadableVideoBecomesItsTestClipInOneOfTheFullBatches() {
        ClipCalibrationSource source =
                ClipCalibrationSource.builder()
                        .setData(data)
                        .setMedia(WITH_AUDIO)
                        .setBatchSize(2)
                        .optMaxBatches(5)
                        .build();
        Map<String, ClipTensors> expected = testClips(WITH_AUDIO);

        List<Map<String, float[]>> batches = new ArrayList<>();
        for (Optional<Map<String, float[]>> b = source.nextBatch();
                b.isPresent();
                b = source.nextBatch()) {
            batches.add(b.get());
        }

        assertEquals(2, batches.size(), "four readable videos make two full batches of two");
        assertEquals(2, source.batchesReturned());
        assertEquals(1, source.videosSkipped());
        Set<String> seen = new HashSet<>();
        for (Map<String, float[]> batch : batches) {
            assertEquals(List.of("video", "audio"), List.copyOf(batch.keySet()));
            assertEquals(2 * WITH_AUDIO.videoLength(), batch.get("video").length);
            assertEquals(2 * WITH_AUDIO.imageLength(), batch.get("audio").length);
            for (int n = 0; n < 2; n++) {
                String id = match(expected, batch, n);
                assertTrue(seen.add(id), "each video is used once, " + id + " twice");
            }
        }
        assertEquals(Set.copyOf(READABLE), seen);
    }

    @Test
    void theBatchCountIsBoundedAndAVideoOnlyModelHasNoAudio() {
        ClipCalibrationSource source =
                ClipCalibrationSource.builder()
                        .setData(data)
                        .setMedia(VIDEO_ONLY)
                        .setBatchSize(3)
                        .optMaxBatches(1)
                        .build();

        Map<String, float[]> first = source.nextBatch().orElseThrow();

        assertEquals(List.of("video"), List.copyOf(first.keySet()));
        assertEquals(3 * VIDEO_ONLY.videoLength(), first.get("video").length);
        assertFalse(source.nextBatch().isPresent());
    }

    @Test
    void theSameDataGivesTheSameDescriptionAndBatches() {
        ClipCalibrationSource one =
                ClipCalibrationSource.builder()
                        .setData(data)
                        .setMedia(VIDEO_ONLY)
                        .setBatchSize(2)
                        .build();
        ClipCalibrationSource two =
                ClipCalibrationSource.builder()
                        .setData(data)
                        .setMedia(VIDEO_ONLY)
                        .setBatchSize(2)
                        .build();

        assertEquals(one.description(), two.description());
        assertTrue(
                one.description().startsWith("validation list " + data.valList() + " (sha256 "),
                one.description());
        assertTrue(one.description().endsWith("up to 16 batches of 2 test clips"));
        assertArrayEquals(
                one.nextBatch().orElseThrow().get("video"),
                two.nextBatch().orElseThrow().get("video"));
    }

    @Test
    void aListShorterThanABatchIsRefusedUpFront() throws Exception {
        DataConfig shortList =
                DataConfig.parse("{\"file_val_list\": \"one.txt\"}", dir.resolve("short.json"));

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ClipCalibrationSource.builder()
                                        .setData(shortList)
                                        .setMedia(VIDEO_ONLY)
                                        .setBatchSize(2)
                                        .build());

        assertEquals(
                dir.resolve("one.txt") + ": lists 1 videos, fewer than one calibration batch of 2",
                e.getMessage());
    }

    @Test
    void tooFewReadableVideosForOneBatchIsAnErrorNamingTheList() {
        ClipCalibrationSource source =
                ClipCalibrationSource.builder()
                        .setData(data)
                        .setMedia(VIDEO_ONLY)
                        .setBatchSize(5)
                        .build();

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, source::nextBatch);

        assertEquals(
                data.valList()
                        + ": not one calibration batch of 5 clips could be made (5 videos listed,"
                        + " 1 unreadable)",
                e.getMessage());
    }

    private static Map<String, ClipTensors> testClips(MediaConfig media) {
        Map<String, ClipTensors> clips = new LinkedHashMap<>();
        for (String id : READABLE) {
            try (ClipExtractor extractor =
                    ClipExtractor.open(dir.resolve("videos/" + id + ".mp4"), media)) {
                clips.put(id, extractor.testClip(0, 1));
            }
        }
        return clips;
    }

    /** The id of the video whose test clip is sample {@code n} of the batch. */
    private static String match(
            Map<String, ClipTensors> expected, Map<String, float[]> batch, int n) {
        for (Map.Entry<String, ClipTensors> clip : expected.entrySet()) {
            float[] video = clip.getValue().video();
            float[] audio = clip.getValue().audio();
            boolean sameVideo =
                    Arrays.equals(
                            video,
                            Arrays.copyOfRange(
                                    batch.get("video"), n * video.length, (n + 1) * video.length));
            boolean sameAudio =
                    Arrays.equals(
                            audio,
                            Arrays.copyOfRange(
                                    batch.get("audio"), n * audio.length, (n + 1) * audio.length));
            if (sameVideo && sameAudio) {
                return clip.getKey();
            }
        }
        throw new AssertionError("sample " + n + " is no listed video's test clip");
    }
}
