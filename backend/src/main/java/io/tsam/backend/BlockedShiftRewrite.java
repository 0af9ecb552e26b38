package io.tsam.backend;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Moves the temporal shifts of ONNX Runtime's optimised CPU graph into its blocked (NCHWc) layout.
 *
 * <p>Why: ONNX Runtime's NCHWc transformer keeps activations blocked, {@code [N, C/b, h, w, b]} in
 * memory, only through the operators it knows. A shift ({@code Reshape -> [Pad] -> Gather ->
 * Reshape}, SPEC §5) is not one of them, so the block input is converted back to NCHW before it
 * ({@code ReorderOutput}) and blocked again after it ({@code ReorderInput}): two full passes over
 * the activation besides the gather's own. And because the block input then has a consumer outside
 * the blocked graph, the residual {@code Add + Relu} is no longer fused into the block's last
 * convolution. Together that made the shift cost 13-17 % of a ResNet-50's time.
 *
 * <p>In blocked memory the channels {@code [g r, g (r + 1))} of one image are one contiguous run of
 * {@code h w g} values whenever {@code g} is a multiple of the block size {@code b}. A shift whose
 * channel folds start and end on multiples of {@code g} therefore is the same gather on the blocked
 * tensor, of runs instead of channels: {@code Reshape(x, [0, C/g, -1]) -> Reshape([-1, S C/g, 0])
 * -> [Pad C/g zero runs] -> Gather(axis 1, indices / g) -> Reshape(Shape(x))}; the reshapes copy
 * nothing. This class makes that replacement in ONNX Runtime's saved optimised graph and fuses the
 * residual back into the convolution (its {@code Sum} input and {@code Relu} activation, as ONNX
 * Runtime does for blocks without a shift). Shifts whose folds do not fall on multiples of {@code
 * g} are left as they are. The result is only valid where it was made (the block size is the
 * CPU's), which is why {@link OrtBackend} makes it when it loads a model and checks it against ONNX
 * Runtime's own graph before using it.
 */
final class BlockedShiftRewrite {

    private static final String NCHWC = "com.microsoft.nchwc";

    /**
     * What the rewrite did.
     *
     * @param model the rewritten graph
     * @param rowChannels {@code g}, the channels a gathered run holds
     * @param shifts the shifts found behind a layout conversion
     * @param moved of those, the ones moved into the blocked layout
     * @param fusedResiduals residual {@code Add + Relu} fused back into a convolution
     */
    record Result(ModelProto model, int rowChannels, int shifts, int moved, int fusedResiduals) {

        /** One line for logs and reports, e.g. {@code 15 of 16 shifts in 16-channel runs}. */
        String summary() {
            return String.format(
                    Locale.ROOT,
                    "%d of %d shifts on %d-channel blocks, %d residual adds fused",
                    moved,
                    shifts,
                    rowChannels,
                    fusedResiduals);
        }
    }

    private final GraphProto graph;
    private final int rowChannels;
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Map<String, TensorProto> initialisers = new HashMap<>();
    private final Set<NodeProto> removed = new HashSet<>();
    private final Map<NodeProto, List<NodeProto>> replacements = new HashMap<>();
    private final List<TensorProto> added = new ArrayList<>();

    private BlockedShiftRewrite(GraphProto graph, int rowChannels) {
        this.graph = graph;
        this.rowChannels = rowChannels;
        for (NodeProto node : graph.getNodeList()) {
            node.getOutputList().forEach(output -> producers.put(output, node));
            for (String input : node.getInputList()) {
                consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
            }
        }
        graph.getInitializerList().forEach(t -> initialisers.put(t.getName(), t));
    }

    /**
     * Rewrites an optimised graph.
     *
     * @param optimised ONNX Runtime's optimised model, saved with the NCHWc transformer on
     * @param rowChannels {@code g}: a multiple of the CPU's NCHWc block size
     */
    static Result rewrite(ModelProto optimised, int rowChannels) {
        BlockedShiftRewrite rewrite = new BlockedShiftRewrite(optimised.getGraph(), rowChannels);
        int shifts = 0;
        int moved = 0;
        for (NodeProto node : optimised.getGraph().getNodeList()) {
            Optional<Boolean> shift = rewrite.moveShift(node);
            if (shift.isPresent()) {
                shifts++;
                moved += shift.get() ? 1 : 0;
            }
        }
        int fused = 0;
        for (NodeProto node : optimised.getGraph().getNodeList()) {
            fused += rewrite.fuseResidual(node) ? 1 : 0;
        }
        ModelProto model =
                moved + fused == 0
                        ? optimised
                        : optimised.toBuilder().setGraph(rewrite.rewrittenGraph()).build();
        return new Result(model, rowChannels, shifts, moved, fused);
    }

    /** Reads a saved optimised model. */
    static ModelProto read(Path file) throws IOException {
        return ModelProto.parseFrom(Files.readAllBytes(file));
    }

    /**
     * The channels a gathered run holds on this CPU: the NCHWc block size of ONNX Runtime's MLAS
     * (16 with AVX-512F, 8 with AVX2), or 16 where it cannot be told, which is a multiple of every
     * block size MLAS uses; a wrong guess is caught by the check in {@link OrtBackend}.
     */
    static int rowChannels() {
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return 16;
        }
        try {
            String flags =
                    Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                            .filter(line -> line.startsWith("flags"))
                            .findFirst()
                            .orElse("");
            List<String> words = List.of(flags.split("\\s+"));
            return words.contains("avx512f") || !words.contains("avx2") ? 16 : 8;
        } catch (IOException e) {
            return 16;
        }
    }

    /**
     * If {@code gather} is a shift between layout conversions, replaces it when its folds fall on
     * whole runs; empty when it is not such a shift, else whether it was moved.
     */
    private Optional<Boolean> moveShift(NodeProto gather) {
        TensorProto table = is(gather, "", "Gather") ? initialisers.get(gather.getInput(1)) : null;
        if (table == null || table.getDataType() != TensorProto.DataType.INT64.getNumber()) {
            return Optional.empty();
        }
        NodeProto pad = producer(gather.getInput(0), "", "Pad");
        NodeProto grouped =
                producer(pad != null ? pad.getInput(0) : gather.getInput(0), "", "Reshape");
        NodeProto toPlain =
                grouped == null ? null : producer(grouped.getInput(0), NCHWC, "ReorderOutput");
        NodeProto back = onlyConsumer(gather.getOutput(0), "", "Reshape");
        NodeProto toBlocked =
                back == null ? null : onlyConsumer(back.getOutput(0), NCHWC, "ReorderInput");
        if (toPlain == null
                || toBlocked == null
                || intAttribute(toPlain, "channels_last", 0) != 0
                || intAttribute(toBlocked, "channels_last", 0) != 0) {
            return Optional.empty();
        }
        long channels = intAttribute(toPlain, "channels", -1);
        long[] indices = longs(table);
        Optional<long[]> runs = runIndices(indices, channels, rowChannels);
        if (runs.isEmpty()) {
            return Optional.of(false);
        }
        String x = toPlain.getInput(0);
        String name = gather.getName() + "_blocked";
        long runsPerImage = channels / rowChannels;
        List<NodeProto> nodes = new ArrayList<>();
        nodes.add(node("Shape", name + "/Shape", List.of(x), name + ".shape"));
        nodes.add(
                node(
                        "Reshape",
                        name + "/Runs",
                        List.of(x, constant(name + ".runs", 0, runsPerImage, -1)),
                        name + ".runs_out"));
        String source = nodes.get(nodes.size() - 1).getOutput(0);
        nodes.add(
                node(
                        "Reshape",
                        name + "/Clip",
                        List.of(
                                source,
                                constant(name + ".clip", -1, indices.length / rowChannels, 0)),
                        name + ".clip_out"));
        source = name + ".clip_out";
        if (pad != null) {
            // One zero frame at the end of the time axis, as the NCHW graph pads one.
            nodes.add(
                    node(
                            "Pad",
                            name + "/Pad",
                            List.of(source, constant(name + ".pads", 0, 0, 0, 0, runsPerImage, 0)),
                            name + ".padded"));
            source = name + ".padded";
        }
        nodes.add(
                node(
                                "Gather",
                                name + "/Gather",
                                List.of(source, constant(name + ".indices", runs.get())),
                                name + ".gathered")
                        .toBuilder()
                        .addAttribute(
                                AttributeProto.newBuilder()
                                        .setName("axis")
                                        .setType(AttributeProto.AttributeType.INT)
                                        .setI(1))
                        .build());
        nodes.add(
                node(
                        "Reshape",
                        name + "/Images",
                        List.of(name + ".gathered", name + ".shape"),
                        toBlocked.getOutput(0)));
        replacements.put(toBlocked, nodes);
        removed.addAll(List.of(grouped, gather, back, toBlocked));
        if (pad != null) {
            removed.add(pad);
        }
        if (consumers.getOrDefault(toPlain.getOutput(0), List.of()).size() == 1
                && !isGraphOutput(toPlain.getOutput(0))) {
            removed.add(toPlain);
        }
        return Optional.of(true);
    }

    /**
     * The gather indices over runs of {@code g} channels, when every run of the output reads one
     * whole run of the input; for {@code indices} over channels of {@code S} images of {@code C}.
     */
    static Optional<long[]> runIndices(long[] indices, long channels, int g) {
        if (channels <= 0 || channels % g != 0 || indices.length % g != 0) {
            return Optional.empty();
        }
        long[] runs = new long[indices.length / g];
        for (int r = 0; r < runs.length; r++) {
            long first = indices[r * g];
            if (first % g != 0) {
                return Optional.empty();
            }
            for (int j = 1; j < g; j++) {
                if (indices[r * g + j] != first + j) {
                    return Optional.empty();
                }
            }
            runs[r] = first / g;
        }
        return Optional.of(runs);
    }

    /**
     * Fuses {@code Relu(Add(conv, x))}, which ONNX Runtime leaves as reshapes around an Add on
     * blocked tensors, into the NCHWc convolution as its {@code Sum} input and activation.
     */
    private boolean fuseResidual(NodeProto add) {
        if (!is(add, "", "Add") || removed.contains(add)) {
            return false;
        }
        for (int side = 0; side < 2; side++) {
            NodeProto convView = producer(add.getInput(side), "", "Reshape");
            NodeProto residualView = producer(add.getInput(1 - side), "", "Reshape");
            if (convView == null
                    || residualView == null
                    || !convView.getInput(1).equals(residualView.getInput(1))) {
                continue;
            }
            NodeProto conv = producer(convView.getInput(0), NCHWC, "Conv");
            if (conv == null
                    || conv.getInputCount() != 3
                    || hasAttribute(conv, "activation")
                    || consumers.get(conv.getOutput(0)).size() != 1
                    || isGraphOutput(conv.getOutput(0))) {
                continue;
            }
            NodeProto sumView = onlyConsumer(add.getOutput(0), "", "Reshape");
            NodeProto relu =
                    sumView == null ? null : onlyConsumer(sumView.getOutput(0), "", "Relu");
            if (relu == null) {
                continue;
            }
            NodeProto fused =
                    conv.toBuilder()
                            .addInput(residualView.getInput(0))
                            .clearOutput()
                            .addOutput(relu.getOutput(0))
                            .addAttribute(
                                    AttributeProto.newBuilder()
                                            .setName("activation")
                                            .setType(AttributeProto.AttributeType.STRING)
                                            .setS(ByteString.copyFromUtf8("Relu")))
                            .build();
            replacements.computeIfAbsent(relu, k -> new ArrayList<>()).add(fused);
            removed.addAll(List.of(conv, convView, add, sumView, relu));
            if (consumers.get(residualView.getOutput(0)).size() == 1) {
                removed.add(residualView);
            }
            return true;
        }
        return false;
    }

    /** The graph with the replacements, in topological order, without unused initialisers. */
    private GraphProto rewrittenGraph() {
        List<NodeProto> nodes = new ArrayList<>();
        for (NodeProto node : graph.getNodeList()) {
            nodes.addAll(replacements.getOrDefault(node, List.of()));
            if (!removed.contains(node)) {
                nodes.add(node);
            }
        }
        List<NodeProto> sorted = topologicalOrder(nodes);
        Set<String> used = new HashSet<>();
        sorted.forEach(node -> used.addAll(node.getInputList()));
        graph.getOutputList().forEach(output -> used.add(output.getName()));
        Map<String, TensorProto> kept = new LinkedHashMap<>();
        for (TensorProto tensor : graph.getInitializerList()) {
            if (used.contains(tensor.getName())) {
                kept.put(tensor.getName(), tensor);
            }
        }
        added.forEach(tensor -> kept.put(tensor.getName(), tensor));
        Set<String> values = new HashSet<>(used);
        sorted.forEach(node -> values.addAll(node.getOutputList()));
        List<ValueInfoProto> infos =
                graph.getValueInfoList().stream()
                        .filter(v -> values.contains(v.getName()))
                        .toList();
        return graph.toBuilder()
                .clearNode()
                .addAllNode(sorted)
                .clearInitializer()
                .addAllInitializer(kept.values())
                .clearValueInfo()
                .addAllValueInfo(infos)
                .build();
    }

    private List<NodeProto> topologicalOrder(List<NodeProto> nodes) {
        Set<String> available = new HashSet<>(Set.of(""));
        graph.getInputList().forEach(input -> available.add(input.getName()));
        graph.getInitializerList().forEach(tensor -> available.add(tensor.getName()));
        added.forEach(tensor -> available.add(tensor.getName()));
        List<NodeProto> sorted = new ArrayList<>();
        List<NodeProto> pending = new ArrayList<>(nodes);
        while (!pending.isEmpty()) {
            int before = sorted.size();
            for (var it = pending.iterator(); it.hasNext(); ) {
                NodeProto node = it.next();
                if (available.containsAll(node.getInputList())) {
                    sorted.add(node);
                    available.addAll(node.getOutputList());
                    it.remove();
                }
            }
            if (sorted.size() == before) {
                throw new IllegalStateException(
                        "the rewritten graph has an input nothing produces, at node "
                                + pending.get(0).getName());
            }
        }
        return sorted;
    }

    private String constant(String name, long... values) {
        TensorProto.Builder tensor =
                TensorProto.newBuilder()
                        .setName(name)
                        .setDataType(TensorProto.DataType.INT64.getNumber())
                        .addDims(values.length);
        for (long value : values) {
            tensor.addInt64Data(value);
        }
        added.add(tensor.build());
        return name;
    }

    private static NodeProto node(String op, String name, List<String> inputs, String output) {
        return NodeProto.newBuilder()
                .setOpType(op)
                .setName(name)
                .addAllInput(inputs)
                .addOutput(output)
                .build();
    }

    private NodeProto producer(String value, String domain, String op) {
        NodeProto node = producers.get(value);
        return is(node, domain, op) ? node : null;
    }

    private NodeProto onlyConsumer(String value, String domain, String op) {
        List<NodeProto> users = consumers.getOrDefault(value, List.of());
        return users.size() == 1 && !isGraphOutput(value) && is(users.get(0), domain, op)
                ? users.get(0)
                : null;
    }

    private boolean isGraphOutput(String value) {
        return graph.getOutputList().stream().anyMatch(output -> output.getName().equals(value));
    }

    private static boolean is(NodeProto node, String domain, String op) {
        return node != null && node.getDomain().equals(domain) && node.getOpType().equals(op);
    }

    private static boolean hasAttribute(NodeProto node, String name) {
        return node.getAttributeList().stream().anyMatch(a -> a.getName().equals(name));
    }

    private static long intAttribute(NodeProto node, String name, long fallback) {
        return node.getAttributeList().stream()
                .filter(a -> a.getName().equals(name))
                .mapToLong(AttributeProto::getI)
                .findFirst()
                .orElse(fallback);
    }

    private static long[] longs(TensorProto tensor) {
        if (tensor.getInt64DataCount() > 0) {
            return tensor.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
        }
        LongBuffer buffer =
                tensor.getRawData()
                        .asReadOnlyByteBuffer()
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asLongBuffer();
        long[] values = new long[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
