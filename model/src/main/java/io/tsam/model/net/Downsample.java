package io.tsam.model.net;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The projection shortcut of a residual block: a strided 1x1 conv then BatchNorm, named {@code 0}
 * and {@code 1} as in torchvision's {@code nn.Sequential}.
 *
 * <p>Input {@code [N * S, C, H, W]}, output {@code [N * S, outChannels, H / stride, W / stride]}
 * (rounded up).
 */
public final class Downsample extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Conv2d conv;
    private final BatchNorm batchNorm;

    Downsample(int outChannels, int stride) {
        super(VERSION);
        conv = addChildBlock("0", TorchLayers.conv1x1(outChannels, stride));
        batchNorm = addChildBlock("1", TorchLayers.batchNorm());
    }

    /** The 1x1 conv, {@code downsample.0}. */
    public Conv2d conv() {
        return conv;
    }

    /** The BatchNorm, {@code downsample.1}. */
    public BatchNorm batchNorm() {
        return batchNorm;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList out = conv.forward(parameterStore, inputs, training, params);
        return batchNorm.forward(parameterStore, out, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        batchNorm.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }
}
