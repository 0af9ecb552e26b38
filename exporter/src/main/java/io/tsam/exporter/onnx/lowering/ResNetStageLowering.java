package io.tsam.exporter.onnx.lowering;

import io.tsam.exporter.onnx.OnnxRef;
import io.tsam.model.net.ResNetStage;
import io.tsam.model.net.ResidualBlock;

/** A stage {@code layerK}: its residual blocks in order. */
final class ResNetStageLowering implements UnaryLowering<ResNetStage> {

    @Override
    public OnnxRef lower(ResNetStage stage, OnnxRef input, LoweringContext context) {
        OnnxRef x = input;
        for (ResidualBlock block : stage.blocks()) {
            x = context.lowerChild(stage, block, x);
        }
        return x;
    }
}
