package io.tsam.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tsam.model.shift.ShiftTable;
import io.tsam.model.shift.TemporalShift;

/**
 * A residual branch's first conv with TSM's temporal shift applied to its input (Lin, Gan and Han,
 * "TSM: Temporal Shift Module for Efficient Video Understanding", ICCV 2019, "residual shift").
 *
 * <p>Input and output are {@code [N * (T + A), C, H, W]}, each sample's {@code T} video images
 * followed by its {@code A} audio images; only the video images are shifted. The conv is the child
 * {@code net}, so its weight is {@code ...conv1.net.weight} as in TSM's {@code TemporalShift}
 * wrapper.
 */
public final class ShiftedConv extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Conv2d conv;
    private final ShiftTable table;
    private final int audioSegments;

    /**
     * Wraps {@code conv}.
     *
     * @param conv the conv, whose input has {@code table.channels()} channels
     * @param table the shift table for {@code T} video segments and the conv's input channels
     * @param audioSegments {@code A}, 0 or 1
     */
    ShiftedConv(Conv2d conv, ShiftTable table, int audioSegments) {
        super(VERSION);
        if (audioSegments < 0 || audioSegments > 1) {
            throw new IllegalArgumentException(
                    "model.audio_segments must be 0 or 1, got " + audioSegments);
        }
        this.conv = addChildBlock("net", conv);
        this.table = table;
        this.audioSegments = audioSegments;
    }

    /** The wrapped conv. */
    public Conv2d conv() {
        return conv;
    }

    /** The shift table: {@code T} video segments, {@code C} = the conv's input channels. */
    public ShiftTable table() {
        return table;
    }

    /** The number of audio images per sample that pass unshifted, 0 or 1. */
    public int audioSegments() {
        return audioSegments;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray shifted = TemporalShift.shift(inputs.singletonOrThrow(), table, audioSegments);
        return conv.forward(parameterStore, new NDList(shifted), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
    }
}
