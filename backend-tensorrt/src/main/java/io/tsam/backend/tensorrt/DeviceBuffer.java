package io.tsam.backend.tensorrt;

import java.nio.FloatBuffer;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPU memory for float tensors, copied to and from with synchronous {@code cudaMemcpy}. The creator
 * closes it; after close the methods throw and a second close does nothing.
 */
public final class DeviceBuffer implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(DeviceBuffer.class);

    private final long floats;
    private Pointer address;

    /**
     * Allocates room for {@code floats} floats.
     *
     * @throws IllegalStateException if the GPU has no room
     */
    public DeviceBuffer(long floats) {
        this.floats = floats;
        try (PointerPointer<Pointer> allocated = new PointerPointer<>(1)) {
            Cuda.check(
                    cudart.cudaMalloc(allocated, floats * Float.BYTES),
                    "cudaMalloc of " + floats * Float.BYTES + " bytes");
            address = allocated.get(0);
        }
    }

    /** The device address, for TensorRT's bindings; valid until {@link #close()}. */
    public Pointer address() {
        checkOpen();
        return address;
    }

    /** Copies {@code values} to the start of the buffer. */
    public void upload(float[] values) {
        checkOpen();
        checkFits(values.length);
        try (FloatPointer host = new FloatPointer(values)) {
            Cuda.check(
                    cudart.cudaMemcpy(
                            address,
                            host,
                            (long) values.length * Float.BYTES,
                            cudart.cudaMemcpyHostToDevice),
                    "cudaMemcpy to the GPU");
        }
    }

    /** Copies {@code values}, position to limit, to the start of the buffer. */
    public void upload(FloatBuffer values) {
        if (!values.isDirect()) {
            float[] copy = new float[values.remaining()];
            values.duplicate().get(copy);
            upload(copy);
            return;
        }
        checkOpen();
        checkFits(values.remaining());
        // JavaCPP points at the buffer's memory from its position: no copy on the host.
        try (FloatPointer host = new FloatPointer(values)) {
            Cuda.check(
                    cudart.cudaMemcpy(
                            address,
                            host,
                            (long) values.remaining() * Float.BYTES,
                            cudart.cudaMemcpyHostToDevice),
                    "cudaMemcpy to the GPU");
        }
    }

    /** Copies the first {@code into.length} floats of the buffer into {@code into}. */
    public void download(float[] into) {
        checkOpen();
        checkFits(into.length);
        try (FloatPointer host = new FloatPointer(into.length)) {
            Cuda.check(
                    cudart.cudaMemcpy(
                            host,
                            address,
                            (long) into.length * Float.BYTES,
                            cudart.cudaMemcpyDeviceToHost),
                    "cudaMemcpy from the GPU");
            host.get(into);
        }
    }

    @Override
    public void close() {
        if (address != null) {
            int status = cudart.cudaFree(address);
            address = null;
            if (status != cudart.cudaSuccess) {
                logger.warn(Cuda.describe(status, "cudaFree"));
            }
        }
    }

    private void checkFits(int length) {
        if (length > floats) {
            throw new IllegalArgumentException(
                    length + " floats do not fit a GPU buffer of " + floats + " floats");
        }
    }

    private void checkOpen() {
        if (address == null) {
            throw new IllegalStateException("the GPU buffer is closed");
        }
    }
}
