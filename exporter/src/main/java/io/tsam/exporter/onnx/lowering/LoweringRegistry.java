package io.tsam.exporter.onnx.lowering;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import io.tsam.exporter.onnx.OnnxRef;
import io.tsam.model.net.BasicBlock;
import io.tsam.model.net.Bottleneck;
import io.tsam.model.net.Downsample;
import io.tsam.model.net.ResNetBackbone;
import io.tsam.model.net.ResNetStage;
import io.tsam.model.net.ShiftedConv;
import io.tsam.model.net.TsamNet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The explicit map from block class to {@link BlockLowering}. A block is looked up by its exact
 * class, so a new block type (even a subclass of a supported one) fails the export, naming its
 * path, until someone registers its lowering.
 *
 * <p>BatchNorm has no entry on purpose: the lowerings fold each BatchNorm into the conv before it
 * ({@link LoweringContext#lowerChildFolding}), so a BatchNorm reached on its own is an error.
 */
public final class LoweringRegistry {

    private final Map<Class<? extends Block>, Entry<?>> entries;

    private LoweringRegistry(Map<Class<? extends Block>, Entry<?>> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** Returns the lowerings of every block of a {@link TsamNet}. */
    public static LoweringRegistry standard() {
        ResidualBlockLowering residual = new ResidualBlockLowering();
        return builder()
                .add(TsamNet.class, new TsamNetLowering())
                .add(ResNetBackbone.class, new ResNetBackboneLowering())
                .add(ResNetStage.class, new ResNetStageLowering())
                // The two block types differ only in their conv chain, which ResidualBlock lists.
                .add(BasicBlock.class, residual)
                .add(Bottleneck.class, residual)
                .add(ShiftedConv.class, new ShiftedConvLowering())
                .add(Downsample.class, new DownsampleLowering())
                .add(Conv2d.class, new Conv2dLowering())
                .add(Linear.class, new LinearLowering())
                .build();
    }

    /** Returns an empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether blocks of exactly {@code type} can be exported. */
    public boolean supports(Class<? extends Block> type) {
        return entries.containsKey(type);
    }

    /**
     * Lowers {@code block} with its registered lowering.
     *
     * @throws IllegalArgumentException naming the block's path and class if no lowering is
     *     registered for it
     */
    List<OnnxRef> lower(Block block, List<OnnxRef> inputs, LoweringContext context) {
        Entry<?> entry = entries.get(block.getClass());
        if (entry == null) {
            throw new IllegalArgumentException(
                    "cannot export block "
                            + (context.path().isEmpty() ? "<root>" : context.path())
                            + " ("
                            + block.getClass().getName()
                            + "): no ONNX lowering is registered for it; registered are "
                            + entries.keySet().stream()
                                    .map(Class::getSimpleName)
                                    .collect(Collectors.joining(", ")));
        }
        return entry.lower(block, inputs, context);
    }

    /** A block class and its lowering, kept together so the cast is checked. */
    private record Entry<B extends Block>(Class<B> type, BlockLowering<? super B> lowering) {
        List<OnnxRef> lower(Block block, List<OnnxRef> inputs, LoweringContext context) {
            return lowering.lower(type.cast(block), inputs, context);
        }
    }

    /** Builds a {@link LoweringRegistry}. */
    public static final class Builder {

        private final Map<Class<? extends Block>, Entry<?>> entries = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Registers the lowering of blocks of exactly {@code type}.
         *
         * @throws IllegalArgumentException if {@code type} already has one
         */
        public <B extends Block> Builder add(Class<B> type, BlockLowering<? super B> lowering) {
            if (entries.putIfAbsent(type, new Entry<>(type, lowering)) != null) {
                throw new IllegalArgumentException(
                        type.getName() + " already has a lowering; register each type once");
            }
            return this;
        }

        /** Returns the registry. */
        public LoweringRegistry build() {
            return new LoweringRegistry(entries);
        }
    }
}
