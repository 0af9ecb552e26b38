package io.tsam.runtime.cli;

import io.tsam.config.ModelMetadata;
import io.tsam.runtime.backend.InferenceBackend;
import java.util.Optional;

/**
 * A model opened from the command line: the backend that runs it, which this record owns and
 * closes, and the metadata read from its ONNX file.
 *
 * @param backend what runs the model
 * @param metadata the model's metadata
 * @param providerNote why {@code --provider auto} picked the provider it did, if it was asked for
 */
record LoadedModel(InferenceBackend backend, ModelMetadata metadata, Optional<String> providerNote)
        implements AutoCloseable {

    @Override
    public void close() {
        backend.close();
    }
}
