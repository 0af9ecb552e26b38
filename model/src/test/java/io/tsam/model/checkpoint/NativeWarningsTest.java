package io.tsam.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.tsam.config.LabelNames;
import io.tsam.config.ModelConfig;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import io.tsam.config.TsamConfig;
import io.tsam.model.net.TsamNet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libtorch writes its warnings to the process's native stderr, out of reach of Java's logging, so
 * only a separate JVM shows whether loading a checkpoint and running the net print any.
 */
class NativeWarningsTest {

    @Test
    void loadingACheckpointAndRunningTheNetPrintNoLibtorchWarning(@TempDir Path dir)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dir.resolve("stderr.txt");
        Process child =
                new ProcessBuilder(
                                java,
                                "-Dai.djl.offline=true",
                                "-cp",
                                System.getProperty("java.class.path"),
                                LoadAndRun.class.getName(),
                                dir.resolve("ckpt.safetensors").toString())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(stderr.toFile())
                        .start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM timed out");
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), err);
        assertFalse(err.contains("AutoNonVariableTypeMode"), err);
        assertFalse(err.contains("] Warning:"), err);
    }

    /** The child: writes a checkpoint, loads it into a fresh net and runs it once. */
    static final class LoadAndRun {
        private LoadAndRun() {}

        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[0]);
            ShiftConfig shift = new ShiftConfig(true, 8, 1, 1, 0, ShiftStyle.TSAM);
            ModelConfig model = new ModelConfig(2, 1, "resnet18", 0.5, Optional.empty());
            TsamConfig config = TsamConfig.defaults().withModel(model).withShiftTemporal(shift);
            try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                TsamNet saved = net(manager, model, shift);
                CheckpointInfo info =
                        CheckpointInfo.builder()
                                .setConfig(config)
                                .setLabels(LabelNames.indices(3))
                                .setEpoch(1)
                                .build();
                NativeCheckpoint.write(file, info, NetWeights.collect(saved), Map.of());
                TsamNet loaded = net(manager, model, shift);
                NetWeights.load(loaded, file);
                NDList inputs = new NDList();
                for (Shape shape : loaded.inputShapes(1, 32, 32)) {
                    inputs.add(manager.ones(shape));
                }
                loaded.forward(new ParameterStore(manager, false), inputs, false);
            }
        }

        private static TsamNet net(NDManager manager, ModelConfig model, ShiftConfig shift) {
            TsamNet net = TsamNet.builder().setModel(model).setShift(shift).setClasses(3).build();
            net.initialize(manager, DataType.FLOAT32, net.inputShapes(1, 32, 32));
            return net;
        }
    }
}
