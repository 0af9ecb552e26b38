package io.tsam.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tsam.config.ModelConfig;
import io.tsam.config.ShiftConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ResNet v1.5 backbone of torchvision without its classifier: {@code conv1} 7x7/2, {@code bn1},
 * ReLU, max-pool 3x3/2, {@code layer1} to {@code layer4}, global average pool.
 *
 * <p>Input {@code [N * S, 3, H, W]}, output the pooled features {@code [N * S, F]}. Child names are
 * torchvision's module names, so a parameter's path is its name under TSM's {@code base_model}.
 */
public final class ResNetBackbone extends AbstractBlock {

    /** The stem max-pool's window. */
    public static final int POOL_KERNEL = 3;

    /** The stem max-pool's stride. */
    public static final int POOL_STRIDE = 2;

    /** The stem max-pool's padding; padded cells never win the max. */
    public static final int POOL_PADDING = 1;

    private static final byte VERSION = 1;
    private static final int STEM_WIDTH = 64;

    private final ResNetDepth depth;
    private final Conv2d conv1;
    private final BatchNorm bn1;
    private final List<ResNetStage> stages = new ArrayList<>();

    /**
     * Builds the backbone named by {@code model.arch} with the shifts of {@code shift}.
     *
     * @param model the model config
     * @param shift the shift config
     * @throws IllegalArgumentException if {@code model.arch} names no supported depth
     */
    ResNetBackbone(ModelConfig model, ShiftConfig shift) {
        super(VERSION);
        depth = ResNetDepth.of(model.baseArch());
        conv1 = addChildBlock("conv1", TorchLayers.conv(STEM_WIDTH, 7, 2, 3));
        bn1 = addChildBlock("bn1", TorchLayers.batchNorm());
        int channels = STEM_WIDTH;
        for (int s = 0; s < depth.stages(); s++) {
            ResNetStage stage = new ResNetStage(depth, s, channels, model, shift);
            stages.add(addChildBlock("layer" + (s + 1), stage));
            channels = stage.outChannels();
        }
    }

    /** The depth. */
    public ResNetDepth depth() {
        return depth;
    }

    /** The stem conv. */
    public Conv2d conv1() {
        return conv1;
    }

    /** The stem BatchNorm. */
    public BatchNorm bn1() {
        return bn1;
    }

    /** The stages {@code layer1} to {@code layer4}. */
    public List<ResNetStage> stages() {
        return List.copyOf(stages);
    }

    /** The feature width {@code F}. */
    public int featureDim() {
        return depth.featureDim();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList out = conv1.forward(parameterStore, inputs, training, params);
        out = bn1.forward(parameterStore, out, training, params);
        NDArray pooled =
                Pool.maxPool2d(
                        Activation.relu(out.singletonOrThrow()),
                        new Shape(POOL_KERNEL, POOL_KERNEL),
                        new Shape(POOL_STRIDE, POOL_STRIDE),
                        new Shape(POOL_PADDING, POOL_PADDING),
                        false);
        out = new NDList(pooled);
        for (ResNetStage stage : stages) {
            out = stage.forward(parameterStore, out, training, params);
        }
        NDArray maps = out.singletonOrThrow();
        Shape shape = maps.getShape();
        // PyTorch's DJL mean reduces one axis at a time: average the flattened H * W.
        return new NDList(maps.reshape(shape.get(0), shape.get(1), -1).mean(new int[] {2}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (inputShapes.length != 1 || in.dimension() != 4 || in.get(1) != 3) {
            throw new IllegalArgumentException(
                    "the backbone takes one [images, 3, H, W] input, got "
                            + Arrays.toString(inputShapes));
        }
        return new Shape[] {new Shape(in.get(0), featureDim())};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] shapes = conv1.getOutputShapes(inputShapes);
        bn1.initialize(manager, dataType, shapes);
        Shape[] stageShapes = {poolShape(shapes[0])};
        for (ResNetStage stage : stages) {
            stage.initialize(manager, dataType, stageShapes);
            stageShapes = stage.getOutputShapes(stageShapes);
        }
    }

    /** The max-pool's output shape for a {@code [B, C, H, W]} input, floor mode as torch. */
    private static Shape poolShape(Shape in) {
        long h = (in.get(2) + 2 * POOL_PADDING - POOL_KERNEL) / POOL_STRIDE + 1;
        long w = (in.get(3) + 2 * POOL_PADDING - POOL_KERNEL) / POOL_STRIDE + 1;
        return new Shape(in.get(0), in.get(1), h, w);
    }
}
