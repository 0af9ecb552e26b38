package io.tsam.model.net;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The ResNet depths of torchvision's {@code resnet.py} (He et al., "Deep Residual Learning for
 * Image Recognition", CVPR 2016): block type and blocks per stage.
 */
public enum ResNetDepth {
    RESNET18("resnet18", false, 2, 2, 2, 2),
    RESNET34("resnet34", false, 3, 4, 6, 3),
    RESNET50("resnet50", true, 3, 4, 6, 3),
    RESNET101("resnet101", true, 3, 4, 23, 3);

    /** Output channels of the first stage's blocks before expansion; each stage doubles it. */
    static final int BASE_PLANES = 64;

    private final String archName;
    private final boolean bottleneck;
    private final int[] blocksPerStage;

    ResNetDepth(String archName, boolean bottleneck, int... blocksPerStage) {
        this.archName = archName;
        this.bottleneck = bottleneck;
        this.blocksPerStage = blocksPerStage;
    }

    /**
     * Returns the depth named by {@code model.arch} without its {@code _timm} suffix.
     *
     * @param baseArch {@code resnet18}, {@code resnet34}, {@code resnet50} or {@code resnet101}, as
     *     {@code ModelConfig.baseArch()} returns it
     * @return the depth
     * @throws IllegalArgumentException if {@code baseArch} names no depth; the message lists them
     */
    public static ResNetDepth of(String baseArch) {
        for (ResNetDepth depth : values()) {
            if (depth.archName.equals(baseArch)) {
                return depth;
            }
        }
        throw new IllegalArgumentException(
                "model.arch '"
                        + baseArch
                        + "' is not a supported backbone; expected one of "
                        + Arrays.stream(values())
                                .map(ResNetDepth::archName)
                                .collect(Collectors.joining(", ")));
    }

    /** The architecture name, e.g. {@code resnet50}. */
    public String archName() {
        return archName;
    }

    /** Whether the blocks are {@link Bottleneck}s (ResNet-50/101), not {@link BasicBlock}s. */
    public boolean isBottleneck() {
        return bottleneck;
    }

    /** How much wider a block's output is than its inner width: 4 for bottlenecks, else 1. */
    public int expansion() {
        return bottleneck ? Bottleneck.EXPANSION : BasicBlock.EXPANSION;
    }

    /** The number of stages, {@code layer1} to {@code layer4}. */
    public int stages() {
        return blocksPerStage.length;
    }

    /**
     * Returns the number of residual blocks in a stage.
     *
     * @param stage the 0-based stage, {@code 0} for {@code layer1}
     * @return the block count
     */
    public int blocks(int stage) {
        return blocksPerStage[stage];
    }

    /**
     * Returns the inner width of a stage's blocks: 64, 128, 256, 512.
     *
     * @param stage the 0-based stage
     * @return the inner width ({@code planes} in torchvision)
     */
    public int planes(int stage) {
        return BASE_PLANES << stage;
    }

    /** The width {@code F} of the pooled features: 512 for ResNet-18/34, 2048 for ResNet-50/101. */
    public int featureDim() {
        return planes(stages() - 1) * expansion();
    }
}
