package io.tsam.exporter.onnx.lowering;

import ai.djl.nn.Block;
import io.tsam.exporter.onnx.OnnxRef;
import java.util.List;

/**
 * How one DJL block type is written as ONNX nodes: takes the refs of the block's inputs and returns
 * the refs of its outputs, so a lowering reads like the block's forward pass.
 *
 * <p>A lowering emits the nodes of the block itself and hands its child blocks to {@link
 * LoweringContext#lowerChild}, which looks their lowering up in the {@link LoweringRegistry}; it
 * never describes the network by hand. Implementations are stateless.
 *
 * @param <B> the block type
 */
@FunctionalInterface
public interface BlockLowering<B extends Block> {

    /**
     * Writes {@code block} into the context's graph.
     *
     * @param block the block, initialised
     * @param inputs its inputs, in the order of its forward pass
     * @param context where to write, at the block's path
     * @return its outputs, in the order of its forward pass
     * @throws IllegalArgumentException if the block or its inputs cannot be exported; the message
     *     names the block's path
     */
    List<OnnxRef> lower(B block, List<OnnxRef> inputs, LoweringContext context);
}
