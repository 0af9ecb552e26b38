package io.tsam.exporter.onnx.lowering;

import static io.tsam.exporter.onnx.OnnxAttributes.integer;
import static io.tsam.exporter.onnx.OnnxAttributes.ints;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import io.tsam.exporter.onnx.OnnxOp;
import io.tsam.exporter.onnx.OnnxRef;
import io.tsam.model.net.TorchLayers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A 2D convolution {@code [B, C, H, W] -> [B, filters, H', W']} as one {@code Conv} node; when the
 * context carries a BatchNorm, its inference-mode affine map is folded into the weight and bias
 * ({@link BatchNormFolding}) so the node also computes the BatchNorm. Initialisers: {@code
 * <path>.weight} and, when there is a bias or a folded BatchNorm, {@code <path>.bias}.
 */
final class Conv2dLowering implements UnaryLowering<Conv2d> {

    @Override
    public OnnxRef lower(Conv2d conv, OnnxRef input, LoweringContext context) {
        Shape shape = BlockParameters.array(conv, "weight", context).getShape();
        int filters = Math.toIntExact(shape.get(0));
        float[] weight = BlockParameters.floats(conv, "weight", context);
        float[] bias = conv.isIncludeBias() ? BlockParameters.floats(conv, "bias", context) : null;
        Optional<BatchNorm> batchNorm = context.takeBatchNorm();
        if (batchNorm.isPresent()) {
            BatchNorm bn = batchNorm.get();
            // Every BatchNorm of the net is TorchLayers.batchNorm(), built with this epsilon.
            BatchNormFolding.Folded folded =
                    BatchNormFolding.fold(
                            weight,
                            bias == null ? new float[filters] : bias,
                            BlockParameters.floats(bn, "gamma", context),
                            BlockParameters.floats(bn, "beta", context),
                            BlockParameters.floats(bn, "runningMean", context),
                            BlockParameters.floats(bn, "runningVar", context),
                            TorchLayers.BN_EPSILON);
            weight = folded.weight();
            bias = folded.bias();
        }
        List<OnnxRef> inputs = new ArrayList<>();
        inputs.add(input);
        inputs.add(context.floatTensor("weight", weight, shape.getShape()));
        if (bias != null) {
            inputs.add(context.floatTensor("bias", bias, filters));
        }
        Shape padding = conv.getPadding();
        return context.node(
                OnnxOp.CONV,
                inputs,
                ints("kernel_shape", conv.getKernelShape().getShape()),
                ints("strides", conv.getStride().getShape()),
                ints("pads", padding.get(0), padding.get(1), padding.get(0), padding.get(1)),
                ints("dilations", conv.getDilation().getShape()),
                integer("group", conv.getGroups()));
    }
}
