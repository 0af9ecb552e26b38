package io.tsam.exporter.onnx.lowering;

import io.tsam.exporter.onnx.OnnxRef;
import io.tsam.model.net.Downsample;

/** A projection shortcut: its strided 1x1 conv with its BatchNorm folded in, one {@code Conv}. */
final class DownsampleLowering implements UnaryLowering<Downsample> {

    @Override
    public OnnxRef lower(Downsample block, OnnxRef input, LoweringContext context) {
        return context.lowerChildFolding(block, block.conv(), block.batchNorm(), input);
    }
}
