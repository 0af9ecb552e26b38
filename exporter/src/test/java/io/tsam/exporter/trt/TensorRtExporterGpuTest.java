package io.tsam.exporter.trt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtEnvironment;
import io.tsam.backend.OrtBackend;
import io.tsam.backend.tensorrt.BatchProfile;
import io.tsam.backend.tensorrt.EnginePlan;
import io.tsam.backend.tensorrt.EngineTensor;
import io.tsam.backend.tensorrt.GpuInfo;
import io.tsam.backend.tensorrt.GpuProbe;
import io.tsam.backend.tensorrt.GpuStatus;
import io.tsam.backend.tensorrt.TensorRtBackend;
import io.tsam.backend.tensorrt.TensorRtPrecision;
import io.tsam.config.DataConfig;
import io.tsam.config.LabelNames;
import io.tsam.config.ShiftConfig;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.TestNets;
import io.tsam.exporter.calibration.CalibrationSource;
import io.tsam.exporter.calibration.ClipCalibrationSource;
import io.tsam.exporter.onnx.TsamOnnxExporter;
import io.tsam.exporter.verify.OutputComparison;
import io.tsam.exporter.verify.Tolerance;
import io.tsam.media.pipeline.MediaConfig;
import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SyntheticDataset;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engines of a tiny TSAM (ResNet-18, T=3 with audio, 32x32, 5 classes) against ONNX Runtime on the
 * CPU. Needs an NVIDIA GPU and TensorRT 10.15; see the package javadoc for the command.
 */
@Tag("gpu")
class TensorRtExporterGpuTest {

    private static final Logger logger = LoggerFactory.getLogger(TensorRtExporterGpuTest.class);
    private static final List<String> LABELS = List.of("a", "b", "c", "d", "e");
    private static final int SEGMENTS = 3;
    private static final int SIZE = 32;
    private static final int VIDEO = SEGMENTS * 3 * SIZE * SIZE;
    private static final int AUDIO = 3 * SIZE * SIZE;

    @TempDir static Path dir;

    private static GpuInfo gpu;
    private static TsamConfig config;
    private static byte[] onnx;

    @BeforeAll
    static void exportTheModel() {
        GpuStatus status = GpuProbe.probe();
        assumeTrue(status.available(), status.problem());
        gpu = status.gpu().orElseThrow();
        config = TestNets.config("resnet18", SEGMENTS, 1, ShiftConfig.defaults(), SIZE);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            onnx =
                    TsamOnnxExporter.builder()
                            .setNet(TestNets.net(manager, config, LABELS.size(), 11))
                            .setConfig(config)
                            .optLabels(new LabelNames(LABELS))
                            .setCheckpointSha256("c".repeat(64))
                            .build()
                            .export()
                            .toByteArray();
        }
    }

    @Test
    void anFp32EngineComputesWhatOnnxRuntimeComputes() throws Exception {
        Path timings = dir.resolve("fp32/timing.cache");
        EnginePlan engine =
                TensorRtExporter.builder()
                        .setOnnx(onnx)
                        .setGpu(gpu)
                        .optProfile(new BatchProfile(1, 2, 4))
                        .optTimingCache(timings)
                        .build()
                        .export();
        Path plan = dir.resolve("fp32/model.plan");
        engine.write(plan);

        EnginePlan read = EnginePlan.read(plan);
        assertEquals(engine.info(), read.info());
        assertEquals(TensorRtPrecision.FP32, read.info().precision());
        assertEquals(EnginePlan.sha256(onnx), read.info().onnxSha256());
        assertEquals(
                List.of(
                        new EngineTensor("video", List.of(-1L, 3L, 3L, 32L, 32L)),
                        new EngineTensor("audio", List.of(-1L, 3L, 32L, 32L))),
                read.info().inputs());
        assertEquals(List.of(new EngineTensor("logits", List.of(-1L, 5L))), read.info().outputs());
        assertTrue(Files.size(timings) > 0, "the timing cache is saved");
        try (TensorRtBackend runner = TensorRtBackend.open(plan, 2)) {
            assertEquals(1, runner.minBatch());
            assertEquals(4, runner.maxBatch());
            assertEquals(read.info().metadata(), runner.metadata());
            for (int batch : new int[] {1, 3, 4}) {
                Map<String, FloatBuffer> inputs = inputs(batch, batch);
                float[] expected = onnxRuntime(inputs, batch);
                float[] actual = runner.run(batch, inputs);
                OutputComparison c =
                        OutputComparison.of(
                                "N=" + batch,
                                "logits",
                                new long[] {batch, LABELS.size()},
                                actual,
                                expected,
                                Tolerance.FP32);
                logger.info("fp32 N={}: {} against ONNX Runtime", batch, c);
                assertTrue(c.passed(), c::toString);
            }
        }
    }

    @Test
    void anFp16EngineAgreesOnTheTopClass() throws Exception {
        EnginePlan engine =
                TensorRtExporter.builder()
                        .setOnnx(onnx)
                        .setGpu(gpu)
                        .optPrecision(TensorRtPrecision.FP16)
                        .optProfile(new BatchProfile(1, 8, 8))
                        .build()
                        .export();
        int batch = 8;
        Map<String, FloatBuffer> inputs = inputs(batch, 42);

        float[] expected = onnxRuntime(inputs, batch);
        float[] actual;
        try (TensorRtBackend runner = TensorRtBackend.open(written(engine, "fp16"), 1)) {
            actual = runner.run(batch, inputs);
        }

        double error = maxAbs(expected, actual);
        logger.info("fp16: max abs error {} against ONNX Runtime", error);
        assertTrue(error < 0.1, "fp16 max abs error " + error);
        int classes = LABELS.size();
        for (int n = 0; n < batch; n++) {
            float[] reference = Arrays.copyOfRange(expected, n * classes, (n + 1) * classes);
            float[] half = Arrays.copyOfRange(actual, n * classes, (n + 1) * classes);
            if (margin(reference) > 2 * error) {
                assertEquals(argmax(reference), argmax(half), "top-1 of sample " + n);
            }
        }
    }

    @Test
    void anInt8EngineIsCalibratedOnSyntheticClipsAndReusesItsTable() throws Exception {
        Path data = dir.resolve("synth");
        SyntheticDataset.generate(
                data,
                SynthSpec.defaults().withPerClass(4).withSize(64, 48).withSeconds(1.0).withFps(10),
                done -> {});
        DataConfig dataConfig = DataConfig.load(data.resolve(SyntheticDataset.DATA_CONFIG));
        CalibrationCache cache =
                new CalibrationCache(
                        dir.resolve("int8/model.plan.calib"), "test model, synth data");
        ClipCalibrationSource first = calibration(dataConfig);

        EnginePlan engine = int8(first, cache);
        ClipCalibrationSource second = calibration(dataConfig);
        EnginePlan again = int8(second, cache);

        assertEquals(3, first.batchesReturned());
        assertEquals(0, second.batchesReturned(), "the second build reads the table");
        assertTrue(Files.size(cache.file()) > 0);
        assertTrue(engine.info().calibration().orElseThrow().endsWith("; 3 batches used"));
        assertTrue(
                again.info().calibration().orElseThrow().contains("; table read from "),
                again.info().toString());
        Map<String, FloatBuffer> clips = buffers(calibration(dataConfig).nextBatch().orElseThrow());
        float[] expected = onnxRuntime(clips, 2);
        try (TensorRtBackend runner = TensorRtBackend.open(written(engine, "int8"), 1)) {
            float[] actual = runner.run(2, clips);
            assertEquals(2 * LABELS.size(), actual.length);
            for (float value : actual) {
                assertTrue(Float.isFinite(value), "int8 logits are finite");
            }
            logger.info("int8: max abs error {} against ONNX Runtime", maxAbs(expected, actual));
        }
    }

    @Test
    void aRunnerRefusesBatchesOutsideItsProfileAndWorkAfterClose() throws Exception {
        EnginePlan engine =
                TensorRtExporter.builder()
                        .setOnnx(onnx)
                        .setGpu(gpu)
                        .optProfile(new BatchProfile(2, 2, 3))
                        .build()
                        .export();
        TensorRtBackend runner = TensorRtBackend.open(written(engine, "profile"), 1);

        IllegalArgumentException outside =
                assertThrows(IllegalArgumentException.class, () -> runner.run(4, inputs(4, 1)));
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> runner.run(2, Map.of("video", FloatBuffer.allocate(2 * VIDEO))));
        runner.close();
        runner.close();

        assertTrue(
                outside.getMessage()
                        .endsWith("the engine runs batches of 2 to 3 (its profile), got 4"),
                outside.getMessage());
        assertTrue(
                missing.getMessage().startsWith("the model's inputs are "), missing.getMessage());
        assertThrows(IllegalStateException.class, () -> runner.run(2, inputs(2, 1)));
    }

    private static ClipCalibrationSource calibration(DataConfig data) {
        return ClipCalibrationSource.builder()
                .setData(data)
                .setMedia(MediaConfig.of(config))
                .setBatchSize(2)
                .optMaxBatches(3)
                .build();
    }

    private static EnginePlan int8(CalibrationSource source, CalibrationCache cache)
            throws Exception {
        return TensorRtExporter.builder()
                .setOnnx(onnx)
                .setGpu(gpu)
                .optPrecision(TensorRtPrecision.INT8)
                .optProfile(new BatchProfile(1, 2, 2))
                .optCalibration(source)
                .optCalibrationCache(cache)
                .build()
                .export();
    }

    private static Map<String, FloatBuffer> inputs(int batch, long seed) {
        Random random = new Random(seed);
        float[] video = new float[batch * VIDEO];
        float[] audio = new float[batch * AUDIO];
        for (int i = 0; i < video.length; i++) {
            video[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) random.nextGaussian();
        }
        return buffers(Map.of("video", video, "audio", audio));
    }

    private static Map<String, FloatBuffer> buffers(Map<String, float[]> arrays) {
        Map<String, FloatBuffer> buffers = new LinkedHashMap<>();
        arrays.forEach((name, values) -> buffers.put(name, FloatBuffer.wrap(values)));
        return buffers;
    }

    /** The engine written with its sidecar under {@code name/model.plan}. */
    private static Path written(EnginePlan engine, String name) throws Exception {
        Path plan = dir.resolve(name).resolve("model.plan");
        Files.createDirectories(plan.getParent());
        engine.write(plan);
        return plan;
    }

    private static float[] onnxRuntime(Map<String, FloatBuffer> inputs, int batch) {
        try (OrtBackend backend =
                OrtBackend.builder()
                        .setModel(onnx, Path.of("model.onnx"))
                        .setEnvironment(OrtEnvironment.getEnvironment())
                        .build()) {
            return backend.run(batch, inputs);
        }
    }

    private static double maxAbs(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double margin(float[] values) {
        int best = argmax(values);
        double second = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            if (i != best) {
                second = Math.max(second, values[i]);
            }
        }
        return values[best] - second;
    }
}
