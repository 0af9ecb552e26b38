package io.tsam.media.video;

import java.util.Arrays;

/**
 * The frames of a video stream as its packets describe them: presentation timestamps in
 * presentation order, and which frames are keyframes.
 *
 * <p>A table is "timed" when every packet has a distinct timestamp; then the {@code i}-th smallest
 * timestamp is frame {@code i}. An untimed table only knows the frame count.
 */
final class FrameTable {
    private final int size;
    private final long[] pts;
    private final int[] keyIndices;
    private final long[] keyPts;

    private FrameTable(int size, long[] pts, int[] keyIndices, long[] keyPts) {
        this.size = size;
        this.pts = pts;
        this.keyIndices = keyIndices;
        this.keyPts = keyPts;
    }

    int size() {
        return size;
    }

    /** Whether frames can be told apart by their timestamps. */
    boolean timed() {
        return pts != null;
    }

    /** The index of the frame with timestamp {@code timestamp}, or -1 if there is none. */
    int indexOf(long timestamp) {
        int i = Arrays.binarySearch(pts, timestamp);
        return i >= 0 ? i : -1;
    }

    /** Which keyframe (0 = the earliest) is the last at or before {@code index}, or -1. */
    int keyframeAtOrBefore(int index) {
        int k = Arrays.binarySearch(keyIndices, index);
        return k >= 0 ? k : -k - 2;
    }

    /** The frame indices of the keyframes, ascending. */
    int[] keyIndices() {
        return keyIndices.clone();
    }

    /** The frame index of keyframe {@code k}. */
    int keyIndex(int k) {
        return keyIndices[k];
    }

    /** The presentation timestamp of keyframe {@code k}, to seek to it. */
    long keyTimestamp(int k) {
        return keyPts[k];
    }

    /** The timestamp of frame {@code index}, in stream time base; only for a timed table. */
    long pts(int index) {
        return pts[index];
    }

    /** Last minus first timestamp, in stream time base; 0 for an untimed table. */
    long ptsSpan() {
        return pts == null || size == 0 ? 0 : pts[size - 1] - pts[0];
    }

    /** Collects packets in demuxing order. */
    static final class Builder {
        private long[] pts = new long[256];
        private boolean[] key = new boolean[256];
        private int size;

        void add(long timestamp, boolean keyframe) {
            if (size == pts.length) {
                pts = Arrays.copyOf(pts, size * 2);
                key = Arrays.copyOf(key, size * 2);
            }
            pts[size] = timestamp;
            key[size] = keyframe;
            size++;
        }

        int size() {
            return size;
        }

        /**
         * The table of the packets added so far.
         *
         * @param noTimestamp the value that marks a packet without a timestamp
         */
        FrameTable build(long noTimestamp) {
            long[] sorted = Arrays.copyOf(pts, size);
            Arrays.sort(sorted);
            boolean timed = size > 0 && sorted[0] != noTimestamp && sorted[size - 1] != noTimestamp;
            for (int i = 1; timed && i < size; i++) {
                timed = sorted[i] != sorted[i - 1];
            }
            if (!timed) {
                return new FrameTable(size, null, new int[0], new long[0]);
            }
            int keys = 0;
            for (int i = 0; i < size; i++) {
                keys += key[i] ? 1 : 0;
            }
            long[] keyPts = new long[keys];
            for (int i = 0, k = 0; i < size; i++) {
                if (key[i]) {
                    keyPts[k++] = pts[i];
                }
            }
            Arrays.sort(keyPts);
            int[] keyIndices = new int[keys];
            for (int k = 0; k < keys; k++) {
                keyIndices[k] = Arrays.binarySearch(sorted, keyPts[k]);
            }
            return new FrameTable(size, sorted, keyIndices, keyPts);
        }
    }
}
