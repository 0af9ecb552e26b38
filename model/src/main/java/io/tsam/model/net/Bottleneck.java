package io.tsam.model.net;

import io.tsam.model.shift.ShiftTable;
import java.util.List;
import java.util.Optional;

/**
 * The bottleneck block of ResNet-50/101 in the v1.5 layout: {@code conv1} 1x1, {@code conv2} 3x3
 * carrying the block's stride (torchvision's choice, where the original paper strides the first
 * 1x1), {@code conv3} 1x1 to {@code 4 * planes}, each followed by BatchNorm.
 */
public final class Bottleneck extends ResidualBlock {

    /** Output width over inner width. */
    public static final int EXPANSION = 4;

    /**
     * Builds the block.
     *
     * @param inChannels the input channels
     * @param planes the inner width; the output has {@code 4 * planes} channels
     * @param stride the stride of {@code conv2}
     * @param shift the shift table for {@code inChannels} channels, if this block shifts
     * @param audioSegments {@code A}, 0 or 1
     */
    Bottleneck(
            int inChannels, int planes, int stride, Optional<ShiftTable> shift, int audioSegments) {
        super(
                inChannels,
                planes * EXPANSION,
                stride,
                List.of(
                        TorchLayers.conv1x1(planes, 1),
                        TorchLayers.conv3x3(planes, stride),
                        TorchLayers.conv1x1(planes * EXPANSION, 1)),
                shift,
                audioSegments);
    }
}
