package io.tsam.exporter.onnx.lowering;

import static io.tsam.exporter.onnx.OnnxAttributes.integer;

import io.tsam.exporter.onnx.OnnxOp;
import io.tsam.exporter.onnx.OnnxRef;
import io.tsam.model.net.ShiftedConv;
import io.tsam.model.shift.ShiftTable;
import java.util.List;

/**
 * The temporal shift of a {@link ShiftedConv} as one gather with constant indices, then the wrapped
 * conv: {@code Reshape -> Pad -> Gather -> Reshape}, nothing else (SPEC §5); without the {@code
 * Pad} when the table never reads past the clip (style {@code tsam}).
 *
 * <p>For activations {@code [N * S, C, h, w]} with {@code S = T + A}: reshape to {@code [N, S * C,
 * h, w]} (time and channel flattened, as the table's {@code [T][C]} rows are), pad {@code C} zero
 * channels at the end (one zero frame), {@code Gather(axis=1)} with constant int64 indices and
 * reshape back. Every reshape copies {@code h, w} with 0 and infers {@code N} with -1, so the batch
 * stays symbolic. Initialiser: {@code <path>.shift_indices}.
 *
 * <p>The indices are the model's own {@link ShiftTable#flatIndices()}, the ones the DJL forward
 * pass gathers with. That pass lays the padded axis out as {@code [video, zero frame]} after
 * splitting off the audio image; here the audio image stays in place, so the axis is {@code [video,
 * audio, zero frame]}: reads of the zero frame (flat index {@code >= T * C}) move {@code A * C}
 * further, and {@code A * C} identity indices read the audio image back unchanged. The gather thus
 * reads exactly the elements the DJL gather reads, without splitting and concatenating the
 * activations (two full copies fewer per shifted block).
 */
final class ShiftedConvLowering implements UnaryLowering<ShiftedConv> {

    @Override
    public OnnxRef lower(ShiftedConv block, OnnxRef input, LoweringContext context) {
        ShiftTable table = block.table();
        long channels = table.channels();
        long[] indices = gatherIndices(table, block.audioSegments());
        OnnxRef grouped = reshape(context, input, -1, indices.length, 0, 0);
        OnnxRef padded = grouped;
        if (table.readsPadding()) {
            long[] pads = {0, 0, 0, 0, 0, channels, 0, 0};
            padded =
                    context.node(
                            OnnxOp.PAD,
                            List.of(grouped, context.longTensor("pads", pads, pads.length)));
        }
        OnnxRef shifted =
                context.node(
                        OnnxOp.GATHER,
                        List.of(
                                padded,
                                context.longTensor("shift_indices", indices, indices.length)),
                        integer("axis", 1));
        OnnxRef images = reshape(context, shifted, -1, channels, 0, 0);
        return context.lowerChild(block, block.conv(), images);
    }

    /**
     * The gather indices over the padded axis {@code [video (T * C), audio (A * C), zeros (C)]}:
     * the table's flat indices with the zero frame moved past the audio, then the audio in place.
     */
    static long[] gatherIndices(ShiftTable table, int audioSegments) {
        long videoChannels = (long) table.segments() * table.channels();
        long audioChannels = (long) audioSegments * table.channels();
        long[] video = table.flatIndices();
        long[] indices = new long[Math.toIntExact(videoChannels + audioChannels)];
        for (int i = 0; i < video.length; i++) {
            indices[i] = video[i] >= videoChannels ? video[i] + audioChannels : video[i];
        }
        for (int i = 0; i < audioChannels; i++) {
            indices[video.length + i] = videoChannels + i;
        }
        return indices;
    }

    private static OnnxRef reshape(LoweringContext context, OnnxRef input, long... shape) {
        return context.node(
                OnnxOp.RESHAPE, List.of(input, context.longTensor("shape", shape, shape.length)));
    }
}
