package io.tsam.runtime.cli;

import ai.onnxruntime.OrtEnvironment;
import io.tsam.config.ModelMetadata;
import io.tsam.runtime.backend.BackendUnavailableException;
import io.tsam.runtime.backend.EngineBackends;
import io.tsam.runtime.backend.ExecutionProvider;
import io.tsam.runtime.backend.GraphOptimization;
import io.tsam.runtime.backend.InferenceBackend;
import io.tsam.runtime.backend.OrtBackend;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options that say which model to run and how: shared by {@code predict} and {@code bench}. */
final class ModelOptions {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "FILE",
            description = "The exported model (.onnx); its metadata says how to preprocess.")
    Path model;

    @Option(
            names = "--provider",
            paramLabel = "NAME",
            description =
                    "Execution provider: cpu (default), cuda, tensorrt (both need the"
                            + " onnxruntime_gpu build), or auto (cuda when it can run, else cpu).")
    ExecutionProvider provider;

    @Option(
            names = "--engine",
            paramLabel = "FILE",
            description =
                    "Run a serialised TensorRT engine (.plan) instead of the .onnx, which still"
                            + " supplies the metadata; needs a TensorRT engine runner on the class"
                            + " path.")
    Path engine;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "ONNX Runtime intra-op threads (default: the number of cores).")
    Integer threads;

    @Option(
            names = "--ort-opt-level",
            paramLabel = "LEVEL",
            defaultValue = "all",
            description =
                    "ONNX Runtime graph optimisation: none, basic, extended, layout or all"
                            + " (default: ${DEFAULT-VALUE}).")
    GraphOptimization optimization;

    /**
     * Opens the model.
     *
     * @throws IllegalArgumentException one line naming the option and what is wrong or missing
     */
    LoadedModel open(OrtEnvironment environment) {
        int intraOp = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (intraOp < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + intraOp);
        }
        if (engine != null) {
            return openEngine(environment);
        }
        ExecutionProvider chosen = provider != null ? provider : ExecutionProvider.CPU;
        OrtBackend backend;
        try {
            backend =
                    OrtBackend.builder()
                            .setModel(model)
                            .setEnvironment(environment)
                            .optProvider(chosen)
                            .optIntraOpThreads(intraOp)
                            .optOptimization(optimization)
                            .build();
        } catch (BackendUnavailableException e) {
            throw new BackendUnavailableException(
                    "--provider " + chosen.cliName() + ": " + e.getMessage(), e);
        }
        try {
            ModelMetadata metadata = ModelMetadata.parse(backend.metadata(), model);
            return new LoadedModel(backend, metadata, backend.providerNote());
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private LoadedModel openEngine(OrtEnvironment environment) {
        if (provider != null) {
            throw new IllegalArgumentException(
                    "--engine runs the engine with its own TensorRT runner; leave out --provider");
        }
        ModelMetadata metadata =
                ModelMetadata.parse(OrtBackend.readMetadata(environment, model), model);
        InferenceBackend backend;
        try {
            backend = EngineBackends.open(engine);
        } catch (BackendUnavailableException e) {
            throw new BackendUnavailableException("--engine " + engine + ": " + e.getMessage(), e);
        }
        return new LoadedModel(backend, metadata, Optional.empty());
    }
}
