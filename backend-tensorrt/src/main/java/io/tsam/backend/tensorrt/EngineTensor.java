package io.tsam.backend.tensorrt;

import java.util.List;
import java.util.Objects;
import org.bytedeco.tensorrt.nvinfer.Dims64;

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

    /**
     * The shape with the batch dimension set to {@code batch}, for TensorRT; the caller closes it.
     */
    public Dims64 toDims(int batch) {
        Dims64 dims = new Dims64();
        dims.nbDims(shape.size());
        dims.d(0, batch);
        for (int d = 1; d < shape.size(); d++) {
            dims.d(d, shape.get(d));
        }
        return dims;
    }
}
