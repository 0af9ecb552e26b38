package io.tsam.exporter.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds one ONNX graph over the {@code OnnxMl} protobuf builders: graph inputs, initialisers,
 * nodes checked against their {@link OnnxOp} when they are added, and typed graph outputs.
 *
 * <p>Names are made unique here: a node or initialiser whose requested name is taken gets a suffix
 * {@code _1}, {@code _2}, ...; graph inputs and outputs keep their exact names and fail if taken.
 * Nodes must be added in execution order (each input defined before it is used), which is the order
 * the ONNX checker requires. Not thread-safe.
 */
public final class OnnxGraph {

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;

    private final String name;
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final List<NodeProto.Builder> nodes = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final Set<String> values = new HashSet<>();
    private final Set<String> nodeNames = new HashSet<>();
    private final Map<String, Integer> nextSuffix = new HashMap<>();
    private final Map<String, Integer> producers = new HashMap<>();

    /**
     * Starts an empty graph.
     *
     * @param name the graph's name
     */
    public OnnxGraph(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Declares a float32 graph input.
     *
     * @param name the input's exact name
     * @param dims its shape
     * @return the input
     * @throws IllegalArgumentException if the name is taken
     */
    public OnnxRef input(String name, List<Dim> dims) {
        claimExact(name, "graph input");
        inputs.add(valueInfo(name, dims));
        return new OnnxRef(this, name, dims);
    }

    /**
     * Adds a float32 initialiser, stored as little-endian raw data.
     *
     * @param name the requested name, made unique
     * @param data the values, row-major
     * @param dims the shape; its product must be {@code data.length}
     * @return the initialiser
     */
    public OnnxRef floatTensor(String name, float[] data, long... dims) {
        checkSize(name, data.length, dims);
        ByteBuffer bytes = ByteBuffer.allocate(Float.BYTES * data.length);
        bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(data);
        return initializer(name, FLOAT, bytes.array(), dims);
    }

    /**
     * Adds an int64 initialiser, stored as little-endian raw data.
     *
     * @param name the requested name, made unique
     * @param data the values, row-major
     * @param dims the shape; its product must be {@code data.length}
     * @return the initialiser
     */
    public OnnxRef longTensor(String name, long[] data, long... dims) {
        checkSize(name, data.length, dims);
        ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES * data.length);
        bytes.order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(data);
        return initializer(name, INT64, bytes.array(), dims);
    }

    /**
     * Adds a node with one output.
     *
     * @see #node(String, OnnxOp, List, int, List)
     */
    public OnnxRef node(
            String name, OnnxOp op, List<OnnxRef> inputs, List<AttributeProto> attributes) {
        return node(name, op, inputs, 1, attributes).get(0);
    }

    /**
     * Adds a node after every node added so far.
     *
     * @param name the requested node name, made unique; the outputs are named after the node
     * @param op the operator
     * @param inputs the inputs, refs of this graph
     * @param outputs how many outputs the node has
     * @param attributes the attributes, each one the operator has, none twice
     * @return the outputs
     * @throws IllegalArgumentException if the arity or an attribute does not fit the operator, or
     *     an input belongs to another graph or is not defined; the message gives the operator's
     *     signature
     */
    public List<OnnxRef> node(
            String name,
            OnnxOp op,
            List<OnnxRef> inputs,
            int outputs,
            List<AttributeProto> attributes) {
        String nodeName = unique(name, nodeNames);
        if (!op.acceptsInputs(inputs.size()) || !op.acceptsOutputs(outputs)) {
            throw new IllegalArgumentException(
                    "node "
                            + nodeName
                            + ": "
                            + op.signature()
                            + " does not take "
                            + inputs.size()
                            + " inputs and "
                            + outputs
                            + " outputs");
        }
        NodeProto.Builder node = NodeProto.newBuilder().setName(nodeName).setOpType(op.opType());
        for (OnnxRef input : inputs) {
            if (input.graph() != this) {
                throw new IllegalArgumentException(
                        "node " + nodeName + ": input " + input.name() + " is from another graph");
            }
            if (!values.contains(input.name())) {
                throw new IllegalArgumentException(
                        "node "
                                + nodeName
                                + ": input "
                                + input.name()
                                + " is not defined (was it renamed to a graph output?)");
            }
            node.addInput(input.name());
        }
        checkAttributes(nodeName, op, attributes);
        node.addAllAttribute(attributes);
        nodeNames.add(nodeName);
        List<OnnxRef> refs = new ArrayList<>(outputs);
        for (int i = 0; i < outputs; i++) {
            String output = unique(outputs == 1 ? nodeName : nodeName + ":" + i, values);
            values.add(output);
            producers.put(output, nodes.size());
            node.addOutput(output);
            refs.add(new OnnxRef(this, output, null));
        }
        nodes.add(node);
        return refs;
    }

    /**
     * Makes a node output a float32 graph output under {@code name}. The value is renamed: refs to
     * it must not be used for later nodes.
     *
     * @param value a node output of this graph
     * @param name the output's exact name
     * @param dims its shape
     * @throws IllegalArgumentException if the value is not a node output or the name is taken
     */
    public void output(OnnxRef value, String name, List<Dim> dims) {
        Integer producer = producers.get(value.name());
        if (value.graph() != this || producer == null) {
            throw new IllegalArgumentException(
                    "graph output " + name + " must be a node output of this graph, got " + value);
        }
        claimExact(name, "graph output");
        values.remove(value.name());
        producers.remove(value.name());
        producers.put(name, producer);
        for (NodeProto.Builder node : nodes) {
            replaceAll(node, value.name(), name);
        }
        outputs.add(valueInfo(name, dims));
    }

    /**
     * Builds the model: the graph, the IR version and opset of {@link OnnxOp}, and the metadata.
     *
     * @param producerName {@code producer_name}
     * @param producerVersion {@code producer_version}
     * @param metadata {@code metadata_props}, in order
     * @return the model
     * @throws IllegalStateException if the graph has no output
     */
    public ModelProto toModel(
            String producerName, String producerVersion, Map<String, String> metadata) {
        if (outputs.isEmpty()) {
            throw new IllegalStateException("graph " + name + " has no output");
        }
        GraphProto.Builder graph =
                GraphProto.newBuilder()
                        .setName(name)
                        .addAllInput(inputs)
                        .addAllInitializer(initializers)
                        .addAllOutput(outputs);
        nodes.forEach(node -> graph.addNode(node.build()));
        ModelProto.Builder model =
                ModelProto.newBuilder()
                        .setIrVersion(OnnxOp.IR_VERSION)
                        .addOpsetImport(
                                OperatorSetIdProto.newBuilder()
                                        .setDomain("")
                                        .setVersion(OnnxOp.OPSET_VERSION))
                        .setProducerName(producerName)
                        .setProducerVersion(producerVersion)
                        .setGraph(graph);
        metadata.forEach(
                (key, value) ->
                        model.addMetadataProps(
                                StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build();
    }

    private OnnxRef initializer(String name, int dataType, byte[] raw, long[] dims) {
        String unique = unique(name, values);
        values.add(unique);
        TensorProto.Builder tensor =
                TensorProto.newBuilder()
                        .setName(unique)
                        .setDataType(dataType)
                        // The array is never touched again, so protobuf may keep it uncopied.
                        .setRawData(UnsafeByteOperations.unsafeWrap(raw));
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        initializers.add(tensor.build());
        return new OnnxRef(this, unique, Arrays.stream(dims).mapToObj(Dim::of).toList());
    }

    private void claimExact(String name, String what) {
        if (values.contains(name)) {
            throw new IllegalArgumentException(what + " name " + name + " is already used");
        }
        values.add(name);
    }

    private String unique(String requested, Set<String> taken) {
        if (!taken.contains(requested)) {
            return requested;
        }
        int suffix = nextSuffix.getOrDefault(requested, 1);
        while (taken.contains(requested + "_" + suffix)) {
            suffix++;
        }
        nextSuffix.put(requested, suffix + 1);
        return requested + "_" + suffix;
    }

    private static void checkSize(String name, int length, long[] dims) {
        long size = 1;
        for (long dim : dims) {
            if (dim < 0) {
                throw new IllegalArgumentException(
                        "initialiser "
                                + name
                                + " has a negative dimension "
                                + Arrays.toString(dims));
            }
            size *= dim;
        }
        if (size != length) {
            throw new IllegalArgumentException(
                    "initialiser "
                            + name
                            + " has shape "
                            + Arrays.toString(dims)
                            + " ("
                            + size
                            + " values) but "
                            + length
                            + " values were given");
        }
    }

    private static void checkAttributes(
            String nodeName, OnnxOp op, List<AttributeProto> attributes) {
        Set<String> seen = new HashSet<>();
        for (AttributeProto attribute : attributes) {
            if (!op.attributes().contains(attribute.getName())) {
                throw new IllegalArgumentException(
                        "node "
                                + nodeName
                                + ": "
                                + op.signature()
                                + " has no attribute "
                                + attribute.getName()
                                + "; its attributes are "
                                + op.attributes());
            }
            if (!seen.add(attribute.getName())) {
                throw new IllegalArgumentException(
                        "node " + nodeName + ": attribute " + attribute.getName() + " set twice");
            }
        }
        for (String required : op.requiredAttributes()) {
            if (!seen.contains(required)) {
                throw new IllegalArgumentException(
                        "node "
                                + nodeName
                                + ": "
                                + op.signature()
                                + " needs the attribute "
                                + required);
            }
        }
    }

    private static void replaceAll(NodeProto.Builder node, String from, String to) {
        for (int i = 0; i < node.getInputCount(); i++) {
            if (node.getInput(i).equals(from)) {
                node.setInput(i, to);
            }
        }
        for (int i = 0; i < node.getOutputCount(); i++) {
            if (node.getOutput(i).equals(from)) {
                node.setOutput(i, to);
            }
        }
    }

    /** The description of a float tensor {@code name} of shape {@code dims}. */
    public static ValueInfoProto valueInfo(String name, List<Dim> dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Dim dim : dims) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (dim.isFixed()) {
                d.setDimValue(dim.value());
            } else {
                d.setDimParam(dim.param());
            }
            shape.addDim(d);
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                        TypeProto.newBuilder()
                                .setTensorType(
                                        TypeProto.Tensor.newBuilder()
                                                .setElemType(FLOAT)
                                                .setShape(shape)))
                .build();
    }
}
