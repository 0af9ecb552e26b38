package io.tsam.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link EngineBackendProvider} on the class path and opens engine files with it. */
public final class EngineBackends {

    private EngineBackends() {}

    /**
     * Opens a serialised engine with the first provider on the class path.
     *
     * @param engine the engine file, e.g. {@code model.plan}
     * @return a backend the caller owns and closes
     * @throws IllegalArgumentException naming the file if it does not exist
     * @throws BackendUnavailableException if no provider is on the class path (so no TensorRT
     *     natives either), or the provider's natives, driver or GPU are missing
     */
    public static InferenceBackend open(Path engine) {
        if (!Files.isRegularFile(engine)) {
            throw new IllegalArgumentException(
                    engine + ": " + (Files.exists(engine) ? "not a regular file" : "no such file"));
        }
        return open(
                engine,
                ServiceLoader.load(EngineBackendProvider.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .toList());
    }

    /** Opens {@code engine} with the first of {@code providers}. */
    static InferenceBackend open(Path engine, List<EngineBackendProvider> providers) {
        if (providers.isEmpty()) {
            throw new BackendUnavailableException(
                    "TensorRT natives are unavailable: no TensorRT engine runner ("
                            + EngineBackendProvider.class.getSimpleName()
                            + ") is on this runtime's class path, which runs .onnx models only;"
                            + " run the .onnx with --provider tensorrt on the onnxruntime_gpu"
                            + " build instead");
        }
        return providers.get(0).open(engine);
    }
}
