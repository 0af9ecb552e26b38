package io.tsam.exporter.verify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtEnvironment;
import io.tsam.backend.OrtBackend;
import io.tsam.exporter.onnx.Dim;
import io.tsam.exporter.onnx.OnnxGraph;
import io.tsam.model.net.PyTorchNames;
import io.tsam.model.net.ShiftedConv;
import io.tsam.model.net.TsamNet;
import io.tsam.model.shift.TemporalShift;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Runs every shift of an exported graph on its own and compares it with the net's shift on the same
 * random activations.
 *
 * <p>The logit comparison cannot carry this alone: one wrong index deep in a ResNet-101 moves the
 * logits by about 1.5e-6 of their scale, twice float32 rounding's 7e-7, so no tolerance that passes
 * rounding reliably fails it. A shift only moves values, so its own outputs must match exactly, and
 * any wrong index shows.
 *
 * <p>Each shift is cut out of the graph as the nodes from the shifted conv's input to the {@code
 * Gather} on {@code <path>.shift_indices} and the {@code Reshape} after it (SPEC §5), and run in
 * ONNX Runtime on {@code [N * (T + A), C, 3, 3]} activations.
 */
public final class ShiftCheck {

    private static final String INDICES_SUFFIX = ".shift_indices";
    private static final int SAMPLES = 2;
    private static final int SIDE = 3;
    private static final String GATHER = "Gather";
    private static final String RESHAPE = "Reshape";
    private static final String PAD = "Pad";

    private ShiftCheck() {}

    /**
     * Compares every shift of {@code model} with the shift of the {@code net} block it was lowered
     * from.
     *
     * @param model the exported model
     * @param net the net it was exported from
     * @param seed the seed of the random activations
     * @return one comparison per shift, in graph order
     * @throws IllegalArgumentException if a shift table of the graph has no shifted conv in the
     *     net, or is not laid out as SPEC §5 says
     */
    public static List<ShiftComparison> run(ModelProto model, TsamNet net, long seed) {
        Map<String, ShiftedConv> blocks = shiftedConvs(net);
        GraphProto graph = model.getGraph();
        Map<String, TensorProto> initializers = new HashMap<>();
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        Random random = new Random(seed);
        List<ShiftComparison> comparisons = new ArrayList<>();
        for (NodeProto gather : graph.getNodeList()) {
            if (!gather.getOpType().equals(GATHER)
                    || !gather.getInput(1).endsWith(INDICES_SUFFIX)) {
                continue;
            }
            String table = gather.getInput(1);
            String path = table.substring(0, table.length() - INDICES_SUFFIX.length());
            ShiftedConv block = blocks.get(path);
            if (block == null) {
                throw new IllegalArgumentException(
                        table + " belongs to no shifted conv of the net (" + blocks.keySet() + ")");
            }
            GraphProto shift = subgraph(graph, gather, initializers, block.table().channels());
            comparisons.add(compare(model, shift, table, block, random));
        }
        return comparisons;
    }

    private static ShiftComparison compare(
            ModelProto model, GraphProto shift, String table, ShiftedConv block, Random random) {
        int channels = block.table().channels();
        int images = SAMPLES * (block.table().segments() + block.audioSegments());
        float[] x = new float[images * channels * SIDE * SIDE];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] exported;
        ModelProto alone = model.toBuilder().clearMetadataProps().setGraph(shift).build();
        try (OrtBackend backend =
                OrtBackend.builder()
                        .setModel(alone.toByteArray(), Path.of(table + ".onnx"))
                        .setEnvironment(OrtEnvironment.getEnvironment())
                        .build()) {
            FloatBuffer input =
                    ByteBuffer.allocateDirect(x.length * Float.BYTES)
                            .order(ByteOrder.nativeOrder())
                            .asFloatBuffer()
                            .put(x)
                            .flip();
            exported = backend.run(images, Map.of(shift.getInput(0).getName(), input));
        }
        float[] expected;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray activations = manager.create(x, new Shape(images, channels, SIDE, SIDE));
            expected =
                    TemporalShift.shift(activations, block.table(), block.audioSegments())
                            .toFloatArray();
        }
        long mismatches = 0;
        for (int i = 0; i < expected.length; i++) {
            mismatches +=
                    i >= exported.length
                                    || Float.floatToIntBits(exported[i])
                                            != Float.floatToIntBits(expected[i])
                            ? 1
                            : 0;
        }
        mismatches += Math.max(0, exported.length - expected.length);
        return new ShiftComparison(table, channels, expected.length, mismatches);
    }

    /**
     * The shift around {@code gather} as a graph of its own: the {@code Reshape} (and {@code Pad})
     * feeding it, itself and the {@code Reshape} back to images.
     */
    private static GraphProto subgraph(
            GraphProto graph,
            NodeProto gather,
            Map<String, TensorProto> initializers,
            int channels) {
        Map<String, NodeProto> producers = new HashMap<>();
        Map<String, NodeProto> consumers = new HashMap<>();
        for (NodeProto node : graph.getNodeList()) {
            node.getOutputList().forEach(o -> producers.put(o, node));
            node.getInputList().forEach(i -> consumers.putIfAbsent(i, node));
        }
        List<NodeProto> nodes = new ArrayList<>();
        NodeProto before = producers.get(gather.getInput(0));
        if (before != null && before.getOpType().equals(PAD)) {
            nodes.add(0, before);
            before = producers.get(before.getInput(0));
        }
        if (before == null || !before.getOpType().equals(RESHAPE)) {
            throw layout(gather);
        }
        nodes.add(0, before);
        nodes.add(gather);
        NodeProto after = consumers.get(gather.getOutput(0));
        if (after == null || !after.getOpType().equals(RESHAPE)) {
            throw layout(gather);
        }
        nodes.add(after);
        Set<String> used = new HashSet<>();
        nodes.forEach(n -> used.addAll(n.getInputList()));
        String input = before.getInput(0);
        List<Dim> dims = List.of(Dim.named("n"), Dim.of(channels), Dim.of(SIDE), Dim.of(SIDE));
        GraphProto.Builder shift =
                GraphProto.newBuilder()
                        .setName(gather.getInput(1))
                        .addAllNode(nodes)
                        .addInput(OnnxGraph.valueInfo(input, dims))
                        .addOutput(OnnxGraph.valueInfo(after.getOutput(0), dims));
        for (String name : used) {
            TensorProto constant = initializers.get(name);
            if (constant != null) {
                shift.addInitializer(constant);
            }
        }
        return shift.build();
    }

    private static IllegalArgumentException layout(NodeProto gather) {
        return new IllegalArgumentException(
                "the shift on "
                        + gather.getInput(1)
                        + " is not Reshape -> [Pad ->] Gather -> Reshape (SPEC §5)");
    }

    /** The net's shifted convs under their PyTorch module names. */
    private static Map<String, ShiftedConv> shiftedConvs(TsamNet net) {
        Map<Parameter, String> names = new HashMap<>();
        PyTorchNames.of(net).forEach((name, parameter) -> names.put(parameter, name));
        Map<String, ShiftedConv> blocks = new HashMap<>();
        collect(net, names, blocks);
        return blocks;
    }

    private static void collect(
            Block block, Map<Parameter, String> names, Map<String, ShiftedConv> blocks) {
        if (block instanceof ShiftedConv shifted) {
            String weight = names.get(shifted.conv().getParameters().get("weight"));
            // The conv's weight is <path>.net.weight: the shift keeps TSM's wrapper name.
            blocks.put(weight.substring(0, weight.lastIndexOf(".net.weight")), shifted);
            return;
        }
        block.getChildren().values().forEach(child -> collect(child, names, blocks));
    }
}
