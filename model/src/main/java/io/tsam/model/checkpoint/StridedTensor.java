package io.tsam.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A tensor as PyTorch lays it out: a view of {@code shape} into a storage of elements, element
 * {@code (i0, i1, ...)} at {@code offset + i0 * strides[0] + i1 * strides[1] + ...}. torch.save
 * keeps views as they are (a transposed weight keeps its strides, a slice its offset into the
 * shared storage), so the strides must be honoured to read the values.
 *
 * @param type the element type of the storage
 * @param storage the storage's bytes, in the file's byte order
 * @param offset the storage offset, in elements
 * @param shape the size of each dimension; empty for a 0-d tensor
 * @param strides the stride of each dimension, in elements
 */
record StridedTensor(
        StoredType type, ByteBuffer storage, long offset, long[] shape, long[] strides) {

    /** A packed row-major tensor starting at element 0 of {@code storage}. */
    static StridedTensor contiguous(StoredType type, ByteBuffer storage, long[] shape) {
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= shape[d];
        }
        return new StridedTensor(type, storage, 0, shape, strides);
    }

    /**
     * Copies the values into a new packed array of {@code manager}: float32 for floating types,
     * int64 for the others. The caller owns the array (it belongs to {@code manager}).
     *
     * @throws IllegalArgumentException if the view reaches outside the storage or has negative
     *     sizes, strides or offset
     */
    NDArray read(NDManager manager) {
        int count = checkedCount();
        Shape ndShape = new Shape(shape);
        if (type == StoredType.FLOAT32 && isPacked()) {
            float[] values = new float[count];
            storage.duplicate()
                    .order(storage.order())
                    .position(Math.toIntExact(offset * 4))
                    .asFloatBuffer()
                    .get(values);
            return manager.create(values, ndShape);
        }
        int[] positions = positions(count);
        if (type.isFloating()) {
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = type.readFloat(storage, positions[i]);
            }
            return manager.create(values, ndShape);
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = type.readLong(storage, positions[i]);
        }
        return manager.create(values, ndShape);
    }

    /** The element count, after checking that every element lies inside the storage. */
    private int checkedCount() {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException(
                    "size "
                            + Arrays.toString(shape)
                            + " and stride "
                            + Arrays.toString(strides)
                            + " have different ranks");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("negative storage offset " + offset);
        }
        long count = 1;
        long last = offset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0 || strides[d] < 0) {
                throw new IllegalArgumentException(
                        "negative size or stride: size "
                                + Arrays.toString(shape)
                                + ", stride "
                                + Arrays.toString(strides));
            }
            count = Math.multiplyExact(count, shape[d]);
            last = Math.addExact(last, Math.multiplyExact(Math.max(shape[d] - 1, 0), strides[d]));
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "tensor of " + count + " elements is too large to read");
        }
        long available = storage.capacity() / type.bytes();
        if (count > 0 && last >= available) {
            throw new IllegalArgumentException(
                    "view (offset "
                            + offset
                            + ", size "
                            + Arrays.toString(shape)
                            + ", stride "
                            + Arrays.toString(strides)
                            + ") reaches element "
                            + last
                            + " of a storage of "
                            + available
                            + " elements");
        }
        return (int) count;
    }

    private boolean isPacked() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** The storage index of each element in row-major order (an odometer over the indices). */
    private int[] positions(int count) {
        int[] positions = new int[count];
        long[] index = new long[shape.length];
        long position = offset;
        for (int i = 0; i < count; i++) {
            positions[i] = (int) position;
            for (int d = shape.length - 1; d >= 0; d--) {
                index[d]++;
                position += strides[d];
                if (index[d] < shape[d]) {
                    break;
                }
                position -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
        return positions;
    }
}
