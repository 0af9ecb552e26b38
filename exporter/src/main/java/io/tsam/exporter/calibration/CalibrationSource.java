package io.tsam.exporter.calibration;

import java.util.Map;
import java.util.Optional;

/**
 * The batches an INT8 calibration runs the network on: real inputs, as the deployed model will see
 * them. One pass, in order; TensorRT asks for batches until there are none, and asks for none when
 * it reads a calibration cache instead.
 */
public interface CalibrationSource {

    /** The number of samples in every batch. */
    int batchSize();

    /**
     * The next batch.
     *
     * @return one row-major {@code [batchSize, ...]} array per network input name, or empty when
     *     there are no more batches
     */
    Optional<Map<String, float[]>> nextBatch();

    /**
     * Names the data, stably: two sources with the same description give the same batches, so a
     * calibration cache made from one is valid for the other.
     */
    String description();
}
