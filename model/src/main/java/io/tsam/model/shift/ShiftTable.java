package io.tsam.model.shift;

import java.util.Arrays;

/**
 * The source-time table of one temporal shift, for activations viewed as {@code [N, T, C, H, W]}.
 *
 * <p>Layout: {@code sourceTime} is row-major {@code [T][C]}; entry {@code t * C + c} is the time
 * index in {@code [0, T]} that output frame {@code t}, channel {@code c} reads from a time axis
 * padded with one zero frame at index {@code T}, so {@code out[n, t, c] = padded[n, table[t, c],
 * c]}. Build it with {@link TemporalShift#table}.
 *
 * @param segments the number of video segments {@code T}
 * @param channels the number of channels {@code C}
 * @param sourceTime the {@code T * C} source time indices, row-major {@code [T][C]}
 */
public record ShiftTable(int segments, int channels, int[] sourceTime) {

    /** Checks the layout and keeps a private copy, so the table cannot change after it is built. */
    public ShiftTable {
        if (segments < 1 || channels < 1) {
            throw new IllegalArgumentException(
                    "shift table needs segments >= 1 and channels >= 1, got segments="
                            + segments
                            + ", channels="
                            + channels);
        }
        if (sourceTime.length != segments * channels) {
            throw new IllegalArgumentException(
                    "shift table for segments="
                            + segments
                            + ", channels="
                            + channels
                            + " needs "
                            + segments * channels
                            + " entries, got "
                            + sourceTime.length);
        }
        for (int i = 0; i < sourceTime.length; i++) {
            if (sourceTime[i] < 0 || sourceTime[i] > segments) {
                throw new IllegalArgumentException(
                        "shift table entry "
                                + i
                                + " is "
                                + sourceTime[i]
                                + ", allowed is [0, "
                                + segments
                                + "]");
            }
        }
        sourceTime = sourceTime.clone();
    }

    /** Returns a copy of the source time indices, row-major {@code [T][C]}. */
    @Override
    public int[] sourceTime() {
        return sourceTime.clone();
    }

    /**
     * Returns the padded time index that output frame {@code t}, channel {@code c} reads from.
     *
     * @param t the output frame, in {@code [0, T)}
     * @param c the channel, in {@code [0, C)}
     * @return a time index in {@code [0, T]}, where {@code T} is the zero frame
     */
    public int sourceTime(int t, int c) {
        return sourceTime[t * channels + c];
    }

    /**
     * Whether some entry reads the zero frame at index {@code T}; when none does ({@code tsam}
     * style), the {@link #flatIndices()} address the unpadded {@code [T * C]} axis as well and no
     * padding is needed.
     */
    public boolean readsPadding() {
        for (int source : sourceTime) {
            if (source == segments) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the index into the flattened padded axis {@code [(T + 1) * C]} for every output entry
     * {@code t * C + c}: {@code table[t, c] * C + c}.
     *
     * <p>This is the constant index of the single gather, shared by the DJL forward pass and the
     * ONNX {@code Gather} so that both read the same elements.
     *
     * @return {@code T * C} flat indices
     */
    public long[] flatIndices() {
        long[] flat = new long[sourceTime.length];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (long) sourceTime[i] * channels + i % channels;
        }
        return flat;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ShiftTable that
                && segments == that.segments
                && channels == that.channels
                && Arrays.equals(sourceTime, that.sourceTime);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * segments + channels) + Arrays.hashCode(sourceTime);
    }

    @Override
    public String toString() {
        return "ShiftTable[segments="
                + segments
                + ", channels="
                + channels
                + ", sourceTime="
                + Arrays.toString(sourceTime)
                + "]";
    }
}
