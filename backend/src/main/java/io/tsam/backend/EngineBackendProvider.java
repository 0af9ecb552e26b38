package io.tsam.backend;

import java.nio.file.Path;

/**
 * Opens serialised engines ({@code --engine model.plan}) as {@link InferenceBackend}s.
 *
 * <p>The runtime itself carries no TensorRT dependency: a jar that does (and its natives) plugs in
 * by implementing this interface and listing the class in {@code
 * META-INF/services/io.tsam.backend.EngineBackendProvider}; {@link EngineBackends} finds it with
 * {@link java.util.ServiceLoader}.
 */
public interface EngineBackendProvider {

    /** What the provider runs, for messages, e.g. {@code TensorRT 10.15}. */
    String name();

    /**
     * Loads an engine.
     *
     * @param engine the serialised engine file
     * @return a backend the caller owns and closes
     * @throws BackendUnavailableException if the natives, driver or GPU the engine needs are
     *     missing
     * @throws IllegalArgumentException if the file is not an engine this provider can load
     */
    InferenceBackend open(Path engine);
}
