package io.tsam.runtime;

import ai.onnxruntime.OrtEnvironment;
import io.tsam.backend.BackendUnavailableException;
import io.tsam.backend.EngineBackends;
import io.tsam.backend.ExecutionProvider;
import io.tsam.backend.GraphOptimization;
import io.tsam.backend.InferenceBackend;
import io.tsam.backend.OrtBackend;
import io.tsam.config.ModelMetadata;
import io.tsam.media.sampling.FrameSampling;
import io.tsam.runtime.predict.Prediction;
import io.tsam.runtime.predict.Predictor;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An exported TSAM model ready to classify videos: the one call that embeds the runtime in a Java
 * service.
 *
 * <pre>{@code
 * try (TsamModel model = TsamModel.open(Path.of("model.onnx"))) {
 *     Prediction prediction = model.predict(Path.of("clip.mp4"));
 *     System.out.println(prediction.top(1).get(0).label());
 * }
 * }</pre>
 *
 * <p>A {@code .onnx} file runs in ONNX Runtime on the {@link Options#provider() provider} asked
 * for; a {@code .plan} (or {@code .engine}) file is a TensorRT engine, run by the engine backend on
 * the class path with the TSAM metadata from its sidecar. Either way the model's own metadata says
 * how videos are decoded, sampled and normalised. Thread-safe; closing releases the backend.
 */
public final class TsamModel implements AutoCloseable {

    private final InferenceBackend backend;
    private final ModelMetadata metadata;
    private final Predictor predictor;
    private final Optional<String> providerNote;

    private TsamModel(
            InferenceBackend backend,
            ModelMetadata metadata,
            Predictor predictor,
            Optional<String> providerNote) {
        this.backend = backend;
        this.metadata = metadata;
        this.predictor = predictor;
        this.providerNote = providerNote;
    }

    /** Opens a model with the {@linkplain Options#defaults() default options}. */
    public static TsamModel open(Path model) {
        return open(model, Options.defaults());
    }

    /**
     * Opens a model.
     *
     * @param model an exported {@code .onnx}, or a TensorRT engine {@code .plan}
     * @param options how to run it
     * @return the model, which the caller closes
     * @throws IllegalArgumentException one line naming the file if it is missing, not a TSAM model,
     *     or its inputs do not fit its metadata
     * @throws BackendUnavailableException one line naming what the provider or engine needs and
     *     this machine lacks
     */
    public static TsamModel open(Path model, Options options) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        InferenceBackend backend;
        Optional<String> note = Optional.empty();
        if (isEngine(model)) {
            if (options.provider() != ExecutionProvider.CPU
                    && options.provider() != ExecutionProvider.AUTO) {
                throw new IllegalArgumentException(
                        model
                                + ": a TensorRT engine runs on its own runner; the provider "
                                + options.provider().cliName()
                                + " applies to .onnx models only");
            }
            backend = EngineBackends.open(model);
        } else {
            OrtBackend ort =
                    OrtBackend.builder()
                            .setModel(model)
                            .setEnvironment(OrtEnvironment.getEnvironment())
                            .optProvider(options.provider())
                            .optIntraOpThreads(options.threads())
                            .optOptimization(options.optimization())
                            .build();
            note = ort.providerNote();
            backend = ort;
        }
        try {
            ModelMetadata metadata = ModelMetadata.parse(backend.metadata(), model);
            Predictor.Builder builder =
                    Predictor.builder()
                            .setBackend(backend)
                            .setMetadata(metadata)
                            .optSampling(options.sampling());
            options.clips().ifPresent(builder::optClips);
            return new TsamModel(backend, metadata, builder.build(), note);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** Whether {@code model} names a serialised TensorRT engine rather than an ONNX model. */
    public static boolean isEngine(Path model) {
        String name = model.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".plan") || name.endsWith(".engine");
    }

    /**
     * Decodes, runs and ranks one video.
     *
     * @throws io.tsam.media.MediaException naming the file if it cannot be used
     */
    public Prediction predict(Path video) {
        return predictor.predict(video);
    }

    /** The predictor, for batches of prepared videos ({@link Predictor#classify}). */
    public Predictor predictor() {
        return predictor;
    }

    /** The model's metadata: labels, config, preprocessing. */
    public ModelMetadata metadata() {
        return metadata;
    }

    /** What runs the model. */
    public InferenceBackend backend() {
        return backend;
    }

    /** Why {@link ExecutionProvider#AUTO} picked the provider it did, when it was asked for. */
    public Optional<String> providerNote() {
        return providerNote;
    }

    @Override
    public void close() {
        backend.close();
    }

    /**
     * How to run a model.
     *
     * @param provider the ONNX Runtime execution provider ({@code .onnx} models)
     * @param threads ONNX Runtime intra-op threads, at least 1
     * @param optimization ONNX Runtime graph optimisation
     * @param clips test clips per video; empty for the model's {@code model_validation.num_clips}
     * @param sampling which frames test clips take: exact (the default) or the latency mode's
     */
    public record Options(
            ExecutionProvider provider,
            int threads,
            GraphOptimization optimization,
            OptionalInt clips,
            FrameSampling sampling) {

        /** Checks the values. */
        public Options {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(optimization, "optimization");
            Objects.requireNonNull(clips, "clips");
            Objects.requireNonNull(sampling, "sampling");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            if (clips.isPresent() && clips.getAsInt() < 1) {
                throw new IllegalArgumentException("clips must be >= 1, got " + clips.getAsInt());
            }
        }

        /** CPU, one thread per core, every graph optimisation, the model's own clip count. */
        public static Options defaults() {
            return new Options(
                    ExecutionProvider.CPU,
                    Runtime.getRuntime().availableProcessors(),
                    GraphOptimization.DEFAULT,
                    OptionalInt.empty(),
                    FrameSampling.EXACT);
        }

        /** These options with another provider. */
        public Options withProvider(ExecutionProvider provider) {
            return new Options(provider, threads, optimization, clips, sampling);
        }

        /** These options with another intra-op thread count. */
        public Options withThreads(int threads) {
            return new Options(provider, threads, optimization, clips, sampling);
        }

        /** These options with another graph optimisation level. */
        public Options withOptimization(GraphOptimization optimization) {
            return new Options(provider, threads, optimization, clips, sampling);
        }

        /** These options with test clips taking {@code sampling}'s frames. */
        public Options withSampling(FrameSampling sampling) {
            return new Options(provider, threads, optimization, clips, sampling);
        }

        /** These options with another number of test clips per video. */
        public Options withClips(int clips) {
            return new Options(provider, threads, optimization, OptionalInt.of(clips), sampling);
        }
    }
}
