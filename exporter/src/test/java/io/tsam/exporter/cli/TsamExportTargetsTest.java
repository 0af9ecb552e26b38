package io.tsam.exporter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import io.tsam.backend.tensorrt.BatchProfile;
import io.tsam.backend.tensorrt.EnginePlan;
import io.tsam.backend.tensorrt.GpuProbe;
import io.tsam.backend.tensorrt.GpuStatus;
import io.tsam.common.cli.ExitCode;
import io.tsam.config.LabelNames;
import io.tsam.config.ShiftConfig;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.TestNets;
import io.tsam.model.checkpoint.CheckpointInfo;
import io.tsam.model.checkpoint.NativeCheckpoint;
import io.tsam.model.checkpoint.NetWeights;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tsam-export} with the TensorRT and Triton steps, on a machine with or without a GPU. */
class TsamExportTargetsTest {

    private static final List<String> LABELS = List.of("cat", "dog", "bird");

    @TempDir static Path dir;

    private static Path checkpoint;

    @BeforeAll
    static void writeCheckpoint() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            TsamConfig config = TestNets.config("resnet18", 2, 1, ShiftConfig.defaults(), 32);
            checkpoint = dir.resolve("ckpt/epoch_1.safetensors");
            Files.createDirectories(checkpoint.getParent());
            NativeCheckpoint.write(
                    checkpoint,
                    CheckpointInfo.builder()
                            .setConfig(config)
                            .setLabels(new LabelNames(LABELS))
                            .setEpoch(1)
                            .build(),
                    NetWeights.collect(TestNets.net(manager, config, LABELS.size(), 5)),
                    Map.of());
        }
    }

    @Test
    void withoutAGpuTensorRtFailsInOneLineAfterTheOnnxModelIsWritten() throws Exception {
        GpuStatus gpu = GpuProbe.probe();
        assumeFalse(gpu.available(), "this machine can build engines");
        Path out = dir.resolve("nogpu/model.onnx");

        Run run =
                run(
                        "--checkpoint",
                        checkpoint.toString(),
                        "--out",
                        out.toString(),
                        "--no-verify",
                        "--tensorrt",
                        "fp16");

        assertEquals(ExitCode.BAD_INPUT, run.status, run::toString);
        assertEquals(
                "error: --tensorrt needs an NVIDIA GPU with a CUDA 13 driver and TensorRT 10.15"
                        + " libraries: "
                        + gpu.problem(),
                run.err.strip());
        assertEquals(1, run.err.strip().lines().count(), run::toString);
        assertTrue(run.out.contains("wrote " + out + " ("), run::toString);
        assertEquals(
                3,
                ModelProto.parseFrom(Files.readAllBytes(out))
                        .getGraph()
                        .getOutput(0)
                        .getType()
                        .getTensorType()
                        .getShape()
                        .getDim(1)
                        .getDimValue());
        assertFalse(Files.exists(dir.resolve("nogpu/model.plan")));
    }

    @Test
    void withoutAGpuATritonRepositoryWithAnEngineIsNotWrittenHalfway() throws Exception {
        assumeFalse(GpuProbe.probe().available(), "this machine can build engines");
        Path out = dir.resolve("nogpu-triton/model.onnx");
        Path repository = dir.resolve("nogpu-triton/repo");

        Run run =
                run(
                        "--checkpoint",
                        checkpoint.toString(),
                        "--out",
                        out.toString(),
                        "--no-verify",
                        "--tensorrt",
                        "fp32",
                        "--triton-repo",
                        repository.toString());

        assertEquals(ExitCode.BAD_INPUT, run.status, run::toString);
        assertTrue(Files.exists(out));
        assertFalse(Files.exists(repository), "no ONNX fallback when a plan was asked for");
    }

    @Test
    @Tag("gpu")
    void withAGpuTheEngineIsWrittenWithItsSidecarAndServedAsAPlan() throws Exception {
        GpuStatus gpu = GpuProbe.probe();
        assumeTrue(gpu.available(), gpu.problem());
        Path out = dir.resolve("gpu/model.onnx");
        Path repository = dir.resolve("gpu/repo");

        Run run =
                run(
                        "--checkpoint", checkpoint.toString(),
                        "--out", out.toString(),
                        "--tensorrt", "fp32",
                        "--batch", "1,2,4",
                        "--triton-repo", repository.toString());

        assertEquals(ExitCode.OK, run.status, run::toString);
        Path plan = dir.resolve("gpu/model.plan");
        EnginePlan engine = EnginePlan.read(plan);
        assertEquals(new BatchProfile(1, 2, 4), engine.info().profile());
        assertEquals(EnginePlan.sha256(Files.readAllBytes(out)), engine.info().onnxSha256());
        assertTrue(Files.exists(dir.resolve("gpu/tensorrt-timing.cache")));
        assertArrayEquals(
                Files.readAllBytes(plan),
                Files.readAllBytes(repository.resolve("model/1/model.plan")));
        String pbtxt = Files.readString(repository.resolve("model/config.pbtxt"));
        assertTrue(pbtxt.contains("platform: \"tensorrt_plan\"\nmax_batch_size: 4\n"), pbtxt);
        assertTrue(run.out.contains("wrote " + plan + " ("), run::toString);
    }

    @Test
    void theOnnxModelGoesIntoATritonRepository() throws Exception {
        Path out = dir.resolve("triton/tsam.onnx");
        Path repository = dir.resolve("triton/models");

        Run run =
                run(
                        "--checkpoint",
                        checkpoint.toString(),
                        "--out",
                        out.toString(),
                        "--no-verify",
                        "--triton-repo",
                        repository.toString(),
                        "--max-batch",
                        "4");

        assertEquals(ExitCode.OK, run.status, run::toString);
        assertEquals("", run.err);
        assertTrue(
                run.out.contains(
                        "wrote Triton model "
                                + repository.resolve("tsam")
                                + ": onnxruntime_onnx, max_batch_size 4, preferred batches [2, 4],"
                                + " KIND_CPU"),
                run::toString);
        assertArrayEquals(
                Files.readAllBytes(out),
                Files.readAllBytes(repository.resolve("tsam/1/model.onnx")));
        assertEquals("cat\ndog\nbird\n", Files.readString(repository.resolve("tsam/labels.txt")));
        String pbtxt = Files.readString(repository.resolve("tsam/config.pbtxt"));
        assertTrue(
                pbtxt.contains(
                        "    name: \"video\"\n    data_type: TYPE_FP32\n"
                                + "    dims: [ 2, 3, 32, 32 ]\n"),
                pbtxt);
        assertTrue(
                pbtxt.contains(
                        "    name: \"audio\"\n    data_type: TYPE_FP32\n"
                                + "    dims: [ 3, 32, 32 ]\n"),
                pbtxt);
    }

    @Test
    void optionsThatDoNotFitTogetherAreRefusedBeforeAnyWork() {
        Path out = dir.resolve("never/model.onnx");
        String ckpt = checkpoint.toString();
        String o = out.toString();

        Run calibAlone = run("--checkpoint", ckpt, "--out", o, "--calib", "data.json");
        Run calibFp16 =
                run("--checkpoint", ckpt, "--out", o, "--tensorrt", "fp16", "--calib", "d.json");
        Run int8Alone = run("--checkpoint", ckpt, "--out", o, "--tensorrt", "int8");
        Run nameAlone = run("--checkpoint", ckpt, "--out", o, "--name", "m", "--force");
        Run badName = run("--checkpoint", ckpt, "--out", o, "--triton-repo", "r", "--name", "a/b");
        Run badBatch =
                run("--checkpoint", ckpt, "--out", o, "--tensorrt", "fp32", "--batch", "4,2,8");
        Run beyond =
                run(
                        "--checkpoint",
                        ckpt,
                        "--out",
                        o,
                        "--tensorrt",
                        "fp16",
                        "--batch",
                        "1,2,8",
                        "--triton-repo",
                        "r",
                        "--max-batch",
                        "16");

        assertError(calibAlone, ExitCode.BAD_INPUT, "error: --calib only applies with --tensorrt");
        assertError(
                calibFp16,
                ExitCode.BAD_INPUT,
                "error: --calib, --calib-batches and --calib-cache only apply with --tensorrt"
                        + " int8");
        assertError(
                int8Alone,
                ExitCode.BAD_INPUT,
                "error: --tensorrt int8 needs --calib DATA: a data file whose validation list"
                        + " gives the calibration clips");
        assertError(
                nameAlone,
                ExitCode.BAD_INPUT,
                "error: --name, --force only apply with --triton-repo");
        assertError(
                badName,
                ExitCode.BAD_INPUT,
                "error: a Triton model name must be letters, digits, '_', '.' and '-' (not '.' or"
                        + " '..'), got 'a/b'");
        assertEquals(ExitCode.USAGE, badBatch.status, badBatch::toString);
        assertTrue(
                badBatch.err.contains(
                        "a batch profile needs 1 <= min <= opt <= max, got min=4 opt=2 max=8"),
                badBatch::toString);
        assertError(
                beyond,
                ExitCode.BAD_INPUT,
                "error: --max-batch 16 exceeds the engine's largest batch 8; raise MAX in --batch");
        assertFalse(Files.exists(out));
    }

    private static void assertError(Run run, int status, String line) {
        assertEquals(status, run.status, run::toString);
        assertEquals(line, run.err.strip(), run::toString);
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status =
                TsamExport.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                        .execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }
}
