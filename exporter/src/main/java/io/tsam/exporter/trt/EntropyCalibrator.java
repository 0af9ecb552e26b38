package io.tsam.exporter.trt;

import io.tsam.backend.tensorrt.DeviceBuffer;
import io.tsam.backend.tensorrt.EngineTensor;
import io.tsam.exporter.calibration.CalibrationSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.tensorrt.nvinfer.IInt8EntropyCalibrator2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TensorRT's entropy calibrator fed from a {@link CalibrationSource}: each batch is copied into one
 * GPU buffer per input, and the resulting table is read from and written to a {@link
 * CalibrationCache}.
 *
 * <p>TensorRT calls these methods from native code, where a Java exception cannot pass; a failure
 * ends the calibration (no more batches) and is kept for {@link #rethrowFailure()} after the build.
 * Deprecated API: TensorRT 10.1 deprecated implicit INT8 calibration in favour of ONNX graphs with
 * explicit quantize/dequantize nodes, which our exporter does not produce; it still works in 10.x.
 */
// rawtypes: the override must match the raw PointerPointer of the JavaCPP signature.
@SuppressWarnings({"deprecation", "rawtypes"})
final class EntropyCalibrator extends IInt8EntropyCalibrator2 {

    private static final Logger logger = LoggerFactory.getLogger(EntropyCalibrator.class);

    private final CalibrationSource source;
    private final Optional<CalibrationCache> cache;
    private final Map<String, Integer> lengths = new LinkedHashMap<>();
    private final Map<String, DeviceBuffer> buffers = new LinkedHashMap<>();
    private BytePointer cachedTable;
    private RuntimeException failure;
    private int batches;
    private boolean tableRead;

    /**
     * Allocates a GPU buffer for one batch of every input.
     *
     * @param source the batches
     * @param inputs the network's inputs, each {@code [-1, ...]}
     * @param cache where the table is kept, if anywhere
     */
    EntropyCalibrator(
            CalibrationSource source, List<EngineTensor> inputs, Optional<CalibrationCache> cache) {
        this.source = source;
        this.cache = cache;
        try {
            for (EngineTensor input : inputs) {
                int length = Math.toIntExact(source.batchSize() * input.sampleElements());
                lengths.put(input.name(), length);
                buffers.put(input.name(), new DeviceBuffer(length));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public int getBatchSize() {
        return source.batchSize();
    }

    @Override
    public boolean getBatch(PointerPointer bindings, PointerPointer names, int nbBindings) {
        if (failure != null) {
            return false;
        }
        try {
            Optional<Map<String, float[]>> batch = source.nextBatch();
            if (batch.isEmpty()) {
                return false;
            }
            for (int i = 0; i < nbBindings; i++) {
                String name = names.getString(i);
                float[] values = batch.get().get(name);
                Integer length = lengths.get(name);
                if (values == null || length == null || values.length != length) {
                    throw new IllegalStateException(
                            "the calibration batch for input '"
                                    + name
                                    + "' has "
                                    + (values == null ? "no values" : values.length + " values")
                                    + ", expected "
                                    + length);
                }
                DeviceBuffer buffer = buffers.get(name);
                buffer.upload(values);
                bindings.put(i, buffer.address());
            }
            batches++;
            logger.debug("calibration batch {}", batches);
            return true;
        } catch (RuntimeException e) {
            failure = e;
            return false;
        }
    }

    @Override
    public Pointer readCalibrationCache(LongPointer length) {
        length.put(0L);
        if (cache.isEmpty()) {
            return null;
        }
        try {
            Optional<byte[]> table = cache.get().read();
            if (table.isEmpty()) {
                return null;
            }
            // Kept in a field: TensorRT reads the bytes after this method returns.
            cachedTable = new BytePointer(table.get());
            length.put(table.get().length);
            tableRead = true;
            logger.info("using the INT8 calibration table {}", cache.get().file());
            return cachedTable;
        } catch (IOException | RuntimeException e) {
            logger.warn("cannot read {}, calibrating anew: {}", cache.get().file(), e.toString());
            return null;
        }
    }

    @Override
    public void writeCalibrationCache(Pointer pointer, long length) {
        if (cache.isEmpty()) {
            return;
        }
        try {
            byte[] table = new byte[Math.toIntExact(length)];
            new BytePointer(pointer).capacity(length).get(table);
            cache.get().write(table);
        } catch (IOException e) {
            failure = new UncheckedIOException(e);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** The batches TensorRT calibrated on; 0 when it read the table from the cache. */
    int batches() {
        return batches;
    }

    /** Whether TensorRT took the table from the cache instead of calibrating. */
    boolean tableRead() {
        return tableRead;
    }

    /** Throws what went wrong inside a callback, if anything did. */
    void rethrowFailure() {
        if (failure != null) {
            throw failure;
        }
    }

    /** Frees the GPU buffers and the C++ side of this calibrator. */
    @Override
    public void close() {
        buffers.values().forEach(DeviceBuffer::close);
        buffers.clear();
        if (cachedTable != null) {
            cachedTable.close();
            cachedTable = null;
        }
        super.close();
    }
}
