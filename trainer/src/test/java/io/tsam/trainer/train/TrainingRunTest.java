package io.tsam.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tsam.config.DataConfig;
import io.tsam.config.TsamConfig;
import io.tsam.model.checkpoint.CheckpointInfo;
import io.tsam.model.checkpoint.NativeCheckpoint;
import io.tsam.trainer.report.EpochRecord;
import io.tsam.trainer.report.MetricsLog;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {
    @TempDir static Path dir;
    private static DataConfig data;

    @BeforeAll
    static void generate() throws IOException {
        data = TinyRun.data(dir.resolve("data"));
    }

    private static TrainingRun.Builder run(int epochs, String id) {
        TsamConfig config = TinyRun.config(epochs, dir.resolve("results"));
        return TrainingRun.builder()
                .setData(data)
                .setConfig(config)
                .setRunFolder(RunFolder.of(config.resultsFolder(), id));
    }

    @Test
    void aRunWritesConfigsMetricsCheckpointsAndCharts() throws IOException {
        TrainingSummary summary = run(2, "files").build().train();
        RunFolder folder = summary.folder();

        assertEquals(2, summary.epochs());
        assertEquals(2 * 6, summary.optimizerSteps(), "24 videos / batch 4 = 6 steps an epoch");
        List<EpochRecord> records = MetricsLog.read(folder.metrics());
        assertEquals(List.of(0, 1), records.stream().map(EpochRecord::epoch).toList());
        assertTrue(records.stream().allMatch(r -> r.validation().isPresent()));
        assertTrue(records.get(1).trainLoss() < 3, "loss of 8 classes starts near ln 8 = 2.08");

        assertEquals(
                List.of(folder.resumeCheckpoint(2)),
                folder.resumeCheckpoints(),
                "only the newest resume state is kept");
        CheckpointInfo last = NativeCheckpoint.readInfo(folder.lastCheckpoint());
        assertEquals(2, last.epoch());
        assertEquals(8, last.classes());
        assertEquals("left_to_right_low", last.labels().name(0));
        assertTrue(NativeCheckpoint.readInfo(folder.bestCheckpoint()).epoch() >= 1);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            assertTrue(
                    NativeCheckpoint.readOptimizerState(folder.resumeCheckpoint(2), manager)
                            .orElseThrow()
                            .containsKey("momentum_buffer.new_fc.weight"));
            assertTrue(
                    NativeCheckpoint.readOptimizerState(folder.bestCheckpoint(), manager)
                            .isEmpty());
            assertTrue(
                    NativeCheckpoint.readOptimizerState(folder.lastCheckpoint(), manager)
                            .isEmpty());
        }

        // The copies make the run reproducible on their own: the data file still resolves.
        DataConfig copied = DataConfig.load(folder.dataConfig());
        assertEquals(data.trainList(), copied.trainList());
        assertEquals(
                TinyRun.config(2, dir.resolve("results")), TsamConfig.load(folder.modelConfig()));

        BufferedImage curves = ImageIO.read(folder.curves().toFile());
        BufferedImage confusion = ImageIO.read(folder.confusion().toFile());
        assertNotNull(curves);
        assertNotNull(confusion);
        try (Stream<Path> files = Files.list(folder.dir())) {
            assertFalse(files.anyMatch(RunFolder::isTemporary));
        }
    }

    @Test
    void resumingAfterACrashGivesTheWeightsOfAnUninterruptedRun() throws IOException {
        run(2, "straight").build().train();

        TrainingListener crashAfterFirstEpoch =
                new TrainingListener() {
                    @Override
                    public void epochFinished(EpochRecord record, int epochs, boolean best) {
                        throw new IllegalStateException("killed after epoch " + record.epoch());
                    }
                };
        assertThrows(
                IllegalStateException.class,
                () -> run(2, "crashed").optListener(crashAfterFirstEpoch).build().train());
        RunFolder crashed = RunFolder.of(dir.resolve("results").toString(), "crashed");
        assertEquals(1, NativeCheckpoint.readInfo(crashed.lastCheckpoint()).epoch());

        TrainingSummary resumed = run(2, "crashed").optResume(true).build().train();
        assertEquals(12, resumed.optimizerSteps());
        assertEquals(
                List.of(0, 1),
                MetricsLog.read(crashed.metrics()).stream().map(EpochRecord::epoch).toList());

        RunFolder straight = RunFolder.of(dir.resolve("results").toString(), "straight");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Map<String, NDArray> a =
                    NativeCheckpoint.readWeights(straight.lastCheckpoint(), manager);
            Map<String, NDArray> b =
                    NativeCheckpoint.readWeights(crashed.lastCheckpoint(), manager);
            assertEquals(a.keySet(), b.keySet());
            for (String name : a.keySet()) {
                if (name.endsWith("num_batches_tracked")) {
                    continue;
                }
                float diff = a.get(name).sub(b.get(name)).abs().max().getFloat();
                assertTrue(diff <= 1e-5f, name + " differs by " + diff);
            }
        }
    }

    @Test
    void anExistingRunIsNeverOverwritten() throws IOException {
        run(1, "taken").build().train();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> run(1, "taken").build().train());
        assertTrue(e.getMessage().contains("already holds a run; pass --resume"), e.getMessage());
    }

    @Test
    void resumingARunThatWasNeverStartedSaysSo() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> run(1, "empty").optResume(true).build().train());
        assertTrue(e.getMessage().startsWith("--resume: "), e.getMessage());
        assertTrue(e.getMessage().contains("holds no run (no config.json)"), e.getMessage());
    }

    @Test
    void runIdsArePlainFolderNames() {
        assertThrows(IllegalArgumentException.class, () -> RunFolder.of("r", "../x"));
        assertThrows(IllegalArgumentException.class, () -> RunFolder.of("r", "a/b"));
        assertEquals("MyRunId", RunFolder.of("r", "MyRunId").dir().getFileName().toString());
    }
}
