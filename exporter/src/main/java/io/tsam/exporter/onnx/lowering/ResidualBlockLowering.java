package io.tsam.exporter.onnx.lowering;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import io.tsam.exporter.onnx.OnnxOp;
import io.tsam.exporter.onnx.OnnxRef;
import io.tsam.model.net.Downsample;
import io.tsam.model.net.ResidualBlock;
import java.util.List;

/**
 * A residual block ({@code BasicBlock} or {@code Bottleneck}): {@code relu(branch(x) +
 * shortcut(x))}, each branch conv with its BatchNorm folded in and a {@code Relu} between them; the
 * first conv is the {@code ShiftedConv} in a shifted block, and the shortcut reads the unshifted
 * input.
 */
final class ResidualBlockLowering implements UnaryLowering<ResidualBlock> {

    @Override
    public OnnxRef lower(ResidualBlock block, OnnxRef input, LoweringContext context) {
        List<Conv2d> convs = block.convs();
        OnnxRef branch = input;
        for (int i = 0; i < convs.size(); i++) {
            Block conv =
                    i == 0 && block.shiftedConv().isPresent()
                            ? block.shiftedConv().get()
                            : convs.get(i);
            branch = context.lowerChildFolding(block, conv, block.batchNorms().get(i), branch);
            if (i < convs.size() - 1) {
                branch = context.node(OnnxOp.RELU, List.of(branch));
            }
        }
        OnnxRef shortcut = input;
        if (block.downsample().isPresent()) {
            Downsample downsample = block.downsample().get();
            shortcut = context.lowerChild(block, downsample, input);
        }
        OnnxRef sum = context.node(OnnxOp.ADD, List.of(branch, shortcut));
        return context.node(OnnxOp.RELU, List.of(sum));
    }
}
