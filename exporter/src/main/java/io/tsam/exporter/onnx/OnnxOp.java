package io.tsam.exporter.onnx;

import java.util.Set;

/**
 * The ONNX operators the exporter emits, each with its arity and attribute schema in the opset
 * {@link #OPSET_VERSION}: the one place that says which opset and IR version the files are.
 *
 * <p>{@link OnnxGraph#node} checks every node against its operator here when the node is built, so
 * a lowering that passes the wrong number of inputs or an attribute the operator does not have
 * fails at once with the operator's signature in the message, not later inside a runtime.
 */
public enum OnnxOp {
    ADD("Add", "Add(A, B) -> C", 2, 2, 1, 1, Set.of(), Set.of()),
    CONCAT(
            "Concat",
            "Concat(inputs...) -> concat_result",
            1,
            Integer.MAX_VALUE,
            1,
            1,
            Set.of("axis"),
            Set.of("axis")),
    CONV(
            "Conv",
            "Conv(X, W, [B]) -> Y",
            2,
            3,
            1,
            1,
            Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"),
            Set.of()),
    FLATTEN("Flatten", "Flatten(input) -> output", 1, 1, 1, 1, Set.of("axis"), Set.of()),
    GATHER("Gather", "Gather(data, indices) -> output", 2, 2, 1, 1, Set.of("axis"), Set.of()),
    GEMM(
            "Gemm",
            "Gemm(A, B, [C]) -> Y",
            2,
            3,
            1,
            1,
            Set.of("alpha", "beta", "transA", "transB"),
            Set.of()),
    GLOBAL_AVERAGE_POOL(
            "GlobalAveragePool", "GlobalAveragePool(X) -> Y", 1, 1, 1, 1, Set.of(), Set.of()),
    MAX_POOL(
            "MaxPool",
            "MaxPool(X) -> Y, [Indices]",
            1,
            1,
            1,
            2,
            Set.of(
                    "auto_pad",
                    "ceil_mode",
                    "dilations",
                    "kernel_shape",
                    "pads",
                    "storage_order",
                    "strides"),
            Set.of("kernel_shape")),
    PAD("Pad", "Pad(data, pads, [constant_value]) -> output", 2, 3, 1, 1, Set.of("mode"), Set.of()),
    REDUCE_MEAN(
            "ReduceMean",
            "ReduceMean(data) -> reduced",
            1,
            1,
            1,
            1,
            Set.of("axes", "keepdims"),
            Set.of()),
    RELU("Relu", "Relu(X) -> Y", 1, 1, 1, 1, Set.of(), Set.of()),
    RESHAPE(
            "Reshape",
            "Reshape(data, shape) -> reshaped",
            2,
            2,
            1,
            1,
            Set.of("allowzero"),
            Set.of()),
    UNSQUEEZE("Unsqueeze", "Unsqueeze(data, axes) -> expanded", 2, 2, 1, 1, Set.of(), Set.of());

    /** The default-domain opset every exported file imports (SPEC §5: 17 or newer). */
    public static final int OPSET_VERSION = 17;

    /**
     * The file's IR version: 8 ({@code IR_VERSION_2021_7_30}), the one ONNX 1.12 writes with opset
     * 17, so that older readers of opset 17 accept the file too.
     */
    public static final int IR_VERSION = 8;

    private final String opType;
    private final String signature;
    private final int minInputs;
    private final int maxInputs;
    private final int minOutputs;
    private final int maxOutputs;
    private final Set<String> attributes;
    private final Set<String> requiredAttributes;

    OnnxOp(
            String opType,
            String signature,
            int minInputs,
            int maxInputs,
            int minOutputs,
            int maxOutputs,
            Set<String> attributes,
            Set<String> requiredAttributes) {
        this.opType = opType;
        this.signature = signature;
        this.minInputs = minInputs;
        this.maxInputs = maxInputs;
        this.minOutputs = minOutputs;
        this.maxOutputs = maxOutputs;
        this.attributes = attributes;
        this.requiredAttributes = requiredAttributes;
    }

    /** The operator's name in a {@code NodeProto}, e.g. {@code Conv}. */
    public String opType() {
        return opType;
    }

    /** The operator's signature for messages, optional inputs in brackets. */
    public String signature() {
        return signature;
    }

    /** Whether {@code count} inputs are allowed. */
    public boolean acceptsInputs(int count) {
        return count >= minInputs && count <= maxInputs;
    }

    /** Whether {@code count} outputs are allowed. */
    public boolean acceptsOutputs(int count) {
        return count >= minOutputs && count <= maxOutputs;
    }

    /** The attribute names the operator has in {@link #OPSET_VERSION}. */
    public Set<String> attributes() {
        return attributes;
    }

    /** The attributes a node of this operator must set. */
    public Set<String> requiredAttributes() {
        return requiredAttributes;
    }

    /**
     * Returns the operator of a {@code NodeProto} op type.
     *
     * @throws IllegalArgumentException if the exporter does not know the operator
     */
    public static OnnxOp of(String opType) {
        for (OnnxOp op : values()) {
            if (op.opType.equals(opType)) {
                return op;
            }
        }
        throw new IllegalArgumentException("operator " + opType + " is not one the exporter emits");
    }
}
