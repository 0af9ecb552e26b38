package io.tsam.exporter.triton;

import java.util.List;
import java.util.Objects;

/**
 * A float32 input or output of a Triton model.
 *
 * @param name the tensor name, as in the model file
 * @param dims the dimensions without the batch dimension, which Triton adds when {@code
 *     max_batch_size > 0}
 */
public record TritonTensor(String name, List<Long> dims) {

    /** Copies the dimensions and checks that each is positive. */
    public TritonTensor {
        Objects.requireNonNull(name, "name");
        dims = List.copyOf(dims);
        for (long dim : dims) {
            if (dim < 1) {
                throw new IllegalArgumentException(
                        "tensor '" + name + "' needs fixed positive dims, got " + dims);
            }
        }
    }
}
