package io.tsam.exporter.onnx;

import java.util.List;
import java.util.Optional;

/**
 * A value of one {@link OnnxGraph}: a graph input, an initialiser or a node output. Lowerings pass
 * refs from block to block as the DJL forward pass passes arrays.
 *
 * <p>Refs belong to the graph that made them; {@link OnnxGraph#node} rejects a ref of another
 * graph.
 */
public final class OnnxRef {

    private final OnnxGraph graph;
    private final String name;
    private final List<Dim> dims;

    OnnxRef(OnnxGraph graph, String name, List<Dim> dims) {
        this.graph = graph;
        this.name = name;
        this.dims = dims == null ? null : List.copyOf(dims);
    }

    /** The value's name in the graph. */
    public String name() {
        return name;
    }

    /**
     * The declared shape: present for graph inputs and initialisers, empty for node outputs (the
     * exporter leaves those to the runtime's shape inference).
     */
    public Optional<List<Dim>> dims() {
        return Optional.ofNullable(dims);
    }

    OnnxGraph graph() {
        return graph;
    }

    @Override
    public String toString() {
        return dims == null ? name : name + dims;
    }
}
