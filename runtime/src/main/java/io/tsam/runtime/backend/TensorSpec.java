package io.tsam.runtime.backend;

import java.util.List;

/**
 * One input or output of a model: its name and the shape of one sample, without the batch axis.
 *
 * @param name the tensor's name in the graph, e.g. {@code video}
 * @param sampleShape the dimensions after the batch axis, e.g. {@code [T, 3, H, W]}, all fixed
 */
public record TensorSpec(String name, List<Long> sampleShape) {
    public TensorSpec {
        sampleShape = List.copyOf(sampleShape);
        for (long dim : sampleShape) {
            if (dim < 1) {
                throw new IllegalArgumentException(
                        "tensor " + name + " needs fixed sample dimensions, got " + sampleShape);
            }
        }
    }

    /** The number of values in one sample. */
    public long sampleElements() {
        long n = 1;
        for (long dim : sampleShape) {
            n *= dim;
        }
        return n;
    }

    /** The full shape of a batch: {@code [batch, sampleShape...]}. */
    public long[] shape(int batch) {
        long[] shape = new long[sampleShape.size() + 1];
        shape[0] = batch;
        for (int i = 0; i < sampleShape.size(); i++) {
            shape[i + 1] = sampleShape.get(i);
        }
        return shape;
    }
}
