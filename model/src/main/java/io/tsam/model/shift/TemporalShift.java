package io.tsam.model.shift;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.tsam.config.ShiftStyle;

/**
 * The temporal shift of TSM (Lin, Gan and Han, "TSM: Temporal Shift Module for Efficient Video
 * Understanding", ICCV 2019) with the shift depth and audio pass-through of TSAM, as one gather.
 *
 * <p>This class is the single owner of the shift's index table: the DJL forward pass here and the
 * exporter's ONNX {@code Gather} both use {@link #table}, so the two cannot drift apart.
 *
 * <p>Semantics (SPEC section 1), for video activations viewed as {@code [N, T, C, H, W]} with
 * {@code k = shift_depth}, in two {@link ShiftStyle styles}:
 *
 * <ul>
 *   <li>{@code tsam} (TSAM's {@code TempoModalShift.shift_temporal}): with {@code f = (C / f_div) /
 *       k}, distance {@code d = 1..k} owns channels {@code [(2d-2)f, 2d f)}: the first {@code f}
 *       read {@code x[t + d]}, the next {@code f} read {@code x[t - d]}; a read outside {@code [0,
 *       T)} is not made and the frame keeps {@code x[t]}. Channels from {@code 2k f} on pass.
 *   <li>{@code tsm} (TSM's {@code TemporalShift.shift}): with {@code fold = C / f_div}, channels
 *       {@code [0, fold)} read the future, {@code [fold, 2 fold)} the past; each range is cut into
 *       {@code k} groups of {@code fold / k}, the last taking the remainder, group {@code g} using
 *       {@code d = g + 1}. Reads outside {@code [0, T)} give zeros.
 * </ul>
 */
public final class TemporalShift {

    private TemporalShift() {}

    /**
     * Returns the source time of every output entry, row-major {@code [T][C]}.
     *
     * <p>Entry {@code t * C + c} is the time index in {@code [0, T]} that output frame {@code t},
     * channel {@code c} reads from the time axis padded with one zero frame at index {@code T}. The
     * {@code tsam} style never reads the zero frame.
     *
     * @param style the channel layout and edge rule
     * @param segments the number of video segments {@code T}, at least 1
     * @param channels the number of channels {@code C}, at least 1
     * @param foldDiv {@code shift_temporal.f_div}, at least 2
     * @param depth {@code shift_temporal.shift_depth} {@code k}, at least 1
     * @return {@code T * C} indices in {@code [0, T]}
     * @throws IllegalArgumentException if a parameter is out of range or shifts no channel; the
     *     message names the field
     */
    public static int[] gatherIndices(
            ShiftStyle style, int segments, int channels, int foldDiv, int depth) {
        if (segments < 1) {
            throw new IllegalArgumentException(
                    "model.video_segments must be >= 1 for a temporal shift, got " + segments);
        }
        if (channels < 1) {
            throw new IllegalArgumentException(
                    "a temporal shift needs at least 1 channel, got " + channels);
        }
        if (depth < 1) {
            throw new IllegalArgumentException(
                    "shift_temporal.shift_depth must be >= 1, got " + depth);
        }
        // f_div >= 2 is exactly what keeps both shifted ranges inside C: 2 * (C / f_div) <= C.
        if (foldDiv < 2) {
            throw new IllegalArgumentException("shift_temporal.f_div must be >= 2, got " + foldDiv);
        }
        int fold = channels / foldDiv;
        int group = fold / depth;
        int shifted = style == ShiftStyle.TSAM ? group : fold;
        if (shifted < 1) {
            throw new IllegalArgumentException(
                    "shift_temporal: a conv with "
                            + channels
                            + " input channels shifts no channel with f_div "
                            + foldDiv
                            + (style == ShiftStyle.TSAM ? " and shift_depth " + depth : "")
                            + " (style "
                            + style.jsonName()
                            + " needs "
                            + (style == ShiftStyle.TSAM
                                    ? "(C / f_div) / shift_depth >= 1"
                                    : "C / f_div >= 1")
                            + "); lower f_div"
                            + (style == ShiftStyle.TSAM ? " or shift_depth" : ""));
        }
        int[] indices = new int[segments * channels];
        for (int t = 0; t < segments; t++) {
            for (int c = 0; c < channels; c++) {
                int offset =
                        style == ShiftStyle.TSAM
                                ? tsamOffset(c, group, depth)
                                : tsmOffset(c, fold, depth);
                int source = t + offset;
                if (source < 0 || source >= segments) {
                    source = style == ShiftStyle.TSAM ? t : segments;
                }
                indices[t * channels + c] = source;
            }
        }
        return indices;
    }

    /**
     * Returns the shift table for {@code segments} video segments and {@code channels} channels.
     *
     * @param style the channel layout and edge rule
     * @param segments the number of video segments {@code T}, at least 1
     * @param channels the number of channels {@code C}, at least 1
     * @param foldDiv {@code shift_temporal.f_div}
     * @param depth {@code shift_temporal.shift_depth}
     * @return the table of {@link #gatherIndices}
     * @throws IllegalArgumentException if a parameter is out of range; the message names the field
     */
    public static ShiftTable table(
            ShiftStyle style, int segments, int channels, int foldDiv, int depth) {
        return new ShiftTable(
                segments, channels, gatherIndices(style, segments, channels, foldDiv, depth));
    }

    /**
     * Shifts the video images of a batch along time; audio images pass unchanged.
     *
     * <p>{@code x} is {@code [N * (T + A), C, H, W]}, each sample laid out as its {@code T} video
     * images followed by its {@code A} audio images. The video part is padded with one zero frame
     * (only when the table reads it) and read with a single gather along the flattened {@code [(T +
     * 1) * C]} axis using {@link ShiftTable#flatIndices()}, so gradients flow back as a scatter-add
     * and no video segment ever reads an audio image.
     *
     * @param x the activations, {@code [N * (T + A), C, H, W]}
     * @param table the shift table for {@code T} segments and {@code C} channels
     * @param audioSegments {@code A}, 0 or 1
     * @return the shifted activations, same shape, data type and device as {@code x}
     * @throws IllegalArgumentException if the shape of {@code x} does not fit {@code table}
     */
    public static NDArray shift(NDArray x, ShiftTable table, int audioSegments) {
        if (audioSegments < 0 || audioSegments > 1) {
            throw new IllegalArgumentException(
                    "model.audio_segments must be 0 or 1, got " + audioSegments);
        }
        Shape shape = x.getShape();
        int segments = table.segments();
        int channels = table.channels();
        int images = segments + audioSegments;
        if (shape.dimension() != 4
                || shape.get(1) != channels
                || shape.get(0) % images != 0
                || shape.get(0) == 0) {
            throw new IllegalArgumentException(
                    "temporal shift input must be [N * "
                            + images
                            + ", "
                            + channels
                            + ", H, W], got "
                            + shape);
        }
        long batch = shape.get(0) / images;
        long pixels = shape.get(2) * shape.get(3);
        NDManager manager = x.getManager();
        NDArray grouped = x.reshape(batch, images, channels, pixels);
        NDArray video = audioSegments == 0 ? grouped : grouped.get(new NDIndex(":, :" + segments));
        // Without reads past the clip (style tsam) the flat indices fit the unpadded axis.
        long frames = table.readsPadding() ? segments + 1 : segments;
        NDArray source =
                table.readsPadding()
                        ? video.concat(
                                manager.zeros(
                                        new Shape(batch, 1, channels, pixels),
                                        x.getDataType(),
                                        x.getDevice()),
                                1)
                        : video;
        NDArray padded = source.reshape(batch, frames * channels, pixels);
        NDArray index = manager.create(table.flatIndices()).toDevice(x.getDevice(), false);
        NDArray shifted =
                padded.get(new NDIndex(":, {}", index)).reshape(batch, segments, channels, pixels);
        if (audioSegments == 1) {
            shifted = shifted.concat(grouped.get(new NDIndex(":, " + segments + ":")), 1);
        }
        return shifted.reshape(shape);
    }

    /** The time offset channel {@code c} reads in TSAM's interleaved layout. */
    private static int tsamOffset(int c, int group, int depth) {
        int distanceIndex = c / (2 * group);
        if (distanceIndex >= depth) {
            return 0;
        }
        return c % (2 * group) < group ? distanceIndex + 1 : -(distanceIndex + 1);
    }

    /** The time offset channel {@code c} reads in TSM's future-fold-then-past-fold layout. */
    private static int tsmOffset(int c, int fold, int depth) {
        if (c < fold) {
            return tsmDistance(c, fold, depth);
        }
        if (c < 2 * fold) {
            return -tsmDistance(c - fold, fold, depth);
        }
        return 0;
    }

    /**
     * Returns the shift distance of offset {@code i} within a TSM fold of {@code fold} channels.
     */
    private static int tsmDistance(int i, int fold, int depth) {
        int groupSize = fold / depth;
        // With fold < k the first k - 1 groups are empty and the last one holds the whole range.
        int group = groupSize == 0 ? depth - 1 : Math.min(i / groupSize, depth - 1);
        return group + 1;
    }
}
