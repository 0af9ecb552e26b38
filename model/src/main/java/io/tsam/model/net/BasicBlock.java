package io.tsam.model.net;

import io.tsam.model.shift.ShiftTable;
import java.util.List;
import java.util.Optional;

/**
 * The basic residual block of ResNet-18/34: {@code conv1} 3x3 with the block's stride, {@code
 * conv2} 3x3, each followed by BatchNorm, output width {@code planes}.
 */
public final class BasicBlock extends ResidualBlock {

    /** Output width over inner width. */
    public static final int EXPANSION = 1;

    /**
     * Builds the block.
     *
     * @param inChannels the input channels
     * @param planes the inner and output width
     * @param stride the stride of {@code conv1}
     * @param shift the shift table for {@code inChannels} channels, if this block shifts
     * @param audioSegments {@code A}, 0 or 1
     */
    BasicBlock(
            int inChannels, int planes, int stride, Optional<ShiftTable> shift, int audioSegments) {
        super(
                inChannels,
                planes * EXPANSION,
                stride,
                List.of(TorchLayers.conv3x3(planes, stride), TorchLayers.conv3x3(planes, 1)),
                shift,
                audioSegments);
    }
}
