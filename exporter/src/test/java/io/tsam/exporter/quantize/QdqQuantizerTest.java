package io.tsam.exporter.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.tsam.backend.OrtBackend;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.TestNets;
import io.tsam.exporter.calibration.CalibrationSource;
import io.tsam.exporter.onnx.OpCensus;
import io.tsam.exporter.onnx.TsamOnnxExporter;
import io.tsam.exporter.verify.ParityInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The QDQ model of a small TSAM export: what ONNX Runtime makes of it (every convolution an INT8
 * {@code QLinearConv}, every shift a gather of uint8 values), that the shift is exact by
 * construction, and that its logits stay near the float model's on the calibration distribution.
 */
class QdqQuantizerTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final int CLASSES = 5;
    private static final int SIZE = 32;

    @TempDir static Path dir;
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @ParameterizedTest(name = "style {0}")
    @ValueSource(strings = {"tsam", "tsm"})
    void onnxRuntimeRunsEveryConvInInt8AndEveryShiftOnUint8(String style) throws Exception {
        TsamConfig config =
                TestNets.config(
                        "resnet18",
                        4,
                        1,
                        new ShiftConfig(
                                true,
                                8,
                                2,
                                1,
                                0,
                                ShiftStyle.valueOf(style.toUpperCase(Locale.ROOT))),
                        SIZE);
        ModelProto model = export(config);
        ActivationCalibration calibration =
                ActivationCalibration.run(
                        ENV,
                        model,
                        random(config, 12, 1),
                        12,
                        CalibrationMethod.PERCENTILE,
                        2,
                        n -> {});
        assertEquals(12, calibration.clips());
        assertEquals(
                Set.copyOf(QdqQuantizer.calibratedTensors(model)), calibration.ranges().keySet());
        ModelProto int8 = QdqQuantizer.quantize(model, calibration.ranges(), "test");

        // Every shift reads and writes one tensor's integers: the same scale and zero point.
        Map<String, NodeProto> producers = new HashMap<>();
        int8.getGraph()
                .getNodeList()
                .forEach(n -> n.getOutputList().forEach(o -> producers.put(o, n)));
        int gathers = 0;
        for (NodeProto node : int8.getGraph().getNodeList()) {
            if (node.getOpType().equals("Gather")) {
                NodeProto dequantize = producers.get(node.getInput(0));
                assertEquals("DequantizeLinear", dequantize.getOpType());
                NodeProto quantize = consumer(int8, node.getOutput(0));
                assertEquals("QuantizeLinear", quantize.getOpType());
                assertEquals(dequantize.getInput(1), quantize.getInput(1));
                assertEquals(dequantize.getInput(2), quantize.getInput(2));
                gathers++;
            }
        }
        assertEquals(OpCensus.of(model).count("Gather"), gathers);
        assertTrue(
                int8.getMetadataPropsList().stream()
                        .anyMatch(p -> p.getKey().equals(QdqQuantizer.METADATA_KEY)));
        assertEquals(model.getMetadataPropsCount() + 1, int8.getMetadataPropsCount());

        // What ONNX Runtime's CPU provider runs.
        Path optimised = dir.resolve(style + "-optimised.onnx");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setOptimizedModelFilePath(optimised.toString());
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            ENV.createSession(int8.toByteArray(), options).close();
        }
        ModelProto ran = ModelProto.parseFrom(Files.readAllBytes(optimised));
        OpCensus census = OpCensus.of(ran);
        assertEquals(
                OpCensus.of(model).count("Conv"), census.count("QLinearConv"), census::toString);
        assertEquals(0, census.count("Conv"), census::toString);
        assertEquals(gathers, census.count("Gather"), census::toString);
        Map<String, NodeProto> ranProducers = new HashMap<>();
        ran.getGraph()
                .getNodeList()
                .forEach(n -> n.getOutputList().forEach(o -> ranProducers.put(o, n)));
        for (NodeProto node : ran.getGraph().getNodeList()) {
            if (node.getOpType().equals("Gather")) {
                NodeProto source = ranProducers.get(node.getInput(0));
                assertTrue(
                        source == null || !source.getOpType().equals("DequantizeLinear"),
                        "a shift gathers float values: " + node.getName());
            }
        }

        // Near the float model on inputs like the calibration clips.
        QuantizationCheck check;
        try (OrtBackend reference =
                        OrtBackend.builder()
                                .setModel(model.toByteArray(), Path.of("float.onnx"))
                                .setEnvironment(ENV)
                                .build();
                OrtBackend quantised =
                        OrtBackend.builder()
                                .setModel(int8.toByteArray(), Path.of("int8.onnx"))
                                .setEnvironment(ENV)
                                .build()) {
            check = QuantizationCheck.run(reference, quantised, random(config, 16, 2), 16);
        }
        assertEquals(16, check.clips());
        assertTrue(check.top1Agreement() >= 0.75, check.summary());
        assertTrue(check.meanLogitDifference() < 0.25, check.summary());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"minmax", "percentile"})
    void aTensorWithoutARangeIsNamed(String method) {
        TsamConfig config =
                TestNets.config(
                        "resnet18", 2, 0, new ShiftConfig(true, 8, 1, 1, 0, ShiftStyle.TSAM), SIZE);
        ModelProto model = export(config);
        Map<String, ActivationRange> ranges =
                new LinkedHashMap<>(
                        ActivationCalibration.run(
                                        ENV,
                                        model,
                                        random(config, 2, 3),
                                        2,
                                        CalibrationMethod.valueOf(method.toUpperCase(Locale.ROOT)),
                                        1,
                                        n -> {})
                                .ranges());
        String missing = ranges.keySet().iterator().next();
        ranges.remove(missing);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> QdqQuantizer.quantize(model, ranges, "test"));
        assertEquals("no calibrated range for activation '" + missing + "'", e.getMessage());
    }

    private static ModelProto export(TsamConfig config) {
        try (NDManager scope = manager.newSubManager()) {
            return TsamOnnxExporter.builder()
                    .setNet(TestNets.net(scope, config, CLASSES, 5))
                    .setConfig(config)
                    .setCheckpointSha256("0".repeat(64))
                    .build()
                    .export();
        }
    }

    private static NodeProto consumer(ModelProto model, String value) {
        return model.getGraph().getNodeList().stream()
                .filter(n -> n.getInputList().contains(value))
                .findFirst()
                .orElseThrow();
    }

    /** Batches of one random input, seeded, in the export's input layout. */
    private static CalibrationSource random(TsamConfig config, int batches, long seed) {
        return new CalibrationSource() {
            private int next;

            @Override
            public int batchSize() {
                return 1;
            }

            @Override
            public Optional<Map<String, float[]>> nextBatch() {
                if (next == batches) {
                    return Optional.empty();
                }
                ParityInput input =
                        ParityInput.random(config.model(), SIZE, 1, seed * 1000 + next++);
                Map<String, float[]> batch = new LinkedHashMap<>();
                batch.put("video", input.video());
                input.audio().ifPresent(audio -> batch.put("audio", audio));
                return Optional.of(batch);
            }

            @Override
            public String description() {
                return "random inputs, seed " + seed;
            }
        };
    }
}
