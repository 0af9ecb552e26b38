package io.tsam.exporter.onnx.lowering;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

/** Reads a block's parameter values for a lowering, naming the block's path when it cannot. */
final class BlockParameters {

    private BlockParameters() {}

    /**
     * Returns the live array of a block's own parameter (owned by the block: do not close it).
     *
     * @throws IllegalArgumentException if the block has no such parameter or it is not initialised
     */
    static NDArray array(Block block, String name, LoweringContext context) {
        Parameter parameter = block.getParameters().get(name);
        if (parameter == null || !parameter.isInitialized()) {
            throw new IllegalArgumentException(
                    "block "
                            + context.path()
                            + " ("
                            + block.getClass().getSimpleName()
                            + ") has no initialised parameter "
                            + name
                            + "; initialise the net and load its weights before exporting");
        }
        return parameter.getArray();
    }

    /** Returns a parameter's values as float32, row-major. */
    static float[] floats(Block block, String name, LoweringContext context) {
        return array(block, name, context).toFloatArray();
    }
}
