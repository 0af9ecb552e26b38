package io.tsam.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.common.cli.ExitCode;
import io.tsam.config.DataConfig;
import io.tsam.config.TsamConfig;
import io.tsam.model.checkpoint.NativeCheckpoint;
import io.tsam.trainer.report.EpochRecord;
import io.tsam.trainer.report.MetricsLog;
import io.tsam.trainer.train.RunFolder;
import io.tsam.trainer.train.TinyRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsamTrainTest {
    @TempDir static Path dir;
    private static Path dataFile;
    private static Path results;

    @BeforeAll
    static void generate() throws IOException {
        DataConfig data = TinyRun.data(dir.resolve("data"));
        dataFile = data.baseDir().resolve("data.json");
        results = dir.resolve("results");
    }

    private static Path config(int epochs) throws IOException {
        Path file = dir.resolve("model-" + epochs + ".json");
        Files.writeString(file, TinyRun.config(epochs, results).toJson());
        return file;
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit =
                TsamTrain.newCommandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void resumesAfterKillDashNineFromTheLastCompleteEpoch() throws Exception {
        Path config = config(3);
        RunFolder folder = RunFolder.of(results.toString(), "killed");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TsamTrain.class.getName());
        command.addAll(List.of("--data", dataFile.toString(), "--config", config.toString()));
        command.addAll(List.of("--run_id", "killed", "--no-progress"));
        Process child =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("child.log").toFile())
                        .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!Files.exists(NativeCheckpoint.sidecarOf(folder.resumeCheckpoint(1)))
                    && child.isAlive()) {
                assertTrue(System.nanoTime() < deadline, "no epoch finished in 3 minutes");
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            child.waitFor();
        }

        // Whatever the moment of the kill, the checkpoint on disk is complete and consistent.
        List<Path> states = folder.resumeCheckpoints();
        int completed = NativeCheckpoint.readInfo(states.get(states.size() - 1)).epoch();
        assertTrue(completed >= 1 && completed <= 3, "completed " + completed);

        Run resumed =
                run(
                        "--data",
                        dataFile.toString(),
                        "--config",
                        config.toString(),
                        "--run_id",
                        "killed",
                        "--resume",
                        "--no-progress");
        assertEquals(ExitCode.OK, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("resuming "), resumed.out());
        assertEquals(
                List.of(0, 1, 2),
                MetricsLog.read(folder.metrics()).stream().map(EpochRecord::epoch).toList());
        assertEquals(3, NativeCheckpoint.readInfo(folder.lastCheckpoint()).epoch());
    }

    @Test
    void validateWritesPerVideoScores() throws IOException {
        Path config = config(1);
        Run trained =
                run(
                        "--data",
                        dataFile.toString(),
                        "--config",
                        config.toString(),
                        "--run_id",
                        "for-validation",
                        "--no-progress");
        assertEquals(ExitCode.OK, trained.exit(), trained.err());
        assertTrue(trained.out().contains("epoch 1/1"), trained.out());
        Path best = RunFolder.of(results.toString(), "for-validation").bestCheckpoint();

        Run validated =
                run(
                        "--data",
                        dataFile.toString(),
                        "--config",
                        config.toString(),
                        "--validate",
                        best.toString(),
                        "--no-progress");
        assertEquals(ExitCode.OK, validated.exit(), validated.err());
        RunFolder out = RunFolder.of(results.toString(), "validate-best");
        JsonNode scores = new ObjectMapper().readTree(out.scores().toFile());
        assertEquals(8, scores.get("videos").size());
        JsonNode first = scores.get("videos").get(0);
        assertEquals(2, first.get("clips").asInt(), "model_validation.num_clips of the config");
        double sum = 0;
        for (JsonNode p : first.get("probabilities")) {
            sum += p.asDouble();
        }
        assertEquals(1.0, sum, 1e-5);
        JsonNode summary = new ObjectMapper().readTree(out.validation().toFile());
        assertEquals(8, summary.get("videos").asInt());
        assertEquals(NativeCheckpoint.sha256(best), summary.get("checkpoint_sha256").asText());
        assertTrue(validated.out().contains("8 videos, top1 "), validated.out());
    }

    @Test
    void userErrorsAreOneLineWithTheirExitStatus() throws IOException {
        Path config = config(1);
        Run noRunId = run("--data", dataFile.toString(), "--config", config.toString());
        assertEquals(ExitCode.USAGE, noRunId.exit());
        assertTrue(noRunId.err().contains("--run_id"), noRunId.err());

        Run gpu =
                run(
                        "--data",
                        dataFile.toString(),
                        "--config",
                        config.toString(),
                        "--run_id",
                        "x",
                        "--device",
                        "0,1");
        assertEquals(ExitCode.BAD_INPUT, gpu.exit());
        assertEquals(1, gpu.err().strip().lines().count(), gpu.err());
        assertTrue(gpu.err().contains("several GPUs"), gpu.err());

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"model\": {\"video_segment\": 8}}", StandardCharsets.UTF_8);
        Run badConfig =
                run("--data", dataFile.toString(), "--config", broken.toString(), "--run_id", "y");
        assertEquals(ExitCode.BAD_INPUT, badConfig.exit());
        assertTrue(badConfig.err().contains("model.video_segment"), badConfig.err());
        assertEquals(1, badConfig.err().strip().lines().count(), badConfig.err());

        ObjectNode warm = (ObjectNode) new ObjectMapper().readTree(config.toFile());
        ((ObjectNode) warm.get("optimizer_param")).put("warmup_epochs", 1);
        Path warmConfig = dir.resolve("warmup.json");
        Files.writeString(warmConfig, warm.toString(), StandardCharsets.UTF_8);
        Run warmup =
                run(
                        "--data",
                        dataFile.toString(),
                        "--config",
                        warmConfig.toString(),
                        "--run_id",
                        "w");
        assertEquals(ExitCode.BAD_INPUT, warmup.exit(), warmup.err());
        assertTrue(warmup.err().contains("warmup_epochs"), warmup.err());
        // The corrected command must not be told that the folder holds a run.
        assertFalse(Files.exists(results.resolve("w")), "a rejected run left its folder");

        Run missing =
                run(
                        "--data",
                        dataFile.toString(),
                        "--config",
                        config.toString(),
                        "--validate",
                        dir.resolve("nope.pth").toString());
        assertEquals(ExitCode.BAD_INPUT, missing.exit(), missing.err());
        assertTrue(missing.err().contains("nope.pth"), missing.err());
        assertTrue(TsamConfig.load(config).trainingParam().epochs() == 1);
    }
}
