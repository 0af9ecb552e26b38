package io.tsam.runtime.cli;

import io.tsam.backend.BackendUnavailableException;
import io.tsam.backend.ExecutionProvider;
import io.tsam.backend.GraphOptimization;
import io.tsam.media.sampling.FrameSampling;
import io.tsam.runtime.TsamModel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that say which model to run and how: shared by {@code predict}, {@code bench}, {@code
 * serve}.
 */
final class ModelOptions {

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description =
                    "The exported model: .onnx, or a TensorRT engine .plan (with its .plan.json);"
                            + " its metadata says how to preprocess.")
    Path model;

    @Option(
            names = "--engine",
            paramLabel = "FILE",
            description =
                    "Run a TensorRT engine (.plan, with the .plan.json tsam-export wrote beside"
                            + " it); the same as --model FILE.plan.")
    Path engine;

    @Option(
            names = "--provider",
            paramLabel = "NAME",
            description =
                    "Execution provider for .onnx models: cpu (default), cuda, tensorrt (both need"
                            + " the GPU build), or auto (cuda when it can run here, else cpu; the"
                            + " choice is printed).")
    ExecutionProvider provider;

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
                    "ONNX Runtime graph optimisation: none, basic, extended, layout, all (with the"
                            + " shifts in the blocked CPU layout) or ort_all (without)"
                            + " (default: ${DEFAULT-VALUE}).")
    GraphOptimization optimization;

    @Option(
            names = "--sampling",
            paramLabel = "MODE",
            defaultValue = "exact",
            description =
                    "Test frames: exact (default) or latency: in each segment the keyframe nearest"
                            + " the test frame, else the segment's first frame (imagenet profile,"
                            + " video files; cheaper to decode, less exact).")
    FrameSampling sampling;

    /** The model file asked for, {@code --model} or {@code --engine}. */
    Path file() {
        if ((model == null) == (engine == null)) {
            throw new IllegalArgumentException(
                    model == null
                            ? "give the model with --model FILE (.onnx or .plan)"
                            : "give either --model or --engine, not both");
        }
        return model != null ? model : engine;
    }

    /** The options, for {@link TsamModel#open}, with {@code clips} test clips when given. */
    TsamModel.Options options(Integer clips) {
        TsamModel.Options options =
                TsamModel.Options.defaults()
                        .withProvider(provider != null ? provider : ExecutionProvider.CPU)
                        .withOptimization(optimization)
                        .withSampling(sampling);
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
            options = options.withThreads(threads);
        }
        if (clips != null) {
            if (clips < 1) {
                throw new IllegalArgumentException("--clips must be >= 1, got " + clips);
            }
            options = options.withClips(clips);
        }
        return options;
    }

    /**
     * Opens the model.
     *
     * @throws IllegalArgumentException one line naming the option and what is wrong or missing
     * @throws BackendUnavailableException one line naming what the provider or engine lacks here
     */
    TsamModel open(Integer clips) {
        Path file = file();
        if (TsamModel.isEngine(file) && provider != null) {
            throw new IllegalArgumentException(
                    "--provider applies to .onnx models; a TensorRT engine runs on its own runner");
        }
        TsamModel.Options options = options(clips);
        try {
            return TsamModel.open(file, options);
        } catch (BackendUnavailableException e) {
            String option =
                    TsamModel.isEngine(file)
                            ? (engine != null ? "--engine " : "--model ") + file
                            : "--provider " + options.provider().cliName();
            throw new BackendUnavailableException(option + ": " + e.getMessage(), e);
        }
    }
}
