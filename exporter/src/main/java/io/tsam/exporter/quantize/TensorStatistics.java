package io.tsam.exporter.quantize;

import java.nio.FloatBuffer;

/**
 * The values of one activation tensor over the calibration clips, kept as much as a {@link
 * CalibrationMethod} needs: the extremes, and for percentiles the {@code k} smallest and largest
 * values seen, in two bounded heaps, {@code k} being the tail of the largest possible count.
 */
final class TensorStatistics {

    private final CalibrationMethod method;
    private final BoundedHeap largest;
    private final BoundedHeap smallest;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private long count;

    /**
     * @param method how the range will be taken
     * @param maxCount the most values that will be added, for the percentile tails
     */
    TensorStatistics(CalibrationMethod method, long maxCount) {
        this.method = method;
        int tail =
                method == CalibrationMethod.PERCENTILE
                        ? Math.toIntExact(
                                Math.max(1, (long) Math.ceil(maxCount * CalibrationMethod.TAIL)))
                        : 0;
        this.largest = new BoundedHeap(tail, false);
        this.smallest = new BoundedHeap(tail, true);
    }

    /** Adds the remaining values of {@code values}. */
    void add(FloatBuffer values) {
        while (values.hasRemaining()) {
            float value = values.get();
            if (value < min) {
                min = value;
            }
            if (value > max) {
                max = value;
            }
            if (method == CalibrationMethod.PERCENTILE) {
                largest.offer(value);
                smallest.offer(value);
            }
            count++;
        }
    }

    /** The values added so far. */
    long count() {
        return count;
    }

    /** The range the method takes from the values added. */
    ActivationRange range() {
        if (count == 0) {
            throw new IllegalStateException("no values were seen");
        }
        if (method == CalibrationMethod.MINMAX) {
            return new ActivationRange(min, max);
        }
        int tail = (int) Math.max(1, Math.ceil(count * CalibrationMethod.TAIL));
        return new ActivationRange(smallest.kth(tail), largest.kth(tail));
    }

    /**
     * The {@code capacity} most extreme values seen: a min-heap of the largest ({@code reversed}
     * false) or a max-heap of the smallest, whose root is the least extreme kept.
     */
    private static final class BoundedHeap {
        private final float[] heap;
        private final boolean reversed;
        private int size;

        BoundedHeap(int capacity, boolean reversed) {
            this.heap = new float[capacity];
            this.reversed = reversed;
        }

        void offer(float value) {
            if (heap.length == 0) {
                return;
            }
            if (size < heap.length) {
                heap[size] = value;
                siftUp(size++);
            } else if (before(heap[0], value)) {
                heap[0] = value;
                siftDown(0);
            }
        }

        /** The {@code k}-th most extreme value kept, {@code 1 <= k <= capacity}. */
        float kth(int k) {
            float[] sorted = java.util.Arrays.copyOf(heap, size);
            java.util.Arrays.sort(sorted);
            int index = Math.min(k, size) - 1;
            return reversed ? sorted[index] : sorted[size - 1 - index];
        }

        /** Whether {@code a} is less extreme than {@code b}. */
        private boolean before(float a, float b) {
            return reversed ? a > b : a < b;
        }

        private void siftUp(int i) {
            while (i > 0) {
                int parent = (i - 1) / 2;
                if (!before(heap[i], heap[parent])) {
                    return;
                }
                swap(i, parent);
                i = parent;
            }
        }

        private void siftDown(int i) {
            while (true) {
                int left = 2 * i + 1;
                int least = i;
                if (left < size && before(heap[left], heap[least])) {
                    least = left;
                }
                if (left + 1 < size && before(heap[left + 1], heap[least])) {
                    least = left + 1;
                }
                if (least == i) {
                    return;
                }
                swap(i, least);
                i = least;
            }
        }

        private void swap(int a, int b) {
            float t = heap[a];
            heap[a] = heap[b];
            heap[b] = t;
        }
    }
}
