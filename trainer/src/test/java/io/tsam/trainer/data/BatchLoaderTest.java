package io.tsam.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.config.DataConfig;
import io.tsam.config.VideoEntry;
import io.tsam.config.VideoList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLoaderTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir static Path dir;
    private static DataConfig data;

    @BeforeAll
    static void generate() throws IOException {
        data = SyntheticData.generate(dir);
    }

    @Test
    void trainingBatchesHaveSpecShapesAndListLabels() {
        ClipDataset dataset =
                ClipDataset.training(
                        data, SyntheticData.config(1, 1), SyntheticData.training(data));
        List<Batch> batches = load(dataset, 3, 0, 2);
        // 8 videos in batches of 3: the incomplete third batch is dropped.
        assertEquals(2, batches.size());
        Map<String, Integer> labels = labelsOf(SyntheticData.training(data));
        Set<String> seen = new HashSet<>();
        for (int b = 0; b < batches.size(); b++) {
            Batch batch = batches.get(b);
            assertEquals(b, batch.index());
            assertEquals(3, batch.size());
            assertArrayEquals(new long[] {3, 3, 3, 28, 28}, batch.videoShape());
            assertArrayEquals(new long[] {3, 3, 28, 28}, batch.audioShape());
            assertEquals(3 * 3 * 3 * 28 * 28, batch.video().length);
            assertEquals(3 * 3 * 28 * 28, batch.audio().length);
            for (int i = 0; i < batch.size(); i++) {
                String id = batch.videoIds().get(i);
                assertEquals(labels.get(id), batch.labels()[i], id);
                assertEquals(0, batch.clips()[i]);
                assertFalse(batch.audioMissing()[i], id);
                assertTrue(seen.add(id), "video read twice in an epoch: " + id);
            }
            assertNormalisedPixels(batch.video());
        }
    }

    @Test
    void batchesDoNotDependOnTheNumberOfWorkers() {
        ClipDataset dataset =
                ClipDataset.training(
                        data, SyntheticData.config(1, 1), SyntheticData.training(data));
        List<Batch> one = load(dataset, 2, 3, 1);
        List<Batch> three = load(dataset, 2, 3, 3);
        assertEquals(4, one.size());
        assertEquals(one.size(), three.size());
        for (int b = 0; b < one.size(); b++) {
            assertSameBatch(one.get(b), three.get(b));
        }
    }

    @Test
    void epochsShuffleDifferentlyAndRepeatExactly() {
        ClipDataset dataset =
                ClipDataset.training(
                        data, SyntheticData.config(0, 1), SyntheticData.training(data));
        List<Batch> first = load(dataset, 4, 1, 2);
        List<Batch> again = load(dataset, 4, 1, 2);
        List<Batch> next = load(dataset, 4, 2, 2);
        for (int b = 0; b < first.size(); b++) {
            assertSameBatch(first.get(b), again.get(b));
        }
        assertNotEquals(ids(first), ids(next));
        // Per-item augmentation follows the epoch too: the same video differs between epochs.
        Map<String, float[]> firstPixels = pixelsById(first);
        Map<String, float[]> nextPixels = pixelsById(next);
        int differing = 0;
        for (String id : firstPixels.keySet()) {
            if (!Arrays.equals(firstPixels.get(id), nextPixels.get(id))) {
                differing++;
            }
        }
        assertTrue(differing >= 6, differing + " of 8 videos differ between epochs");
    }

    @Test
    void videoOnlyBatchesHaveNoAudio() {
        ClipDataset dataset =
                ClipDataset.training(
                        data, SyntheticData.config(0, 1), SyntheticData.training(data));
        Batch batch = load(dataset, 4, 0, 1).get(0);
        assertFalse(batch.hasAudio());
        assertEquals(0, batch.audio().length);
        assertThrows(IllegalStateException.class, batch::audioShape);
    }

    @Test
    void validationKeepsListOrderClipsAndTheLastSmallBatch() {
        VideoList list = SyntheticData.validation(data);
        ClipDataset dataset = ClipDataset.validation(data, SyntheticData.config(1, 2), list);
        assertEquals(16, dataset.size());
        List<Batch> batches = load(dataset, 3, 4, 2);
        assertEquals(6, batches.size());
        assertEquals(1, batches.get(5).size());
        List<String> ids = new ArrayList<>();
        List<Integer> clips = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Batch batch : batches) {
            ids.addAll(batch.videoIds());
            for (int i = 0; i < batch.size(); i++) {
                clips.add(batch.clips()[i]);
                labels.add(batch.labels()[i]);
            }
        }
        for (int v = 0; v < list.size(); v++) {
            VideoEntry entry = list.entries().get(v);
            for (int c = 0; c < 2; c++) {
                assertEquals(entry.id(), ids.get(2 * v + c));
                assertEquals(c, clips.get(2 * v + c));
                assertEquals(entry.label(), labels.get(2 * v + c));
            }
        }
        // Clips 0 and 1 of the first video: other frames, the same audio image.
        Batch first = batches.get(0);
        int video = 3 * 3 * 28 * 28;
        int audio = 3 * 28 * 28;
        assertFalse(
                Arrays.equals(
                        Arrays.copyOfRange(first.video(), 0, video),
                        Arrays.copyOfRange(first.video(), video, 2 * video)));
        assertArrayEquals(
                Arrays.copyOfRange(first.audio(), 0, audio),
                Arrays.copyOfRange(first.audio(), audio, 2 * audio));
        // Validation ignores the epoch.
        List<Batch> otherEpoch = load(dataset, 3, 9, 1);
        for (int b = 0; b < batches.size(); b++) {
            assertSameBatch(batches.get(b), otherEpoch.get(b));
        }
    }

    @Test
    void corruptFileEndsTheEpochNamingTheFile() throws IOException {
        Path broken = data.videosDir().resolve("broken.mp4");
        Files.write(broken, "this is not an mp4 file".getBytes(StandardCharsets.UTF_8));
        VideoList list = listOf("corrupt.txt", SyntheticData.training(data), "broken 1");
        ClipDataset dataset = ClipDataset.validation(data, SyntheticData.config(1, 1), list);
        ClipLoadException e =
                assertTimeoutPreemptively(
                        LIMIT,
                        () -> assertThrows(ClipLoadException.class, () -> load(dataset, 2, 0, 3)));
        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'broken'"), e.getMessage());
        assertEquals("broken", e.videoId());
        assertEquals(broken, e.source().orElseThrow());
        // Raised again on the consumer's thread, with the worker's exception as the cause.
        assertTrue(e.getCause() instanceof ClipLoadException);
    }

    @Test
    void missingVideoNamesThePathsTried() throws IOException {
        VideoList list = listOf("missing.txt", SyntheticData.training(data), "nowhere 2");
        ClipDataset dataset = ClipDataset.validation(data, SyntheticData.config(0, 1), list);
        ClipLoadException e =
                assertTimeoutPreemptively(
                        LIMIT,
                        () -> assertThrows(ClipLoadException.class, () -> load(dataset, 4, 0, 2)));
        assertTrue(e.getMessage().contains(data.framesDir().resolve("nowhere").toString()));
        assertTrue(e.getMessage().contains(data.videosDir().resolve("nowhere").toString()));
        assertTrue(e.source().isEmpty() || e.source().get().toString().contains("nowhere"));
    }

    @Test
    void closeMidEpochStopsPromptly() {
        ClipDataset dataset =
                ClipDataset.validation(
                        data, SyntheticData.config(1, 4), SyntheticData.validation(data));
        BatchLoader loader =
                BatchLoader.builder()
                        .setDataset(dataset)
                        .setBatchSize(2)
                        .setEpoch(0)
                        .optWorkers(2)
                        .optPrefetch(1)
                        .build();
        Iterator<Batch> batches = loader.iterator();
        assertTimeoutPreemptively(
                LIMIT,
                () -> {
                    assertEquals(2, batches.next().size());
                    loader.close();
                    loader.close();
                });
        assertThrows(IllegalStateException.class, batches::hasNext);
        assertThrows(IllegalStateException.class, batches::next);
        assertThrows(IllegalStateException.class, loader::iterator);
    }

    @Test
    void interruptedConsumerClosesTheLoader() throws InterruptedException {
        ClipDataset dataset =
                ClipDataset.validation(
                        data, SyntheticData.config(1, 4), SyntheticData.validation(data));
        // 32 clips in one batch take far longer to decode than the call below takes to wait.
        BatchLoader loader =
                BatchLoader.builder().setDataset(dataset).setBatchSize(32).setEpoch(0).build();
        Iterator<Batch> batches = loader.iterator();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread consumer =
                new Thread(
                        () -> {
                            Thread.currentThread().interrupt();
                            try {
                                batches.next();
                            } catch (RuntimeException e) {
                                thrown.set(e);
                            }
                            stillInterrupted.set(Thread.currentThread().isInterrupted());
                        });
        consumer.start();
        consumer.join(LIMIT.toMillis());
        assertFalse(consumer.isAlive(), "the consumer hangs");
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("interrupted"), thrown.get().getMessage());
        assertTrue(stillInterrupted.get(), "the interrupt must stay visible to the caller");
        assertThrows(IllegalStateException.class, batches::hasNext);
    }

    @Test
    void iteratesOnceAndStopsAtTheEnd() {
        ClipDataset dataset =
                ClipDataset.training(
                        data, SyntheticData.config(0, 1), SyntheticData.training(data));
        try (BatchLoader loader =
                BatchLoader.builder().setDataset(dataset).setBatchSize(8).setEpoch(0).build()) {
            assertEquals(1, loader.batchCount());
            Iterator<Batch> batches = loader.iterator();
            assertTrue(batches.hasNext());
            assertEquals(8, batches.next().size());
            assertFalse(batches.hasNext());
            assertThrows(NoSuchElementException.class, batches::next);
            assertThrows(IllegalStateException.class, loader::iterator);
        }
    }

    @Test
    void builderRejectsBadSettings() {
        ClipDataset dataset =
                ClipDataset.training(
                        data, SyntheticData.config(0, 1), SyntheticData.training(data));
        IllegalArgumentException tooBig =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                BatchLoader.builder()
                                        .setDataset(dataset)
                                        .setBatchSize(9)
                                        .setEpoch(0)
                                        .build());
        assertTrue(tooBig.getMessage().contains("batch_size 9"), tooBig.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> BatchLoader.builder().setDataset(dataset).setBatchSize(2).build());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        BatchLoader.builder()
                                .setDataset(dataset)
                                .setBatchSize(2)
                                .setEpoch(0)
                                .optWorkers(0)
                                .build());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        BatchLoader.builder()
                                .setDataset(dataset)
                                .setBatchSize(2)
                                .setEpoch(0)
                                .optPrefetch(0)
                                .build());
    }

    private static List<Batch> load(ClipDataset dataset, int batchSize, int epoch, int workers) {
        List<Batch> out = new ArrayList<>();
        try (BatchLoader loader =
                BatchLoader.builder()
                        .setDataset(dataset)
                        .setBatchSize(batchSize)
                        .setEpoch(epoch)
                        .optWorkers(workers)
                        .build()) {
            for (Batch batch : loader) {
                out.add(batch);
            }
            assertEquals(loader.batchCount(), out.size());
        }
        return out;
    }

    private static VideoList listOf(String name, VideoList base, String extraLine)
            throws IOException {
        StringBuilder text = new StringBuilder();
        for (VideoEntry entry : base.entries().subList(0, 3)) {
            text.append(entry.id()).append(' ').append(entry.label()).append('\n');
        }
        text.append(extraLine).append('\n');
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return VideoList.read(file);
    }

    private static Map<String, Integer> labelsOf(VideoList list) {
        Map<String, Integer> labels = new HashMap<>();
        list.entries().forEach(e -> labels.put(e.id(), e.label()));
        return labels;
    }

    private static List<String> ids(List<Batch> batches) {
        List<String> ids = new ArrayList<>();
        batches.forEach(b -> ids.addAll(b.videoIds()));
        return ids;
    }

    private static Map<String, float[]> pixelsById(List<Batch> batches) {
        Map<String, float[]> pixels = new HashMap<>();
        for (Batch batch : batches) {
            int length = batch.video().length / batch.size();
            for (int i = 0; i < batch.size(); i++) {
                pixels.put(
                        batch.videoIds().get(i),
                        Arrays.copyOfRange(batch.video(), i * length, (i + 1) * length));
            }
        }
        return pixels;
    }

    private static void assertSameBatch(Batch expected, Batch actual) {
        assertEquals(expected.index(), actual.index());
        assertEquals(expected.videoIds(), actual.videoIds());
        assertArrayEquals(expected.labels(), actual.labels());
        assertArrayEquals(expected.clips(), actual.clips());
        assertArrayEquals(expected.items(), actual.items());
        assertArrayEquals(expected.audioMissing(), actual.audioMissing());
        assertArrayEquals(expected.video(), actual.video());
        assertArrayEquals(expected.audio(), actual.audio());
    }

    /** ImageNet-normalised pixels lie in about [-2.2, 2.7]; zeros everywhere would be a bug. */
    private static void assertNormalisedPixels(float[] video) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : video) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min >= -2.2f && max <= 2.7f && max - min > 0.5f, min + " .. " + max);
    }
}
