package io.tsam.exporter.trt;

import java.util.List;
import java.util.Objects;

/**
 * An input or output of a TensorRT engine as its network declares it.
 *
 * @param name the tensor name, the same as in the ONNX model
 * @param shape the dimensions, {@code -1} for the dynamic batch dimension
 */
public record EngineTensor(String name, List<Long> shape) {

    /** Copies the shape. */
    public EngineTensor {
        Objects.requireNonNull(name, "name");
        shape = List.copyOf(shape);
    }

    /** The number of elements of one sample: the product of every dimension after the first. */
    public long sampleElements() {
        long elements = 1;
        for (int i = 1; i < shape.size(); i++) {
            elements *= shape.get(i);
        }
        return elements;
    }
}
