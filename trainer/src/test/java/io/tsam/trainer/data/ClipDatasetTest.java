package io.tsam.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.config.DataConfig;
import io.tsam.config.TrainingConfig;
import io.tsam.config.TsamConfig;
import io.tsam.config.VideoEntry;
import io.tsam.config.VideoList;
import io.tsam.media.io.FrameDirectoryWriter;
import io.tsam.media.video.VideoFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipDatasetTest {
    @TempDir static Path dir;
    private static DataConfig data;

    @BeforeAll
    static void generate() throws IOException {
        data = SyntheticData.generate(dir);
    }

    @Test
    void trainingOrderIsASeededShufflePerEpoch() {
        ClipDataset dataset =
                ClipDataset.training(
                        data, SyntheticData.config(1, 3), SyntheticData.training(data));
        assertEquals(Split.TRAINING, dataset.split());
        assertEquals(8, dataset.size());
        assertEquals(1, dataset.clipsPerVideo());
        int[] epoch0 = dataset.order(0);
        assertArrayEquals(epoch0, dataset.order(0));
        assertFalse(Arrays.equals(epoch0, dataset.order(1)));
        int[] sorted = epoch0.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, sorted);
        // The order is a function of seed + epoch: seed 5 epoch 1 is seed 6 epoch 0.
        TsamConfig seed6 =
                SyntheticData.config(1, 3)
                        .withTrainingParam(
                                new TrainingConfig(1, 3, 1, 6, 0.0, OptionalDouble.empty(), 1));
        ClipDataset shifted = ClipDataset.training(data, seed6, SyntheticData.training(data));
        assertArrayEquals(dataset.order(1), shifted.order(0));
        assertEquals(2, dataset.batchCount(3));
        assertEquals(1, dataset.batchCount(8));
        assertEquals(0, dataset.batchCount(9));
        assertThrows(IllegalArgumentException.class, () -> dataset.batchCount(0));
    }

    @Test
    void validationItemsAreVideoMajorClips() {
        VideoList list = SyntheticData.validation(data);
        ClipDataset dataset = ClipDataset.validation(data, SyntheticData.config(1, 3), list);
        assertEquals(Split.VALIDATION, dataset.split());
        assertEquals(24, dataset.size());
        assertEquals(8, dataset.videoCount());
        assertEquals(list.entries().get(1), dataset.video(5));
        assertEquals(2, dataset.clipOf(5));
        int[] order = dataset.order(7);
        for (int i = 0; i < order.length; i++) {
            assertEquals(i, order[i]);
        }
        assertEquals(8, dataset.batchCount(3));
        assertEquals(3, dataset.batchCount(10));
        assertThrows(IndexOutOfBoundsException.class, () -> dataset.video(24));
    }

    @Test
    void trainingItemsAreReproducibleAndDifferAcrossEpochs() {
        ClipDataset dataset =
                ClipDataset.training(
                        data, SyntheticData.config(1, 1), SyntheticData.training(data));
        try (ClipReader reader = dataset.newReader();
                ClipReader other = dataset.newReader()) {
            ClipItem a = reader.read(2, 0);
            ClipItem b = other.read(2, 0);
            ClipItem c = reader.read(2, 1);
            assertArrayEquals(a.tensors().video(), b.tensors().video());
            assertArrayEquals(a.tensors().frameIndices(), b.tensors().frameIndices());
            assertFalse(Arrays.equals(a.tensors().video(), c.tensors().video()));
            assertEquals(dataset.video(2).id(), a.videoId());
            assertEquals(dataset.video(2).label(), a.label());
            assertEquals(2, a.item());
        }
    }

    @Test
    void readerRefusesReadsAfterClose() {
        ClipDataset dataset =
                ClipDataset.training(
                        data, SyntheticData.config(0, 1), SyntheticData.training(data));
        ClipReader reader = dataset.newReader();
        reader.read(0, 0);
        reader.close();
        reader.close();
        assertThrows(IllegalStateException.class, () -> reader.read(0, 0));
    }

    @Test
    void frameFolderWinsAndTakesTheVideosAudioWhenThereIsNoWav() throws IOException {
        VideoList list = SyntheticData.validation(data);
        VideoEntry entry = list.entries().get(0);
        Path video = data.videosDir().resolve(entry.id() + ".mp4");
        // A second layout in which the first validation video exists only as frames.
        Path root = dir.resolve("frames-only");
        Path frames = root.resolve("frames").resolve(entry.id());
        try (VideoFile file = VideoFile.open(video)) {
            FrameDirectoryWriter.write(file, 25, 0, frames);
        }
        Files.createDirectories(root.resolve("videos"));
        DataConfig framesOnly = DataConfig.defaults(root);
        DataConfig framesAndVideo =
                new DataConfig(
                        data.baseDir(),
                        data.dataDir(),
                        data.dirVideos(),
                        root.resolve("frames").toString(),
                        data.dirAudios(),
                        data.fileTrainList(),
                        data.fileValList(),
                        data.framesTmpl(),
                        Optional.empty());
        TsamConfig config = SyntheticData.config(1, 1);
        ClipItem fromVideo = readFirst(data, config, list);
        ClipItem fromFrames = readFirst(framesOnly, config, list);
        ClipItem fromFramesWithVideo = readFirst(framesAndVideo, config, list);

        assertFalse(fromVideo.tensors().audioMissing());
        // Frames alone: silence, and the item says so.
        assertTrue(fromFrames.tensors().audioMissing());
        for (float v : fromFrames.tensors().audio()) {
            assertEquals(0f, v);
        }
        // Frames beside the video file: the video's own audio track.
        assertFalse(fromFramesWithVideo.tensors().audioMissing());
        assertArrayEquals(fromVideo.tensors().audio(), fromFramesWithVideo.tensors().audio());
        // The pixels come from the JPEGs, video file or not: close to the decoded video, not equal.
        float[] a = fromFrames.tensors().video();
        float[] b = fromVideo.tensors().video();
        assertArrayEquals(a, fromFramesWithVideo.tensors().video());
        assertEquals(b.length, a.length);
        assertFalse(Arrays.equals(a, b));
        double total = 0;
        for (int i = 0; i < a.length; i++) {
            total += Math.abs(a[i] - b[i]);
        }
        assertTrue(total / a.length < 0.08, "mean abs difference " + total / a.length);
    }

    private static ClipItem readFirst(DataConfig layout, TsamConfig config, VideoList list) {
        ClipDataset dataset = ClipDataset.validation(layout, config, list);
        try (ClipReader reader = dataset.newReader()) {
            return reader.read(0, 0);
        }
    }
}
