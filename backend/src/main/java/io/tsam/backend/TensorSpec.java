package io.tsam.backend;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

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

    /**
     * Checks one batch's buffers against the inputs a model declares, as {@link
     * InferenceBackend#run} requires of every backend.
     *
     * @throws IllegalArgumentException naming the input that is missing, unknown or of the wrong
     *     size, or a batch below 1
     */
    public static void checkBatch(
            List<TensorSpec> inputs, int batch, Map<String, FloatBuffer> values) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (values.size() != inputs.size()) {
            throw new IllegalArgumentException(
                    "the model's inputs are "
                            + inputs.stream().map(TensorSpec::name).toList()
                            + ", got "
                            + values.keySet());
        }
        for (TensorSpec input : inputs) {
            FloatBuffer buffer = values.get(input.name());
            if (buffer == null) {
                throw new IllegalArgumentException(
                        "no buffer for input '" + input.name() + "'; got " + values.keySet());
            }
            long expected = batch * input.sampleElements();
            if (buffer.remaining() != expected) {
                throw new IllegalArgumentException(
                        "input '"
                                + input.name()
                                + "' needs "
                                + expected
                                + " values for a batch of "
                                + batch
                                + ", the buffer holds "
                                + buffer.remaining());
            }
        }
    }
}
