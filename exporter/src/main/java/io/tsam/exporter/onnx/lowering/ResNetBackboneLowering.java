package io.tsam.exporter.onnx.lowering;

import static io.tsam.exporter.onnx.OnnxAttributes.integer;
import static io.tsam.exporter.onnx.OnnxAttributes.ints;

import io.tsam.exporter.onnx.OnnxOp;
import io.tsam.exporter.onnx.OnnxRef;
import io.tsam.model.net.ResNetBackbone;
import io.tsam.model.net.ResNetStage;
import java.util.List;

/**
 * The backbone {@code [B, 3, H, W] -> [B, F]}: the stem ({@code conv1} with {@code bn1} folded in,
 * {@code Relu}, {@code MaxPool} 3x3/2 with padding 1, floor mode as torch), the stages, then {@code
 * GlobalAveragePool} and {@code Flatten}.
 */
final class ResNetBackboneLowering implements UnaryLowering<ResNetBackbone> {

    @Override
    public OnnxRef lower(ResNetBackbone backbone, OnnxRef input, LoweringContext context) {
        OnnxRef x = context.lowerChildFolding(backbone, backbone.conv1(), backbone.bn1(), input);
        x = context.node(OnnxOp.RELU, List.of(x));
        long kernel = ResNetBackbone.POOL_KERNEL;
        long stride = ResNetBackbone.POOL_STRIDE;
        long pad = ResNetBackbone.POOL_PADDING;
        x =
                context.node(
                        OnnxOp.MAX_POOL,
                        List.of(x),
                        ints("kernel_shape", kernel, kernel),
                        ints("strides", stride, stride),
                        ints("pads", pad, pad, pad, pad),
                        integer("ceil_mode", 0));
        for (ResNetStage stage : backbone.stages()) {
            x = context.lowerChild(backbone, stage, x);
        }
        x = context.node(OnnxOp.GLOBAL_AVERAGE_POOL, List.of(x));
        return context.node(OnnxOp.FLATTEN, List.of(x), integer("axis", 1));
    }
}
