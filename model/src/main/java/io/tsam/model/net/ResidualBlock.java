package io.tsam.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tsam.model.shift.ShiftTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A ResNet residual block: {@code relu(branch(x) + shortcut(x))}, where the branch is a chain of
 * conv and BatchNorm pairs with ReLUs between them, and the shortcut is the identity or a {@link
 * Downsample} projection.
 *
 * <p>Input {@code [N * S, inChannels, H, W]}, output {@code [N * S, outChannels, H / stride, W /
 * stride]} (rounded up). In a shifted block the branch's first conv is a {@link ShiftedConv}; the
 * shortcut reads the unshifted input. Children are named and ordered as torchvision's modules:
 * {@code conv1}, {@code bn1}, {@code conv2}, {@code bn2}, ..., {@code downsample}.
 */
public abstract class ResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inChannels;
    private final int outChannels;
    private final int stride;
    private final List<Conv2d> convs;
    private final List<Block> branchConvs = new ArrayList<>();
    private final List<BatchNorm> batchNorms = new ArrayList<>();
    private final ShiftedConv shiftedConv;
    private final Downsample downsample;

    /**
     * Builds the block from its branch convs.
     *
     * @param inChannels the input channels
     * @param outChannels the output channels of the last conv
     * @param stride the block's stride, carried by one of the convs
     * @param convs the branch convs in order, each followed by its own BatchNorm
     * @param shift the shift table of the first conv's input, if this block shifts
     * @param audioSegments {@code A}, 0 or 1, the unshifted images per sample
     */
    ResidualBlock(
            int inChannels,
            int outChannels,
            int stride,
            List<Conv2d> convs,
            Optional<ShiftTable> shift,
            int audioSegments) {
        super(VERSION);
        if (shift.isPresent() && shift.get().channels() != inChannels) {
            throw new IllegalArgumentException(
                    "the shift table of a block with "
                            + inChannels
                            + " input channels must have as many channels, got "
                            + shift.get().channels());
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.stride = stride;
        this.convs = List.copyOf(convs);
        this.shiftedConv =
                shift.map(table -> new ShiftedConv(convs.get(0), table, audioSegments))
                        .orElse(null);
        for (int i = 0; i < convs.size(); i++) {
            Block conv = i == 0 && shiftedConv != null ? shiftedConv : convs.get(i);
            branchConvs.add(addChildBlock("conv" + (i + 1), conv));
            batchNorms.add(addChildBlock("bn" + (i + 1), TorchLayers.batchNorm()));
        }
        // torchvision projects the shortcut exactly when the block changes the shape.
        this.downsample =
                stride != 1 || inChannels != outChannels
                        ? addChildBlock("downsample", new Downsample(outChannels, stride))
                        : null;
    }

    /** The input channels. */
    public int inChannels() {
        return inChannels;
    }

    /** The output channels. */
    public int outChannels() {
        return outChannels;
    }

    /** The spatial stride of the block. */
    public int stride() {
        return stride;
    }

    /** The branch convs {@code conv1, conv2, ...} in order; a shifted conv is listed unwrapped. */
    public List<Conv2d> convs() {
        return convs;
    }

    /** The branch BatchNorms {@code bn1, bn2, ...}, one after each of {@link #convs()}. */
    public List<BatchNorm> batchNorms() {
        return List.copyOf(batchNorms);
    }

    /** The shifted first conv, present iff this block shifts. */
    public Optional<ShiftedConv> shiftedConv() {
        return Optional.ofNullable(shiftedConv);
    }

    /** The shift table of the first conv's input, present iff this block shifts. */
    public Optional<ShiftTable> shiftTable() {
        return shiftedConv().map(ShiftedConv::table);
    }

    /** The projection shortcut, present iff the block changes the channels or the resolution. */
    public Optional<Downsample> downsample() {
        return Optional.ofNullable(downsample);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList out = inputs;
        int last = branchConvs.size() - 1;
        for (int i = 0; i <= last; i++) {
            out = branchConvs.get(i).forward(parameterStore, out, training, params);
            out = batchNorms.get(i).forward(parameterStore, out, training, params);
            if (i < last) {
                out = new NDList(Activation.relu(out.singletonOrThrow()));
            }
        }
        NDArray shortcut =
                downsample == null
                        ? x
                        : downsample.forward(parameterStore, inputs, training, params).head();
        return new NDList(Activation.relu(out.singletonOrThrow().add(shortcut)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block conv : branchConvs) {
            shapes = conv.getOutputShapes(shapes);
        }
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (int i = 0; i < branchConvs.size(); i++) {
            branchConvs.get(i).initialize(manager, dataType, shapes);
            shapes = branchConvs.get(i).getOutputShapes(shapes);
            batchNorms.get(i).initialize(manager, dataType, shapes);
        }
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }
}
