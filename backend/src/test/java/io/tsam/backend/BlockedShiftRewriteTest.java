package io.tsam.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shifts moved into ONNX Runtime's blocked layout, on a residual block built here the way the
 * exporter lowers one (SPEC §5): 1x1 conv + Relu, the shift as {@code Reshape -> [Pad] -> Gather ->
 * Reshape}, two convs, the residual Add and Relu, then pooled logits.
 */
class BlockedShiftRewriteTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final int FRAMES = 4;
    private static final int CHANNELS = 32;
    private static final int SIZE = 6;

    @Test
    void runIndicesTakeWholeRunsOnly() {
        // Two images of 4 channels; channels 0-1 of image 1 read image 0, the rest stay.
        long[] indices = {0, 1, 2, 3, 0, 1, 6, 7};
        assertArrayEquals(
                new long[] {0, 1, 0, 3}, BlockedShiftRewrite.runIndices(indices, 4, 2).get());
        assertEquals(Optional.empty(), BlockedShiftRewrite.runIndices(indices, 4, 4));
        long[] odd = {1, 0, 2, 3};
        assertEquals(Optional.empty(), BlockedShiftRewrite.runIndices(odd, 4, 2));
        assertEquals(Optional.empty(), BlockedShiftRewrite.runIndices(new long[6], 6, 4));
    }

    @ParameterizedTest(name = "zero frame padded: {0}")
    @ValueSource(booleans = {false, true})
    void theBlockedGraphComputesWhatOnnxRuntimesGraphComputes(boolean padded) {
        byte[] model = shiftedBlock(padded, 16).toByteArray();
        for (int batch : new int[] {1, 3}) {
            float[] reference = run(model, GraphOptimization.ORT_ALL, batch, Optional.empty());
            float[] unoptimised = run(model, GraphOptimization.NONE, batch, Optional.empty());
            float[] blocked =
                    run(
                            model,
                            GraphOptimization.ALL,
                            batch,
                            Optional.of(
                                    "1 of 1 shifts on "
                                            + BlockedShiftRewrite.rowChannels()
                                            + "-channel blocks, 1 residual adds fused"));
            assertArrayEquals(unoptimised, reference, 1e-4f);
            assertArrayEquals(reference, blocked, 1e-5f);
        }
    }

    @Test
    void runsNarrowerThanTheBlockAreCaughtByTheCheck(@TempDir Path dir) throws Exception {
        Path optimised = dir.resolve("optimised.onnx");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(GraphOptimization.ORT_ALL.ortLevel());
            options.setOptimizedModelFilePath(optimised.toString());
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            // A fold of 4 channels: runs of 4 would split MLAS's blocks of 8 or 16 channels.
            try (OrtSession plain =
                    ENV.createSession(shiftedBlock(false, 4).toByteArray(), options)) {
                ModelProto saved = BlockedShiftRewrite.read(optimised);
                assertTrue(
                        difference(plain, BlockedShiftRewrite.rewrite(saved, 4))
                                > LayoutCheck.TOLERANCE);
                BlockedShiftRewrite.Result safe =
                        BlockedShiftRewrite.rewrite(saved, BlockedShiftRewrite.rowChannels());
                assertEquals(0, safe.moved(), safe.summary());
                assertEquals(1, safe.shifts(), safe.summary());
            }
        }
    }

    private static double difference(OrtSession plain, BlockedShiftRewrite.Result rewrite)
            throws Exception {
        assertEquals(1, rewrite.moved(), rewrite.summary());
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(GraphOptimization.NONE.ortLevel());
            try (OrtSession blocked = ENV.createSession(rewrite.model().toByteArray(), options)) {
                return LayoutCheck.maxDifference(ENV, plain, blocked);
            }
        }
    }

    private static float[] run(
            byte[] model, GraphOptimization level, int batch, Optional<String> note) {
        try (OrtBackend backend =
                OrtBackend.builder()
                        .setModel(model, Path.of("block.onnx"))
                        .setEnvironment(ENV)
                        .optIntraOpThreads(2)
                        .optOptimization(level)
                        .build()) {
            assertEquals(note, backend.layoutNote(), level.cliName());
            Random random = new Random(batch);
            float[] video = new float[batch * FRAMES * CHANNELS * SIZE * SIZE];
            for (int i = 0; i < video.length; i++) {
                video[i] = (float) random.nextGaussian();
            }
            return backend.run(batch, Map.of("video", FloatBuffer.wrap(video)));
        }
    }

    /**
     * {@code video [N, 4, 32, 6, 6]} to logits {@code [N, 128]}: per frame conv+Relu, the shift
     * (channels below {@code fold} read the next frame, the last frame the zero frame when padded,
     * else itself; the others the previous frame), conv+Relu, conv, + the block input, Relu, global
     * average pool.
     */
    private static ModelProto shiftedBlock(boolean padded, int fold) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("block");
        graph.addInput(value("video", -1, FRAMES, CHANNELS, SIZE, SIZE));
        graph.addOutput(value("logits", -1, FRAMES * CHANNELS));
        Random random = new Random(42);
        graph.addInitializer(longs("images", -1, CHANNELS, SIZE, SIZE));
        graph.addInitializer(longs("clip", -1, FRAMES * CHANNELS, 0, 0));
        graph.addInitializer(longs("frames", -1, CHANNELS, 0, 0));
        graph.addInitializer(longs("flat", -1, FRAMES * CHANNELS));
        long[] indices = new long[FRAMES * CHANNELS];
        for (int t = 0; t < FRAMES; t++) {
            for (int c = 0; c < CHANNELS; c++) {
                int next = padded ? t + 1 : Math.min(t + 1, FRAMES - 1);
                int source = c < fold ? next : Math.max(t - 1, 0);
                indices[t * CHANNELS + c] = (long) source * CHANNELS + c;
            }
        }
        graph.addInitializer(longs("shift_indices", indices));
        graph.addInitializer(longs("pads", 0, 0, 0, 0, 0, CHANNELS, 0, 0));
        for (String conv : List.of("a", "b", "c")) {
            float[] weights = new float[CHANNELS * CHANNELS];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (float) (random.nextGaussian() / Math.sqrt(CHANNELS));
            }
            graph.addInitializer(floats(conv + ".weight", weights, CHANNELS, CHANNELS, 1, 1));
            float[] bias = new float[CHANNELS];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) (0.1 * random.nextGaussian());
            }
            graph.addInitializer(floats(conv + ".bias", bias, CHANNELS));
        }
        graph.addNode(node("Reshape", List.of("video", "images"), "x0"));
        graph.addNode(conv("a", "x0", "a"));
        graph.addNode(node("Relu", List.of("a"), "x"));
        graph.addNode(node("Reshape", List.of("x", "clip"), "grouped"));
        String source = "grouped";
        if (padded) {
            graph.addNode(node("Pad", List.of("grouped", "pads"), "padded"));
            source = "padded";
        }
        graph.addNode(
                node("Gather", List.of(source, "shift_indices"), "gathered").toBuilder()
                        .addAttribute(
                                AttributeProto.newBuilder()
                                        .setName("axis")
                                        .setType(AttributeProto.AttributeType.INT)
                                        .setI(1))
                        .build());
        graph.addNode(node("Reshape", List.of("gathered", "frames"), "shifted"));
        graph.addNode(conv("b", "shifted", "b"));
        graph.addNode(node("Relu", List.of("b"), "b_relu"));
        graph.addNode(conv("c", "b_relu", "c"));
        graph.addNode(node("Add", List.of("c", "x"), "sum"));
        graph.addNode(node("Relu", List.of("sum"), "y"));
        graph.addNode(node("GlobalAveragePool", List.of("y"), "pooled"));
        graph.addNode(node("Reshape", List.of("pooled", "flat"), "logits"));
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph)
                .build();
    }

    private static NodeProto conv(String name, String input, String output) {
        return node("Conv", List.of(input, name + ".weight", name + ".bias"), output);
    }

    private static NodeProto node(String op, List<String> inputs, String output) {
        return NodeProto.newBuilder()
                .setOpType(op)
                .setName(output + "/" + op)
                .addAllInput(inputs)
                .addOutput(output)
                .build();
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(
                    dim < 0
                            ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                            : TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                        TypeProto.newBuilder()
                                .setTensorType(
                                        TypeProto.Tensor.newBuilder()
                                                .setElemType(TensorProto.DataType.FLOAT.getNumber())
                                                .setShape(shape)))
                .build();
    }

    private static TensorProto longs(String name, long... values) {
        TensorProto.Builder tensor =
                TensorProto.newBuilder()
                        .setName(name)
                        .setDataType(TensorProto.DataType.INT64.getNumber())
                        .addDims(values.length);
        for (long value : values) {
            tensor.addInt64Data(value);
        }
        return tensor.build();
    }

    private static TensorProto floats(String name, float[] values, long... dims) {
        TensorProto.Builder tensor =
                TensorProto.newBuilder()
                        .setName(name)
                        .setDataType(TensorProto.DataType.FLOAT.getNumber());
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        for (float value : values) {
            tensor.addFloatData(value);
        }
        return tensor.build();
    }
}
