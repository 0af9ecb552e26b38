package io.tsam.exporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.tsam.config.LabelNames;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.TestNets;
import io.tsam.model.checkpoint.CheckpointInfo;
import io.tsam.model.checkpoint.NativeCheckpoint;
import io.tsam.model.checkpoint.NetWeights;
import io.tsam.model.net.TsamNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code tsam-export} at moments spread over its run: the ONNX model is the
 * previous export's or the new one's, whole, and so is the Triton model folder as a set.
 */
class ExportKillTest {

    private static final List<String> LABELS = List.of("cat", "dog", "bird");

    /**
     * Kill moments as fractions of an uninterrupted export's duration: two early, then every 2 % of
     * the last quarter, where the files are written, so that no write window is missed.
     */
    private static final double[] MOMENTS = {
        0.3, 0.6, 0.75, 0.77, 0.79, 0.81, 0.83, 0.85, 0.87, 0.89, 0.91, 0.93, 0.95, 0.97, 0.99
    };

    @TempDir Path dir;

    @Test
    void aKilledExportLeavesTheOldOrTheNewFilesWhole() throws Exception {
        Path first = checkpoint("first", 21);
        Path second = checkpoint("second", 22);
        Path out = dir.resolve("out/model.onnx");
        Path repo = dir.resolve("repo");
        Files.createDirectories(out.getParent());

        assertEquals(0, export(first, out, repo).waitFor(), log());
        Map<Path, byte[]> old = snapshot(out, repo);
        long start = System.nanoTime();
        assertEquals(0, export(second, out, repo).waitFor(), log());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Map<Path, byte[]> fresh = snapshot(out, repo);
        assertTrue(!Arrays.equals(old.get(out), fresh.get(out)), "the two exports differ");

        for (double moment : MOMENTS) {
            // Start from the first export each time, so each kill can leave a mix.
            old.forEach(ExportKillTest::write);
            Process child = export(second, out, repo);
            Thread.sleep((long) (moment * millis));
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            child.waitFor();

            assertTrue(
                    same(old, out) || same(fresh, out),
                    out + " is neither export's after a kill at " + moment);
            // The Triton folder as a whole: the old one, the new one, or (between the two renames
            // of the swap) none, never a new model under the old config.
            List<Path> triton = old.keySet().stream().filter(f -> !f.equals(out)).toList();
            boolean absent = triton.stream().noneMatch(Files::exists);
            assertTrue(
                    absent
                            || triton.stream().allMatch(f -> same(old, f))
                            || triton.stream().allMatch(f -> same(fresh, f)),
                    "the Triton model folder mixes the two exports after a kill at " + moment);
        }
    }

    private static boolean same(Map<Path, byte[]> snapshot, Path file) {
        try {
            return Files.exists(file)
                    && Arrays.equals(snapshot.get(file), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The files of an export: the ONNX model and the Triton repository's. */
    private static Map<Path, byte[]> snapshot(Path out, Path repo) throws IOException {
        Path model = repo.resolve("model");
        return Map.of(
                out,
                Files.readAllBytes(out),
                model.resolve("1/model.onnx"),
                Files.readAllBytes(model.resolve("1/model.onnx")),
                model.resolve("config.pbtxt"),
                Files.readAllBytes(model.resolve("config.pbtxt")),
                model.resolve("labels.txt"),
                Files.readAllBytes(model.resolve("labels.txt")));
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Process export(Path checkpoint, Path out, Path repo) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dai.djl.offline=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TsamExport.class.getName());
        command.addAll(
                List.of(
                        "--checkpoint",
                        checkpoint.toString(),
                        "--out",
                        out.toString(),
                        "--triton-repo",
                        repo.toString(),
                        "--force"));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("child.log"));
    }

    private Path checkpoint(String name, long seed) throws IOException {
        TsamConfig config =
                TestNets.config(
                        "resnet18", 2, 1, new ShiftConfig(true, 8, 1, 1, 0, ShiftStyle.TSAM), 32);
        Path file = dir.resolve(name + ".safetensors");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            TsamNet net = TestNets.net(manager, config, LABELS.size(), seed);
            CheckpointInfo info =
                    CheckpointInfo.builder()
                            .setConfig(config)
                            .setLabels(new LabelNames(LABELS))
                            .setEpoch(1)
                            .build();
            NativeCheckpoint.write(file, info, NetWeights.collect(net), Map.of());
        }
        return file;
    }
}
