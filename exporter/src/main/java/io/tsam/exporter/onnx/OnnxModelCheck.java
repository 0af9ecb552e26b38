package io.tsam.exporter.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structural part of the ONNX checker, in Java: what can be wrong with a model this exporter
 * writes without running shape inference.
 *
 * <p>Checked: an IR version and a default-domain opset import are present; graph inputs,
 * initialisers and node outputs have distinct names; nodes are in execution order (every input is
 * defined before it is used); every node is an {@link OnnxOp} with its arity and attributes; every
 * graph output is produced; every initialiser's raw data has the size its shape says and is used by
 * a node.
 */
public final class OnnxModelCheck {

    private static final Map<Integer, Integer> ELEMENT_BYTES =
            Map.of(TensorProto.DataType.FLOAT_VALUE, 4, TensorProto.DataType.INT64_VALUE, 8);

    private OnnxModelCheck() {}

    /**
     * Returns what is wrong with {@code model}, one line per problem; empty if nothing is.
     *
     * @param model the model to check
     * @return the problems found
     */
    public static List<String> problems(ModelProto model) {
        List<String> problems = new ArrayList<>();
        if (model.getIrVersion() <= 0) {
            problems.add("no IR version");
        }
        boolean defaultOpset = false;
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            defaultOpset |= opset.getDomain().isEmpty() && opset.getVersion() > 0;
        }
        if (!defaultOpset) {
            problems.add("no opset import for the default domain");
        }
        GraphProto graph = model.getGraph();
        if (graph.getInputCount() == 0 || graph.getOutputCount() == 0) {
            problems.add("the graph needs at least one input and one output");
        }
        Set<String> defined = new HashSet<>();
        for (ValueInfoProto input : graph.getInputList()) {
            define(input.getName(), "graph input", defined, problems);
        }
        for (TensorProto initializer : graph.getInitializerList()) {
            define(initializer.getName(), "initialiser", defined, problems);
            checkData(initializer, problems);
        }
        Set<String> used = new HashSet<>();
        Set<String> nodeNames = new HashSet<>();
        for (NodeProto node : graph.getNodeList()) {
            if (node.getName().isEmpty() || !nodeNames.add(node.getName())) {
                problems.add("node name '" + node.getName() + "' is empty or used twice");
            }
            for (String input : node.getInputList()) {
                if (!input.isEmpty() && !defined.contains(input)) {
                    problems.add(
                            "node " + node.getName() + " reads " + input + " before it is defined");
                }
                used.add(input);
            }
            checkOperator(node, problems);
            for (String output : node.getOutputList()) {
                define(output, "output of node " + node.getName(), defined, problems);
            }
        }
        for (ValueInfoProto output : graph.getOutputList()) {
            if (!defined.contains(output.getName())) {
                problems.add("graph output " + output.getName() + " is never produced");
            }
        }
        for (TensorProto initializer : graph.getInitializerList()) {
            if (!used.contains(initializer.getName())) {
                problems.add("initialiser " + initializer.getName() + " is never used");
            }
        }
        return problems;
    }

    /**
     * Checks {@code model}.
     *
     * @throws IllegalStateException listing every problem, if there is any
     */
    public static void check(ModelProto model) {
        List<String> problems = problems(model);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "the ONNX model is malformed:\n  " + String.join("\n  ", problems));
        }
    }

    private static void define(String name, String what, Set<String> defined, List<String> out) {
        if (name.isEmpty() || !defined.add(name)) {
            out.add(what + " '" + name + "' is empty or defined twice");
        }
    }

    private static void checkData(TensorProto tensor, List<String> problems) {
        Integer bytes = ELEMENT_BYTES.get(tensor.getDataType());
        if (bytes == null) {
            problems.add(
                    "initialiser "
                            + tensor.getName()
                            + " has data type "
                            + tensor.getDataType()
                            + "; the exporter writes float32 and int64 only");
            return;
        }
        long size = 1;
        for (long dim : tensor.getDimsList()) {
            size *= dim;
        }
        if (tensor.getRawData().size() != size * bytes) {
            problems.add(
                    "initialiser "
                            + tensor.getName()
                            + " has "
                            + tensor.getRawData().size()
                            + " bytes of raw data, its shape "
                            + tensor.getDimsList()
                            + " needs "
                            + size * bytes);
        }
    }

    private static void checkOperator(NodeProto node, List<String> problems) {
        OnnxOp op;
        try {
            op = OnnxOp.of(node.getOpType());
        } catch (IllegalArgumentException e) {
            problems.add("node " + node.getName() + ": " + e.getMessage());
            return;
        }
        if (!op.acceptsInputs(node.getInputCount()) || !op.acceptsOutputs(node.getOutputCount())) {
            problems.add(
                    "node "
                            + node.getName()
                            + " has "
                            + node.getInputCount()
                            + " inputs and "
                            + node.getOutputCount()
                            + " outputs, not "
                            + op.signature());
        }
        Set<String> attributes = new HashSet<>();
        for (AttributeProto attribute : node.getAttributeList()) {
            if (!op.attributes().contains(attribute.getName())
                    || !attributes.add(attribute.getName())) {
                problems.add(
                        "node "
                                + node.getName()
                                + ": attribute "
                                + attribute.getName()
                                + " is unknown to "
                                + op.opType()
                                + " or set twice");
            }
        }
        if (!attributes.containsAll(op.requiredAttributes())) {
            problems.add(
                    "node " + node.getName() + " lacks a required attribute of " + op.signature());
        }
    }
}
