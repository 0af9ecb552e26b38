package io.tsam.model.net;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tsam.config.ModelConfig;
import io.tsam.config.ShiftConfig;
import io.tsam.model.shift.ShiftTable;
import io.tsam.model.shift.TemporalShift;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One stage of the backbone, torchvision's {@code layerK}: residual blocks named {@code 0}, {@code
 * 1}, ...; the first one carries the stage's stride.
 *
 * <p>Input {@code [N * S, inChannels, H, W]}, output {@code [N * S, planes * expansion, H / stride,
 * W / stride]} (rounded up). Block {@code i} shifts iff {@link ShiftConfig#shifts(int)}.
 */
public final class ResNetStage extends AbstractBlock {

    private static final byte VERSION = 1;

    private final List<ResidualBlock> blocks = new ArrayList<>();

    /**
     * Builds stage {@code stage} of {@code depth}.
     *
     * @param depth the backbone depth
     * @param stage the 0-based stage
     * @param inChannels the channels entering the stage
     * @param model the model config: video and audio segments
     * @param shift the shift config: which blocks shift and how
     */
    ResNetStage(
            ResNetDepth depth, int stage, int inChannels, ModelConfig model, ShiftConfig shift) {
        super(VERSION);
        int planes = depth.planes(stage);
        int width = planes * depth.expansion();
        int stride = stage == 0 ? 1 : 2;
        for (int i = 0; i < depth.blocks(stage); i++) {
            int blockIn = i == 0 ? inChannels : width;
            int blockStride = i == 0 ? stride : 1;
            Optional<ShiftTable> table =
                    shift.shifts(i)
                            ? Optional.of(
                                    TemporalShift.table(
                                            shift.style(),
                                            model.videoSegments(),
                                            blockIn,
                                            shift.fDiv(),
                                            shift.shiftDepth()))
                            : Optional.empty();
            ResidualBlock block =
                    depth.isBottleneck()
                            ? new Bottleneck(
                                    blockIn, planes, blockStride, table, model.audioSegments())
                            : new BasicBlock(
                                    blockIn, planes, blockStride, table, model.audioSegments());
            blocks.add(addChildBlock(Integer.toString(i), block));
        }
    }

    /** The residual blocks in order. */
    public List<ResidualBlock> blocks() {
        return List.copyOf(blocks);
    }

    /** The output channels. */
    public int outChannels() {
        return blocks.get(blocks.size() - 1).outChannels();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList out = inputs;
        for (ResidualBlock block : blocks) {
            out = block.forward(parameterStore, out, training, params);
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (ResidualBlock block : blocks) {
            shapes = block.getOutputShapes(shapes);
        }
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (ResidualBlock block : blocks) {
            block.initialize(manager, dataType, shapes);
            shapes = block.getOutputShapes(shapes);
        }
    }
}
