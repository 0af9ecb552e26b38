package io.tsam.exporter.onnx.lowering;

import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import ai.onnx.proto.OnnxMl.AttributeProto;
import io.tsam.exporter.onnx.OnnxGraph;
import io.tsam.exporter.onnx.OnnxOp;
import io.tsam.exporter.onnx.OnnxRef;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link BlockLowering} writes: the graph, the registry that lowers child blocks, and the
 * block's path (its PyTorch module name, e.g. {@code base_model.layer1.0.conv1}), which prefixes
 * every node and initialiser name it makes and names the block in errors.
 *
 * <p>A context may carry a BatchNorm to fold ({@link #lowerChildFolding}): the first conv lowered
 * below it takes it with {@link #takeBatchNorm()} and writes the folded weights, so one conv node
 * computes conv and BatchNorm. Exactly one conv must take it; anything else fails the export.
 */
public final class LoweringContext {

    /** DJL prefixes each child name with a two-digit counter, {@code 01conv1}. */
    private static final int COUNTER_DIGITS = 2;

    private final OnnxGraph graph;
    private final LoweringRegistry registry;
    private final String path;
    private final PendingFold fold;

    private LoweringContext(
            OnnxGraph graph, LoweringRegistry registry, String path, PendingFold fold) {
        this.graph = graph;
        this.registry = registry;
        this.path = path;
        this.fold = fold;
    }

    /**
     * Returns the context of a root block, whose path is empty.
     *
     * @param graph the graph to write to
     * @param registry the lowerings to use
     * @return the context
     */
    public static LoweringContext root(OnnxGraph graph, LoweringRegistry registry) {
        return new LoweringContext(
                Objects.requireNonNull(graph, "graph"),
                Objects.requireNonNull(registry, "registry"),
                "",
                null);
    }

    /** The block's path, its PyTorch module name; empty for the root. */
    public String path() {
        return path;
    }

    /**
     * Lowers {@code block} at this context's path with its registered lowering.
     *
     * @throws IllegalArgumentException if no lowering is registered for the block's class
     */
    public List<OnnxRef> lower(Block block, List<OnnxRef> inputs) {
        return registry.lower(block, inputs, this);
    }

    /**
     * Lowers a child block at its path below this one.
     *
     * @param parent the block being lowered in this context
     * @param child one of its children
     * @param inputs the child's inputs
     * @return the child's outputs
     * @throws IllegalArgumentException if {@code child} is not a child of {@code parent}, or cannot
     *     be exported
     */
    public List<OnnxRef> lowerChild(Block parent, Block child, List<OnnxRef> inputs) {
        return child(parent, child, fold).lower(child, inputs);
    }

    /** Lowers a child block with one input and one output; see {@link #lowerChild}. */
    public OnnxRef lowerChild(Block parent, Block child, OnnxRef input) {
        return single(child, lowerChild(parent, child, List.of(input)));
    }

    /**
     * Lowers a conv child, or a block that ends in one (a shifted conv), with the BatchNorm that
     * follows it folded into the conv's weights.
     *
     * @param parent the block being lowered in this context
     * @param conv the conv child
     * @param batchNorm the BatchNorm child applied to the conv's output
     * @param input the conv's input
     * @return the BatchNorm's output
     * @throws IllegalArgumentException if a block is not a child of {@code parent}, or no conv (or
     *     more than one) took the BatchNorm
     */
    public OnnxRef lowerChildFolding(Block parent, Block conv, BatchNorm batchNorm, OnnxRef input) {
        PendingFold pending = new PendingFold(batchNorm, childPath(parent, batchNorm));
        OnnxRef output = single(conv, child(parent, conv, pending).lower(conv, List.of(input)));
        if (!pending.taken) {
            throw new IllegalArgumentException(
                    "BatchNorm "
                            + pending.path
                            + " cannot be folded: "
                            + childPath(parent, conv)
                            + " ("
                            + conv.getClass().getSimpleName()
                            + ") wrote no conv to fold it into");
        }
        return output;
    }

    /**
     * Takes the BatchNorm to fold into the conv being lowered, if this context carries one.
     *
     * @return the BatchNorm, or empty when the conv's output is not normalised
     * @throws IllegalArgumentException if another conv already took it
     */
    public Optional<BatchNorm> takeBatchNorm() {
        if (fold == null) {
            return Optional.empty();
        }
        if (fold.taken) {
            throw new IllegalArgumentException(
                    "BatchNorm "
                            + fold.path
                            + " would be folded into two convs; the second is "
                            + path);
        }
        fold.taken = true;
        return Optional.of(fold.batchNorm);
    }

    /**
     * Adds a node with one output, named after this path and the operator, e.g. {@code
     * base_model.layer1.0/Relu}.
     *
     * @throws IllegalArgumentException if the node does not fit the operator
     */
    public OnnxRef node(OnnxOp op, List<OnnxRef> inputs, AttributeProto... attributes) {
        return graph.node(nodeName(op), op, inputs, List.of(attributes));
    }

    /** Adds a float32 initialiser named {@code <path>.<name>}. */
    public OnnxRef floatTensor(String name, float[] data, long... dims) {
        return graph.floatTensor(qualified(name), data, dims);
    }

    /** Adds an int64 initialiser named {@code <path>.<name>}. */
    public OnnxRef longTensor(String name, long[] data, long... dims) {
        return graph.longTensor(qualified(name), data, dims);
    }

    private LoweringContext child(Block parent, Block child, PendingFold childFold) {
        return new LoweringContext(graph, registry, childPath(parent, child), childFold);
    }

    private String childPath(Block parent, Block child) {
        for (Pair<String, Block> entry : parent.getChildren()) {
            if (entry.getValue() == child) {
                return qualified(entry.getKey().substring(COUNTER_DIGITS));
            }
        }
        throw new IllegalArgumentException(
                "block "
                        + child.getClass().getSimpleName()
                        + " is not a child of "
                        + (path.isEmpty() ? "<root>" : path));
    }

    private String qualified(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private String nodeName(OnnxOp op) {
        return path.isEmpty() ? op.opType() : path + "/" + op.opType();
    }

    private OnnxRef single(Block block, List<OnnxRef> outputs) {
        if (outputs.size() != 1) {
            throw new IllegalArgumentException(
                    "block "
                            + block.getClass().getSimpleName()
                            + " below "
                            + (path.isEmpty() ? "<root>" : path)
                            + " was expected to have one output, its lowering returned "
                            + outputs);
        }
        return outputs.get(0);
    }

    /** A BatchNorm waiting for the conv it follows; taken once. */
    private static final class PendingFold {
        private final BatchNorm batchNorm;
        private final String path;
        private boolean taken;

        private PendingFold(BatchNorm batchNorm, String path) {
            this.batchNorm = batchNorm;
            this.path = path;
        }
    }
}
