package io.tsam.exporter.onnx.lowering;

import static io.tsam.exporter.onnx.OnnxAttributes.integer;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.tsam.exporter.onnx.OnnxOp;
import io.tsam.exporter.onnx.OnnxRef;
import java.util.List;

/**
 * A fully connected layer {@code [B, F] -> [B, units]} as {@code Gemm(x, W, b, transB=1)}, the
 * weight kept in its {@code [units, F]} layout. Initialisers: {@code <path>.weight}, {@code
 * <path>.bias}.
 */
final class LinearLowering implements UnaryLowering<Linear> {

    @Override
    public OnnxRef lower(Linear linear, OnnxRef input, LoweringContext context) {
        Shape shape = BlockParameters.array(linear, "weight", context).getShape();
        OnnxRef weight =
                context.floatTensor(
                        "weight",
                        BlockParameters.floats(linear, "weight", context),
                        shape.getShape());
        OnnxRef bias =
                context.floatTensor(
                        "bias", BlockParameters.floats(linear, "bias", context), shape.get(0));
        return context.node(OnnxOp.GEMM, List.of(input, weight, bias), integer("transB", 1));
    }
}
