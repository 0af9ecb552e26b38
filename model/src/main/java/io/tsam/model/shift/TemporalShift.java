package io.tsam.model.shift;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The temporal shift of TSM (Lin, Gan and Han, "TSM: Temporal Shift Module for Efficient Video
 * Understanding", ICCV 2019) with the shift depth and audio pass-through of the TSAM technical
 * report, as one gather over a zero-padded time axis.
 *
 * <p>This class is the single owner of the shift's index table: the DJL forward pass here and the
 * exporter's ONNX {@code Gather} both use {@link #table}, so the two cannot drift apart.
 *
 * <p>Semantics (SPEC section 1), for video activations viewed as {@code [N, T, C, H, W]}: with
 * {@code fold = C / f_div}, channels {@code [0, fold)} read from the future ({@code out[t] = x[t +
 * d]}), channels {@code [fold, 2 * fold)} from the past ({@code out[t] = x[t - d]}); each range is
 * cut into {@code k} groups of {@code fold / k} channels, the last taking the remainder, and group
 * {@code g} uses {@code d = g + 1}. Reads outside {@code [0, T)} give zeros and channels {@code [2
 * * fold, C)} pass unchanged.
 */
public final class TemporalShift {

    private TemporalShift() {}

    /**
     * Returns the source time of every output entry, row-major {@code [T][C]}.
     *
     * <p>Entry {@code t * C + c} is the time index in {@code [0, T]} that output frame {@code t},
     * channel {@code c} reads from the time axis padded with one zero frame at index {@code T}.
     *
     * @param segments the number of video segments {@code T}, at least 1
     * @param channels the number of channels {@code C}, at least 1
     * @param foldDiv {@code shift_temporal.f_div}, at least 2
     * @param depth {@code shift_temporal.shift_depth} {@code k}, at least 1
     * @return {@code T * C} indices in {@code [0, T]}
     * @throws IllegalArgumentException if a parameter is out of range; the message names the field
     */
    public static int[] gatherIndices(int segments, int channels, int foldDiv, int depth) {
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
        int[] indices = new int[segments * channels];
        for (int t = 0; t < segments; t++) {
            for (int c = 0; c < channels; c++) {
                int source;
                if (c < fold) {
                    source = t + distance(c, fold, depth);
                } else if (c < 2 * fold) {
                    source = t - distance(c - fold, fold, depth);
                } else {
                    source = t;
                }
                indices[t * channels + c] = source < 0 || source >= segments ? segments : source;
            }
        }
        return indices;
    }

    /**
     * Returns the shift table for {@code segments} video segments and {@code channels} channels.
     *
     * @param segments the number of video segments {@code T}, at least 1
     * @param channels the number of channels {@code C}, at least 1
     * @param foldDiv {@code shift_temporal.f_div}
     * @param depth {@code shift_temporal.shift_depth}
     * @return the table of {@link #gatherIndices}
     * @throws IllegalArgumentException if a parameter is out of range; the message names the field
     */
    public static ShiftTable table(int segments, int channels, int foldDiv, int depth) {
        return new ShiftTable(
                segments, channels, gatherIndices(segments, channels, foldDiv, depth));
    }

    /**
     * Shifts the video images of a batch along time; audio images pass unchanged.
     *
     * <p>{@code x} is {@code [N * (T + A), C, H, W]}, each sample laid out as its {@code T} video
     * images followed by its {@code A} audio images. The video part is padded with one zero frame
     * and read with a single gather along the flattened {@code [(T + 1) * C]} axis using {@link
     * ShiftTable#flatIndices()}, so gradients flow back as a scatter-add and no video segment ever
     * reads an audio image.
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
        NDArray zeros =
                manager.zeros(
                        new Shape(batch, 1, channels, pixels), x.getDataType(), x.getDevice());
        NDArray padded =
                video.concat(zeros, 1).reshape(batch, (long) (segments + 1) * channels, pixels);
        NDArray index = manager.create(table.flatIndices()).toDevice(x.getDevice(), false);
        NDArray shifted =
                padded.get(new NDIndex(":, {}", index)).reshape(batch, segments, channels, pixels);
        if (audioSegments == 1) {
            shifted = shifted.concat(grouped.get(new NDIndex(":, " + segments + ":")), 1);
        }
        return shifted.reshape(shape);
    }

    /** Returns the shift distance of offset {@code i} within a range of {@code fold} channels. */
    private static int distance(int i, int fold, int depth) {
        int groupSize = fold / depth;
        // With fold < k the first k - 1 groups are empty and the last one holds the whole range.
        int group = groupSize == 0 ? depth - 1 : Math.min(i / groupSize, depth - 1);
        return group + 1;
    }
}
