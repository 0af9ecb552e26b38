package io.tsam.model.net;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one mapping from the net's DJL parameters to their PyTorch names in the TSM layout (SPEC
 * section 4), e.g. {@code base_model.layer1.0.conv1.net.weight} or {@code new_fc.bias}.
 *
 * <p>A name is the path of child-block names from the root, with the two-digit counter that DJL
 * puts before every child name ({@code 01conv1}) removed, then the parameter's torch name. The
 * order is torch's {@code state_dict} order: a block's own parameters, then its children in
 * insertion order. BatchNorm running statistics are included; {@code num_batches_tracked} is not a
 * DJL parameter and is left to the checkpoint writer.
 */
public final class PyTorchNames {

    /** DJL's child-name prefix, {@code String.format("%02d%s", index, name)}. */
    private static final int COUNTER_DIGITS = 2;

    /** DJL parameter names that torch spells differently; the rest are the same. */
    private static final Map<String, String> TORCH_PARAMETER_NAMES =
            Map.of(
                    "gamma", "weight",
                    "beta", "bias",
                    "runningMean", "running_mean",
                    "runningVar", "running_var");

    private PyTorchNames() {}

    /**
     * Returns every parameter of {@code root} by its PyTorch name, in network order.
     *
     * <p>For a {@link TsamNet} these are the checkpoint names ({@code base_model.conv1.weight},
     * ..., {@code new_fc.bias}); for another block they are relative to it ({@code
     * conv1.net.weight} for a shifted {@link ResidualBlock}).
     *
     * @param root the block to walk
     * @return a new map from name to the live parameter
     * @throws IllegalStateException if two parameters map to one name
     */
    public static LinkedHashMap<String, Parameter> of(Block root) {
        LinkedHashMap<String, Parameter> names = new LinkedHashMap<>();
        collect(root, "", names);
        return names;
    }

    /**
     * Returns the shape of every parameter of {@code root} by its PyTorch name, in network order.
     *
     * @param root an initialised block
     * @return a new map from name to shape
     */
    public static LinkedHashMap<String, Shape> shapes(Block root) {
        LinkedHashMap<String, Shape> shapes = new LinkedHashMap<>();
        of(root).forEach((name, parameter) -> shapes.put(name, parameter.getShape()));
        return shapes;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> names) {
        for (Pair<String, Parameter> entry : block.getDirectParameters()) {
            String key = entry.getKey();
            String name = prefix + TORCH_PARAMETER_NAMES.getOrDefault(key, key);
            if (names.put(name, entry.getValue()) != null) {
                throw new IllegalStateException("two parameters map to the PyTorch name " + name);
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            String childName = child.getKey().substring(COUNTER_DIGITS);
            collect(child.getValue(), prefix + childName + ".", names);
        }
    }
}
