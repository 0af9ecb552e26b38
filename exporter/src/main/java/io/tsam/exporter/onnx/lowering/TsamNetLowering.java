package io.tsam.exporter.onnx.lowering;

import static io.tsam.exporter.onnx.OnnxAttributes.integer;
import static io.tsam.exporter.onnx.OnnxAttributes.ints;

import io.tsam.config.ModelConfig;
import io.tsam.exporter.onnx.Dim;
import io.tsam.exporter.onnx.OnnxOp;
import io.tsam.exporter.onnx.OnnxRef;
import io.tsam.model.net.TsamNet;
import java.util.List;

/**
 * The whole net: {@code video [N, T, 3, H, W]} and, with audio, {@code audio [N, 3, H, W]} are
 * concatenated to {@code [N, S, 3, H, W]} and flattened to {@code [N * S, 3, H, W]} for one
 * backbone pass; the features {@code [N * S, F]} are viewed as {@code [N, S, F]}, averaged over
 * {@code S} ({@code ReduceMean}) and fed to the head. Dropout is the identity at inference and
 * writes nothing.
 *
 * <p>{@code H} and {@code W} are read from the video input's declared shape, which must fix them.
 */
final class TsamNetLowering implements BlockLowering<TsamNet> {

    private static final long RGB = 3;

    @Override
    public List<OnnxRef> lower(TsamNet net, List<OnnxRef> inputs, LoweringContext context) {
        ModelConfig model = net.model();
        int expected = model.hasAudio() ? 2 : 1;
        if (inputs.size() != expected) {
            throw new IllegalArgumentException(
                    "a TSAM net with model.audio_segments="
                            + model.audioSegments()
                            + " takes "
                            + expected
                            + " inputs, got "
                            + inputs);
        }
        OnnxRef video = inputs.get(0);
        List<Dim> dims = video.dims().orElse(List.of());
        if (dims.size() != 5 || !dims.get(3).isFixed() || !dims.get(4).isFixed()) {
            throw new IllegalArgumentException(
                    "the video input must be declared [N, T, 3, H, W] with fixed H and W, got "
                            + video);
        }
        OnnxRef images = video;
        if (model.hasAudio()) {
            OnnxRef audio =
                    context.node(
                            OnnxOp.UNSQUEEZE,
                            List.of(
                                    inputs.get(1),
                                    context.longTensor("audio_axis", new long[] {1}, 1)));
            images = context.node(OnnxOp.CONCAT, List.of(video, audio), integer("axis", 1));
        }
        long[] flat = {-1, RGB, dims.get(3).value(), dims.get(4).value()};
        OnnxRef batch =
                context.node(
                        OnnxOp.RESHAPE,
                        List.of(images, context.longTensor("images_shape", flat, flat.length)));
        OnnxRef features = context.lowerChild(net, net.backbone(), batch);
        long[] perSample = {-1, model.segments(), net.backbone().featureDim()};
        OnnxRef grouped =
                context.node(
                        OnnxOp.RESHAPE,
                        List.of(
                                features,
                                context.longTensor("features_shape", perSample, perSample.length)));
        OnnxRef pooled =
                context.node(
                        OnnxOp.REDUCE_MEAN,
                        List.of(grouped),
                        ints("axes", 1),
                        integer("keepdims", 0));
        return List.of(context.lowerChild(net, net.head(), pooled));
    }
}
