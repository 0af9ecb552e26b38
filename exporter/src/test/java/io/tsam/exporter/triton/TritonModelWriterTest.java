package io.tsam.exporter.triton;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.tsam.backend.tensorrt.BatchProfile;
import io.tsam.backend.tensorrt.EngineInfo;
import io.tsam.backend.tensorrt.EnginePlan;
import io.tsam.backend.tensorrt.EngineTensor;
import io.tsam.backend.tensorrt.GpuInfo;
import io.tsam.backend.tensorrt.TensorRtPrecision;
import io.tsam.config.LabelNames;
import io.tsam.config.ShiftConfig;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.TestNets;
import io.tsam.exporter.onnx.TsamOnnxExporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model folders written from real exported models (tiny ResNet-18 TSAMs at 32x32). */
class TritonModelWriterTest {

    private static final List<String> LABELS = List.of("walk", "run", "swim", "jump", "sit");
    private static final String SHA = "b".repeat(64);

    private static byte[] audioModel;
    private static byte[] videoModel;

    @TempDir Path repository;

    @BeforeAll
    static void export() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            audioModel =
                    onnx(manager, TestNets.config("resnet18", 3, 1, ShiftConfig.defaults(), 32));
            videoModel =
                    onnx(manager, TestNets.config("resnet18", 2, 0, ShiftConfig.defaults(), 32));
        }
    }

    @AfterAll
    static void forget() {
        audioModel = null;
        videoModel = null;
    }

    private static byte[] onnx(NDManager manager, TsamConfig config) {
        return TsamOnnxExporter.builder()
                .setNet(TestNets.net(manager, config, LABELS.size(), 7))
                .setConfig(config)
                .optLabels(new LabelNames(LABELS))
                .setCheckpointSha256(SHA)
                .build()
                .export()
                .toByteArray();
    }

    @Test
    void anOnnxModelGetsTheTritonLayoutWithDimsFromTheModel() throws Exception {
        TritonModel model =
                TritonModelWriter.builder()
                        .setRepository(repository)
                        .setName("tsam")
                        .setOnnx(audioModel)
                        .build()
                        .write();

        Path folder = repository.resolve("tsam");
        assertEquals(folder, model.directory());
        assertEquals(
                List.of("tsam/1/model.onnx", "tsam/config.pbtxt", "tsam/labels.txt"),
                files(repository));
        assertArrayEquals(audioModel, Files.readAllBytes(folder.resolve("1/model.onnx")));
        assertEquals(
                "walk\nrun\nswim\njump\nsit\n", Files.readString(folder.resolve("labels.txt")));
        String pbtxt = Files.readString(folder.resolve("config.pbtxt"));
        assertEquals(dimsWithoutBatch(audioModel), inputDims(pbtxt));
        assertEquals(
                Map.of("video", List.of(3L, 3L, 32L, 32L), "audio", List.of(3L, 32L, 32L)),
                inputDims(pbtxt));
        assertTrue(
                pbtxt.startsWith(
                        "name: \"tsam\"\nplatform: \"onnxruntime_onnx\"\n" + "max_batch_size: 8\n"),
                pbtxt);
        assertTrue(pbtxt.contains("    dims: [ 5 ]\n    label_filename: \"labels.txt\"\n"));
        assertTrue(pbtxt.contains("  preferred_batch_size: [ 4, 8 ]\n"));
        assertTrue(pbtxt.contains("    kind: KIND_CPU\n"));
        assertTrue(
                pbtxt.contains(
                        "  key: \"tsam.checkpoint_sha256\"\n  value: { string_value: \""
                                + SHA
                                + "\" }\n"),
                pbtxt);
        assertTrue(pbtxt.contains("  key: \"tsam.preprocessing\"\n"));
        for (String parameter :
                List.of(
                        "tsam.shift_style\"\n  value: { string_value: \"tsam\" }",
                        "tsam.input_profile\"\n  value: { string_value: \"imagenet\" }",
                        "tsam.clip_average\"\n  value: { string_value: \"logits\" }")) {
            assertTrue(pbtxt.contains("  key: \"" + parameter), parameter + " in " + pbtxt);
        }
        assertEquals(pbtxt, model.config().toPbtxt());
    }

    @Test
    void aVideoOnlyModelHasOneInputAndTheOptionsShowInTheConfig() throws Exception {
        TritonModel model =
                TritonModelWriter.builder()
                        .setRepository(repository)
                        .setName("tsn")
                        .setOnnx(videoModel)
                        .optMaxBatch(1)
                        .optGpu(true)
                        .optQueueDelayMicros(0)
                        .build()
                        .write();

        String pbtxt = Files.readString(model.configFile());
        assertEquals(Map.of("video", List.of(2L, 3L, 32L, 32L)), inputDims(pbtxt));
        assertEquals(dimsWithoutBatch(videoModel), inputDims(pbtxt));
        assertTrue(pbtxt.contains("max_batch_size: 1\n"));
        assertTrue(
                pbtxt.contains("dynamic_batching {\n  max_queue_delay_microseconds: 0\n}\n"),
                "no preferred size of 1: " + pbtxt);
        assertTrue(pbtxt.contains("    kind: KIND_GPU\n"));
    }

    @Test
    void theSameModelAgainIsRewrittenButADifferentOneOnlyWhenForced() throws Exception {
        write(audioModel, Optional.empty(), false);
        Path onnx = repository.resolve("tsam/1/model.onnx");

        write(audioModel, Optional.empty(), false);
        IllegalArgumentException refused =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> write(videoModel, Optional.empty(), false));
        byte[] kept = Files.readAllBytes(onnx);
        write(videoModel, Optional.empty(), true);

        assertEquals(
                onnx
                        + " already holds a different model, which Triton may be serving; replace"
                        + " it with --force or choose another --name",
                refused.getMessage());
        assertArrayEquals(audioModel, kept);
        assertArrayEquals(videoModel, Files.readAllBytes(onnx));
        assertEquals(
                Map.of("video", List.of(2L, 3L, 32L, 32L)),
                inputDims(Files.readString(repository.resolve("tsam/config.pbtxt"))));
    }

    @Test
    void anEngineIsServedAsAPlanOnTheGpuWithItsProfile() throws Exception {
        EnginePlan engine = fakeEngine(audioModel, new BatchProfile(1, 4, 16));
        write(audioModel, Optional.empty(), false);

        IllegalArgumentException refused =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> write(audioModel, Optional.of(engine), false));
        TritonModel model = write(audioModel, Optional.of(engine), true);

        assertTrue(refused.getMessage().contains("model.onnx already holds a different model"));
        assertEquals(
                List.of("tsam/1/model.plan", "tsam/config.pbtxt", "tsam/labels.txt"),
                files(repository));
        assertArrayEquals(engine.bytes(), Files.readAllBytes(model.modelFile()));
        String pbtxt = Files.readString(model.configFile());
        assertEquals(dimsWithoutBatch(audioModel), inputDims(pbtxt));
        assertTrue(pbtxt.contains("platform: \"tensorrt_plan\"\nmax_batch_size: 16\n"), pbtxt);
        assertTrue(pbtxt.contains("  preferred_batch_size: [ 4, 16 ]\n"));
        assertTrue(pbtxt.contains("    kind: KIND_GPU\n"));
        assertTrue(
                pbtxt.contains(
                        "  key: \"tensorrt.precision\"\n  value: { string_value: \"fp16\" }\n"));
        assertTrue(
                pbtxt.contains(
                        "  key: \"tensorrt.profile\"\n  value: { string_value: \"1,4,16\" }\n"));
    }

    @Test
    void anEngineOfAnotherModelOrAMaxBatchBeyondItsProfileIsRefused() {
        EnginePlan other = fakeEngine(videoModel, new BatchProfile(1, 1, 8));
        EnginePlan engine = fakeEngine(audioModel, new BatchProfile(1, 1, 8));

        IllegalArgumentException wrongModel =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TritonModelWriter.builder()
                                        .setRepository(repository)
                                        .setName("tsam")
                                        .setOnnx(audioModel)
                                        .optEngine(other)
                                        .build());
        IllegalArgumentException tooLarge =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TritonModelWriter.builder()
                                        .setRepository(repository)
                                        .setName("tsam")
                                        .setOnnx(audioModel)
                                        .optEngine(engine)
                                        .optMaxBatch(9)
                                        .build());

        assertTrue(
                wrongModel.getMessage().startsWith("the engine was built from the ONNX model"),
                wrongModel.getMessage());
        assertEquals(
                "--max-batch 9 does not fit the engine, which runs batches of 1 to 8 (--batch"
                        + " 1,1,8)",
                tooLarge.getMessage());
    }

    private TritonModel write(byte[] onnx, Optional<EnginePlan> engine, boolean force)
            throws Exception {
        TritonModelWriter.Builder writer =
                TritonModelWriter.builder()
                        .setRepository(repository)
                        .setName("tsam")
                        .setOnnx(onnx)
                        .optForce(force);
        engine.ifPresent(writer::optEngine);
        return writer.build().write();
    }

    /** A plan whose bytes are no engine, described as one built from {@code onnx}. */
    private static EnginePlan fakeEngine(byte[] onnx, BatchProfile profile) {
        byte[] bytes = "serialised engine".getBytes(StandardCharsets.UTF_8);
        EngineInfo info =
                new EngineInfo(
                        new GpuInfo("NVIDIA L4", 8, 9, "13.0", "13.1", "10.15.1.29"),
                        TensorRtPrecision.FP16,
                        profile,
                        List.of(
                                new EngineTensor("video", List.of(-1L, 3L, 3L, 32L, 32L)),
                                new EngineTensor("audio", List.of(-1L, 3L, 32L, 32L))),
                        List.of(new EngineTensor("logits", List.of(-1L, 5L))),
                        EnginePlan.sha256(onnx),
                        EnginePlan.sha256(bytes),
                        Optional.empty(),
                        Instant.parse("2025-01-31T12:00:00Z"),
                        Map.of("tsam.format_version", "2"));
        return new EnginePlan(bytes, info);
    }

    private static List<String> files(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    /** The ONNX model's inputs without their first (batch) dimension. */
    private static Map<String, List<Long>> dimsWithoutBatch(byte[] onnx) throws Exception {
        Map<String, List<Long>> dims = new LinkedHashMap<>();
        for (ValueInfoProto input : ModelProto.parseFrom(onnx).getGraph().getInputList()) {
            List<TensorShapeProto.Dimension> shape =
                    input.getType().getTensorType().getShape().getDimList();
            assertFalse(shape.get(0).hasDimValue(), "the batch dimension is symbolic");
            List<Long> rest = new ArrayList<>();
            shape.subList(1, shape.size()).forEach(d -> rest.add(d.getDimValue()));
            dims.put(input.getName(), rest);
        }
        return dims;
    }

    /** A minimal reading of our own pbtxt: each input's name and dims, in order. */
    private static Map<String, List<Long>> inputDims(String pbtxt) {
        Matcher section = Pattern.compile("(?s)\ninput \\[\n(.*?)\n\\]\n").matcher(pbtxt);
        assertTrue(section.find(), pbtxt);
        Matcher tensor =
                Pattern.compile(
                                "name: \"([^\"]+)\"\\s+data_type: TYPE_FP32\\s+dims: \\[ ([0-9, ]+)"
                                        + " \\]")
                        .matcher(section.group(1));
        Map<String, List<Long>> dims = new LinkedHashMap<>();
        while (tensor.find()) {
            List<Long> values = new ArrayList<>();
            for (String value : tensor.group(2).split(", ")) {
                values.add(Long.parseLong(value.strip()));
            }
            dims.put(tensor.group(1), values);
        }
        return dims;
    }
}
