package io.tsam.exporter.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How many nodes of each operator a model has, most frequent first.
 *
 * @param counts op type to node count, most frequent first, then by name
 */
public record OpCensus(Map<String, Integer> counts) {

    /** Keeps an unmodifiable copy in the given order. */
    public OpCensus {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    /** Counts the nodes of {@code model}'s graph. */
    public static OpCensus of(ModelProto model) {
        Map<String, Integer> byName = new TreeMap<>();
        for (NodeProto node : model.getGraph().getNodeList()) {
            byName.merge(node.getOpType(), 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> entries =
                byName.entrySet().stream()
                        .sorted(
                                Map.Entry.<String, Integer>comparingByValue(
                                        Comparator.reverseOrder()))
                        .toList();
        Map<String, Integer> ordered = new LinkedHashMap<>();
        entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return new OpCensus(ordered);
    }

    /** The number of nodes of {@code opType}, 0 if none. */
    public int count(String opType) {
        return counts.getOrDefault(opType, 0);
    }

    /** The total number of nodes. */
    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** E.g. {@code 20 Conv, 17 Relu, 8 Add}. */
    @Override
    public String toString() {
        return counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }
}
