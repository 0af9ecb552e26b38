package io.tsam.exporter.quantize;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The float export as a QDQ model for ONNX Runtime's INT8 kernels: every convolution's weights
 * int8, symmetric, one scale per output channel; its bias int32 at the input scale times the weight
 * scale; activations uint8 with one calibrated scale and zero point per tensor, as {@code
 * QuantizeLinear -> DequantizeLinear} pairs where ONNX Runtime fuses them into {@code QLinearConv},
 * {@code QLinearAdd}, and uint8 {@code MaxPool}, {@code Reshape} and {@code Gather}.
 *
 * <p>Which activations: each convolution's input, each ReLU's output, each convolution output that
 * no ReLU follows (those that meet in a residual Add), and what value-preserving operators make of
 * a quantised tensor: {@code MaxPool}, {@code Reshape}, {@code Gather} and the shift's zero {@code
 * Pad} (of a ReLU output, whose zero point is 0) take their input's scale and zero point rather
 * than their own. So every temporal shift moves uint8 values from one frame to another and stays
 * exact: the shifted tensor is the input tensor's integers, rearranged. The classifier after the
 * last block (pooling, mean over segments, the fully connected layer) stays float; it is a
 * thousandth of the work.
 */
public final class QdqQuantizer {

    /** Metadata key describing the quantisation, for people and tools reading the file. */
    public static final String METADATA_KEY = "tsam.quantization";

    private static final int INT8_MAX = 127;
    private static final Set<String> VALUE_PRESERVING = Set.of("MaxPool", "Reshape", "Gather");

    private final GraphProto graph;
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, TensorProto> initialisers = new HashMap<>();

    /** Quantised activation to the calibrated tensor whose scale and zero point it uses. */
    private final Map<String, String> roots = new LinkedHashMap<>();

    private QdqQuantizer(GraphProto graph) {
        this.graph = graph;
        for (NodeProto node : graph.getNodeList()) {
            node.getOutputList().forEach(output -> producers.put(output, node));
        }
        graph.getInitializerList().forEach(t -> initialisers.put(t.getName(), t));
        plan();
    }

    /** The activation tensors of {@code model} whose ranges the calibration must measure. */
    public static List<String> calibratedTensors(ModelProto model) {
        QdqQuantizer quantizer = new QdqQuantizer(model.getGraph());
        return quantizer.roots.values().stream().distinct().toList();
    }

    /**
     * Quantises {@code model}.
     *
     * @param ranges a range for every tensor of {@link #calibratedTensors}
     * @param description how the ranges were calibrated, for the metadata
     * @throws IllegalArgumentException naming a tensor without a range
     */
    public static ModelProto quantize(
            ModelProto model, Map<String, ActivationRange> ranges, String description) {
        QdqQuantizer quantizer = new QdqQuantizer(model.getGraph());
        GraphProto graph = quantizer.rewrite(ranges);
        ModelProto.Builder quantised = model.toBuilder().setGraph(graph);
        quantised.addMetadataProps(
                StringStringEntryProto.newBuilder()
                        .setKey(METADATA_KEY)
                        .setValue(
                                "int8 QDQ: convolution weights int8 symmetric per output channel,"
                                        + " activations uint8 per tensor ("
                                        + description
                                        + "), classifier float"));
        return quantised.build();
    }

    private void plan() {
        for (NodeProto node : graph.getNodeList()) {
            String op = node.getOpType();
            if (op.equals("Conv")) {
                String input = node.getInput(0);
                roots.putIfAbsent(input, input);
                String output = node.getOutput(0);
                if (!onlyReluConsumers(output)) {
                    roots.put(output, output);
                }
            } else if (op.equals("Relu")) {
                roots.put(node.getOutput(0), node.getOutput(0));
            } else if (VALUE_PRESERVING.contains(op) && roots.containsKey(node.getInput(0))) {
                roots.put(node.getOutput(0), roots.get(node.getInput(0)));
            } else if (op.equals("Pad") && roots.containsKey(node.getInput(0))) {
                String root = roots.get(node.getInput(0));
                NodeProto producer = producers.get(root);
                // Zero padding is exact in uint8 only where 0 is the zero point: a ReLU's output.
                if (producer != null && producer.getOpType().equals("Relu")) {
                    roots.put(node.getOutput(0), root);
                }
            }
        }
    }

    private boolean onlyReluConsumers(String value) {
        boolean any = false;
        for (NodeProto node : graph.getNodeList()) {
            if (node.getInputList().contains(value)) {
                if (!node.getOpType().equals("Relu")) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    private GraphProto rewrite(Map<String, ActivationRange> ranges) {
        List<TensorProto> added = new ArrayList<>();
        Set<String> rootsDone = new HashSet<>();
        for (String root : new HashSet<>(roots.values())) {
            ActivationRange range = ranges.get(root);
            if (range == null) {
                throw new IllegalArgumentException(
                        "no calibrated range for activation '" + root + "'");
            }
            if (rootsDone.add(root)) {
                added.add(scalarFloat(root + "/scale", range.scale()));
                added.add(scalarUint8(root + "/zero_point", range.zeroPoint()));
            }
        }
        List<NodeProto> nodes = new ArrayList<>();
        for (ValueInfoProto input : graph.getInputList()) {
            if (roots.containsKey(input.getName())) {
                addQdq(nodes, input.getName());
            }
        }
        Set<String> replacedWeights = new HashSet<>();
        for (NodeProto node : graph.getNodeList()) {
            NodeProto.Builder rewritten = node.toBuilder();
            for (int i = 0; i < node.getInputCount(); i++) {
                if (roots.containsKey(node.getInput(i))) {
                    rewritten.setInput(i, node.getInput(i) + "/dq");
                }
            }
            if (node.getOpType().equals("Conv")) {
                float inputScale = ranges.get(roots.get(node.getInput(0))).scale();
                quantiseConvWeights(node, inputScale, rewritten, nodes, added);
                replacedWeights.add(node.getInput(1));
                if (node.getInputCount() > 2) {
                    replacedWeights.add(node.getInput(2));
                }
            }
            nodes.add(rewritten.build());
            for (String output : node.getOutputList()) {
                if (roots.containsKey(output)) {
                    addQdq(nodes, output);
                }
            }
        }
        List<TensorProto> initialisersKept = new ArrayList<>();
        for (TensorProto tensor : graph.getInitializerList()) {
            if (!replacedWeights.contains(tensor.getName())) {
                initialisersKept.add(tensor);
            }
        }
        initialisersKept.addAll(added);
        return graph.toBuilder()
                .clearNode()
                .addAllNode(nodes)
                .clearInitializer()
                .addAllInitializer(initialisersKept)
                .build();
    }

    private void addQdq(List<NodeProto> nodes, String value) {
        String root = roots.get(value);
        List<String> parameters = List.of(root + "/scale", root + "/zero_point");
        nodes.add(node("QuantizeLinear", value + "/Quantize", value, parameters, value + "/q"));
        nodes.add(
                node(
                        "DequantizeLinear",
                        value + "/Dequantize",
                        value + "/q",
                        parameters,
                        value + "/dq"));
    }

    /**
     * Replaces the conv's float weight and bias inputs with {@code DequantizeLinear} of int8 and
     * int32 initialisers.
     */
    private void quantiseConvWeights(
            NodeProto conv,
            float inputScale,
            NodeProto.Builder rewritten,
            List<NodeProto> nodes,
            List<TensorProto> added) {
        String weightName = conv.getInput(1);
        TensorProto weight = initialisers.get(weightName);
        if (weight == null || weight.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IllegalArgumentException(
                    "conv '" + conv.getName() + "': its weight is not a float initialiser");
        }
        float[] values = floats(weight);
        int outputs = Math.toIntExact(weight.getDims(0));
        int perOutput = values.length / outputs;
        float[] scales = new float[outputs];
        byte[] quantised = new byte[values.length];
        for (int o = 0; o < outputs; o++) {
            float largest = 0;
            for (int i = o * perOutput; i < (o + 1) * perOutput; i++) {
                largest = Math.max(largest, Math.abs(values[i]));
            }
            scales[o] = largest > 0 ? largest / INT8_MAX : 1f;
            for (int i = o * perOutput; i < (o + 1) * perOutput; i++) {
                quantised[i] =
                        (byte)
                                Math.max(
                                        -INT8_MAX,
                                        Math.min(INT8_MAX, Math.round(values[i] / scales[o])));
            }
        }
        rewritten.setInput(
                1,
                dequantizePerChannel(
                        weightName,
                        TensorProto.DataType.INT8_VALUE,
                        quantised,
                        weight.getDimsList(),
                        scales,
                        nodes,
                        added));
        if (conv.getInputCount() < 3 || conv.getInput(2).isEmpty()) {
            return;
        }
        String biasName = conv.getInput(2);
        float[] bias = floats(initialisers.get(biasName));
        float[] biasScales = new float[outputs];
        ByteBuffer biasInts = ByteBuffer.allocate(4 * outputs).order(ByteOrder.LITTLE_ENDIAN);
        for (int o = 0; o < outputs; o++) {
            biasScales[o] = inputScale * scales[o];
            biasInts.putInt(
                    (int)
                            Math.max(
                                    Integer.MIN_VALUE + 1,
                                    Math.min(
                                            Integer.MAX_VALUE,
                                            Math.round((double) bias[o] / biasScales[o]))));
        }
        rewritten.setInput(
                2,
                dequantizePerChannel(
                        biasName,
                        TensorProto.DataType.INT32_VALUE,
                        biasInts.array(),
                        List.of((long) outputs),
                        biasScales,
                        nodes,
                        added));
    }

    /**
     * Adds {@code values} ({@code type}, zero points 0) with one scale per output channel and the
     * {@code DequantizeLinear} that reads them along axis 0; returns its output's name.
     */
    private static String dequantizePerChannel(
            String name,
            int type,
            byte[] values,
            List<Long> dims,
            float[] scales,
            List<NodeProto> nodes,
            List<TensorProto> added) {
        String suffix = type == TensorProto.DataType.INT8_VALUE ? "/int8" : "/int32";
        int zeroBytes = (type == TensorProto.DataType.INT8_VALUE ? 1 : 4) * scales.length;
        added.add(raw(name + suffix, type, values, dims));
        added.add(floatVector(name + "/scale", scales));
        added.add(
                raw(
                        name + "/zero_point",
                        type,
                        new byte[zeroBytes],
                        List.of((long) scales.length)));
        nodes.add(
                perAxis(
                        node(
                                "DequantizeLinear",
                                name + "/Dequantize",
                                name + suffix,
                                List.of(name + "/scale", name + "/zero_point"),
                                name + "/dq")));
        return name + "/dq";
    }

    private static NodeProto perAxis(NodeProto node) {
        return node.toBuilder()
                .addAttribute(
                        AttributeProto.newBuilder()
                                .setName("axis")
                                .setType(AttributeProto.AttributeType.INT)
                                .setI(0))
                .build();
    }

    private static NodeProto node(
            String op, String name, String input, List<String> parameters, String output) {
        return NodeProto.newBuilder()
                .setOpType(op)
                .setName(name)
                .addInput(input)
                .addAllInput(parameters)
                .addOutput(output)
                .build();
    }

    static float[] floats(TensorProto tensor) {
        if (tensor.getFloatDataCount() > 0) {
            float[] values = new float[tensor.getFloatDataCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getFloatData(i);
            }
            return values;
        }
        FloatBuffer buffer =
                tensor.getRawData()
                        .asReadOnlyByteBuffer()
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static TensorProto raw(String name, int type, byte[] data, List<Long> dims) {
        return TensorProto.newBuilder()
                .setName(name)
                .setDataType(type)
                .addAllDims(dims)
                .setRawData(ByteString.copyFrom(data))
                .build();
    }

    private static TensorProto floatVector(String name, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return raw(
                name,
                TensorProto.DataType.FLOAT_VALUE,
                bytes.array(),
                List.of((long) values.length));
    }

    private static TensorProto scalarFloat(String name, float value) {
        return raw(
                name,
                TensorProto.DataType.FLOAT_VALUE,
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array(),
                List.of());
    }

    private static TensorProto scalarUint8(String name, int value) {
        return raw(name, TensorProto.DataType.UINT8_VALUE, new byte[] {(byte) value}, List.of());
    }
}
