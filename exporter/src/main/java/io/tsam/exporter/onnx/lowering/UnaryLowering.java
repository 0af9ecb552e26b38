package io.tsam.exporter.onnx.lowering;

import ai.djl.nn.Block;
import io.tsam.exporter.onnx.OnnxRef;
import java.util.List;

/**
 * A {@link BlockLowering} of a block with one input and one output, as every layer of the backbone
 * is.
 *
 * @param <B> the block type
 */
@FunctionalInterface
public interface UnaryLowering<B extends Block> extends BlockLowering<B> {

    /**
     * Writes {@code block} into the context's graph.
     *
     * @param block the block, initialised
     * @param input its input
     * @param context where to write, at the block's path
     * @return its output
     */
    OnnxRef lower(B block, OnnxRef input, LoweringContext context);

    @Override
    default List<OnnxRef> lower(B block, List<OnnxRef> inputs, LoweringContext context) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(
                    "block "
                            + context.path()
                            + " ("
                            + block.getClass().getSimpleName()
                            + ") takes one input, got "
                            + inputs);
        }
        return List.of(lower(block, inputs.get(0), context));
    }
}
