package io.tsam.backend;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX model in an ONNX Runtime session: float inputs with a dynamic batch axis and one float
 * output, run on the execution provider asked for.
 *
 * <p>A provider that cannot run here is a {@link BackendUnavailableException} naming what is
 * missing; only {@link ExecutionProvider#AUTO} falls back, and {@link #providerNote()} says why.
 * Thread-safe, as {@link InferenceBackend} requires: ONNX Runtime sessions run concurrently, and
 * each call wraps the caller's buffers in its own tensors. The {@link OrtEnvironment} belongs to
 * the caller and is never closed here.
 */
public final class OrtBackend implements InferenceBackend {

    /** Where CUDA and TensorRT come from, for messages. */
    static final String GPU_BUILD_HINT = "use the onnxruntime_gpu jar and a CUDA 12 driver";

    private static final Logger logger = LoggerFactory.getLogger(OrtBackend.class);

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final Path modelFile;
    private final ExecutionProvider provider;
    private final Optional<String> providerNote;
    private final int threads;
    private final GraphOptimization optimization;
    private final Optional<String> layoutNote;
    private final List<TensorSpec> inputs;
    private final TensorSpec output;
    private volatile boolean closed;

    private OrtBackend(
            OrtEnvironment environment,
            OrtSession session,
            Path modelFile,
            ExecutionProvider provider,
            Optional<String> providerNote,
            int threads,
            GraphOptimization optimization,
            Optional<String> layoutNote)
            throws OrtException {
        this.environment = environment;
        this.session = session;
        this.modelFile = modelFile;
        this.provider = provider;
        this.providerNote = providerNote;
        this.threads = threads;
        this.optimization = optimization;
        this.layoutNote = layoutNote;
        this.inputs = specs(session.getInputInfo(), modelFile, "input");
        List<TensorSpec> outputs = specs(session.getOutputInfo(), modelFile, "output");
        if (outputs.size() != 1) {
            throw new IllegalArgumentException(
                    modelFile + ": expected one output, the model has " + outputs.size());
        }
        this.output = outputs.get(0);
    }

    /**
     * Sets ONNX Runtime session options this builder has no method for (config entries such as
     * {@code optimization.disable_specified_optimizers}, symbolic dimension values), after its own.
     */
    @FunctionalInterface
    public interface SessionCustomiser {
        void customise(OrtSession.SessionOptions options) throws OrtException;
    }

    /** Returns a builder; the model file and the environment are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the {@code metadata_props} of an ONNX file without optimising or running it.
     *
     * @param environment the caller's environment
     * @param model the {@code .onnx} file
     * @return key to value
     * @throws IllegalArgumentException naming the file if it is missing or not an ONNX model
     */
    public static Map<String, String> readMetadata(OrtEnvironment environment, Path model) {
        checkFile(model);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(GraphOptimization.NONE.ortLevel());
            options.setIntraOpNumThreads(1);
            try (OrtSession session = environment.createSession(model.toString(), options)) {
                return Map.copyOf(session.getMetadata().getCustomMetadata());
            }
        } catch (OrtException e) {
            throw notLoadable(model, e);
        }
    }

    @Override
    public Map<String, String> metadata() {
        checkOpen();
        try {
            return Map.copyOf(session.getMetadata().getCustomMetadata());
        } catch (OrtException e) {
            throw new IllegalStateException(modelFile + ": cannot read the metadata", e);
        }
    }

    /** Why {@link ExecutionProvider#AUTO} picked the provider it did; empty for other choices. */
    public Optional<String> providerNote() {
        return providerNote;
    }

    /** The intra-op thread count of the session. */
    public int threads() {
        return threads;
    }

    /** The session's graph optimisation level. */
    public GraphOptimization optimization() {
        return optimization;
    }

    /**
     * What {@link GraphOptimization#ALL} did to the shifts on CPU, e.g. {@code 15 of 16 shifts on
     * 16-channel blocks, 16 residual adds fused}; empty where it had nothing to do.
     */
    public Optional<String> layoutNote() {
        return layoutNote;
    }

    @Override
    public Path modelFile() {
        return modelFile;
    }

    @Override
    public String provider() {
        return provider.cliName();
    }

    @Override
    public String description() {
        return String.format(
                Locale.ROOT,
                "ONNX Runtime %s, %s, %d intra-op threads, optimisation %s%s",
                environment.getVersion(),
                provider.cliName(),
                threads,
                optimization.cliName(),
                layoutNote.map(note -> " (" + note + ")").orElse(""));
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputs;
    }

    @Override
    public TensorSpec output() {
        return output;
    }

    @Override
    public int maxBatch() {
        return Integer.MAX_VALUE;
    }

    @Override
    public float[] run(int batch, Map<String, FloatBuffer> values) {
        checkOpen();
        TensorSpec.checkBatch(inputs, batch, values);
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (TensorSpec input : inputs) {
                FloatBuffer buffer = values.get(input.name());
                // A direct buffer in native order is wrapped, not copied.
                feeds.put(
                        input.name(),
                        OnnxTensor.createTensor(environment, buffer, input.shape(batch)));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                FloatBuffer logits = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] out = new float[logits.remaining()];
                logits.get(out);
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException(
                    modelFile
                            + ": ONNX Runtime failed to run a batch of "
                            + batch
                            + ": "
                            + firstLine(e.getMessage()),
                    e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                logger.warn("closing the session of {} failed", modelFile, e);
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the backend of " + modelFile + " is closed");
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos, Path file, String what) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : infos.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)
                    || info.type != OnnxJavaType.FLOAT
                    || info.getShape().length < 1) {
                throw new IllegalArgumentException(
                        file
                                + ": "
                                + what
                                + " '"
                                + node.getName()
                                + "' is not a float tensor with"
                                + " a batch axis: "
                                + node.getInfo());
            }
            long[] shape = info.getShape();
            long[] sample = Arrays.copyOfRange(shape, 1, shape.length);
            if (shape[0] >= 0 || Arrays.stream(sample).anyMatch(d -> d < 1)) {
                throw new IllegalArgumentException(
                        file
                                + ": "
                                + what
                                + " '"
                                + node.getName()
                                + "' has shape "
                                + Arrays.toString(shape)
                                + "; expected a dynamic batch axis followed by fixed dimensions");
            }
            specs.add(new TensorSpec(node.getName(), Arrays.stream(sample).boxed().toList()));
        }
        return specs;
    }

    private static void checkFile(Path model) {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException(
                    model + ": " + (Files.exists(model) ? "not a regular file" : "no such file"));
        }
    }

    private static IllegalArgumentException notLoadable(Path model, OrtException e) {
        return new IllegalArgumentException(
                model + ": ONNX Runtime cannot load it: " + firstLine(e.getMessage()), e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    /** Builds an {@link OrtBackend}. */
    public static final class Builder {
        private Path model;
        private byte[] bytes;
        private OrtEnvironment environment;
        private ExecutionProvider provider = ExecutionProvider.CPU;
        private Integer threads;
        private GraphOptimization optimization = GraphOptimization.DEFAULT;
        private SessionCustomiser customiser = options -> {};
        private int device;

        private Builder() {}

        /** Sets the {@code .onnx} file (required). */
        public Builder setModel(Path model) {
            this.model = model;
            return this;
        }

        /**
         * Runs a serialised model that is not (yet) a file, e.g. an export before it is installed;
         * replaces {@link #setModel}.
         *
         * @param bytes the ONNX model, only read
         * @param name what messages and {@link OrtBackend#modelFile()} call it
         */
        public Builder setModel(byte[] bytes, Path name) {
            this.bytes = Objects.requireNonNull(bytes, "bytes");
            this.model = name;
            return this;
        }

        /** Sets the environment, which the caller owns (required). */
        public Builder setEnvironment(OrtEnvironment environment) {
            this.environment = environment;
            return this;
        }

        /** Sets the execution provider; {@link ExecutionProvider#CPU} by default. */
        public Builder optProvider(ExecutionProvider provider) {
            this.provider = provider;
            return this;
        }

        /** Sets the intra-op thread count; the number of available cores by default. */
        public Builder optIntraOpThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Sets the graph optimisation level; {@link GraphOptimization#DEFAULT} by default. */
        public Builder optOptimization(GraphOptimization optimization) {
            this.optimization = optimization;
            return this;
        }

        /** Applies {@code customiser} to the session options last; for measurements. */
        public Builder optCustomiser(SessionCustomiser customiser) {
            this.customiser = Objects.requireNonNull(customiser, "customiser");
            return this;
        }

        /** Sets the GPU for CUDA and TensorRT; 0 by default. */
        public Builder optDevice(int device) {
            this.device = device;
            return this;
        }

        /**
         * Creates the session.
         *
         * @throws IllegalArgumentException naming the file if it is missing or not a loadable ONNX
         *     model, or for a thread count below 1
         * @throws BackendUnavailableException if the provider cannot run here
         */
        public OrtBackend build() {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(optimization, "optimization");
            int intraOp = threads != null ? threads : Runtime.getRuntime().availableProcessors();
            if (intraOp < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + intraOp);
            }
            if (device < 0) {
                throw new IllegalArgumentException("the GPU device must be >= 0, got " + device);
            }
            if (bytes == null) {
                checkFile(model);
            }
            if (provider != ExecutionProvider.AUTO) {
                return open(provider, intraOp, Optional.empty());
            }
            try {
                return open(ExecutionProvider.CUDA, intraOp, Optional.of("auto picked cuda"));
            } catch (BackendUnavailableException e) {
                logger.debug("auto: CUDA is unavailable", e);
                return open(
                        ExecutionProvider.CPU,
                        intraOp,
                        Optional.of("auto picked cpu: " + e.getMessage()));
            }
        }

        private OrtBackend open(ExecutionProvider chosen, int intraOp, Optional<String> note) {
            boolean blockShifts =
                    chosen == ExecutionProvider.CPU && optimization == GraphOptimization.ALL;
            Path optimised = null;
            OrtSession session;
            try (OrtSession.SessionOptions options = options(optimization, intraOp)) {
                addProvider(options, chosen);
                if (blockShifts) {
                    optimised = Files.createTempFile("tsam-ort-optimised-", ".onnx");
                    options.setOptimizedModelFilePath(optimised.toString());
                    // ONNX Runtime warns that the saved graph is for this CPU only: it is.
                    options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
                }
                customiser.customise(options);
                session =
                        bytes != null
                                ? environment.createSession(bytes, options)
                                : environment.createSession(model.toString(), options);
            } catch (OrtException e) {
                deleteQuietly(optimised);
                if (chosen != ExecutionProvider.CPU && isProviderFailure(e)) {
                    throw unavailable(chosen, e);
                }
                throw notLoadable(model, e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary file", e);
            }
            Optional<String> layoutNote = Optional.empty();
            if (blockShifts) {
                try {
                    Optional<BlockedSession> blocked = blockedShifts(session, optimised, intraOp);
                    if (blocked.isPresent()) {
                        closeQuietly(session);
                        session = blocked.get().session();
                        layoutNote = Optional.of(blocked.get().summary());
                    }
                } finally {
                    deleteQuietly(optimised);
                }
            }
            try {
                return new OrtBackend(
                        environment,
                        session,
                        model,
                        chosen,
                        note,
                        intraOp,
                        optimization,
                        layoutNote);
            } catch (OrtException e) {
                closeQuietly(session);
                throw notLoadable(model, e);
            } catch (RuntimeException e) {
                closeQuietly(session);
                throw e;
            }
        }

        private OrtSession.SessionOptions options(GraphOptimization level, int intraOp)
                throws OrtException {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(level.ortLevel());
            options.setIntraOpNumThreads(intraOp);
            return options;
        }

        private record BlockedSession(OrtSession session, String summary) {}

        /**
         * ONNX Runtime's saved optimised graph with the shifts moved into the blocked layout, as a
         * session that runs it as it is; empty when there was nothing to move, or when its logits
         * on a seeded input differ from {@code plain}'s (then logged, and {@code plain} is used).
         */
        private Optional<BlockedSession> blockedShifts(
                OrtSession plain, Path optimised, int intraOp) {
            BlockedShiftRewrite.Result rewrite;
            try {
                rewrite =
                        BlockedShiftRewrite.rewrite(
                                BlockedShiftRewrite.read(optimised),
                                BlockedShiftRewrite.rowChannels());
            } catch (IOException | RuntimeException e) {
                logger.warn(
                        "{}: ONNX Runtime's optimised graph could not be read: {}",
                        model,
                        e.toString());
                return Optional.empty();
            }
            if (rewrite.moved() == 0) {
                return Optional.empty();
            }
            OrtSession blocked = null;
            try (OrtSession.SessionOptions options = options(GraphOptimization.NONE, intraOp)) {
                customiser.customise(options);
                blocked = environment.createSession(rewrite.model().toByteArray(), options);
                double difference = LayoutCheck.maxDifference(environment, plain, blocked);
                if (difference > LayoutCheck.TOLERANCE) {
                    logger.warn(
                            "{}: the shifts moved into ONNX Runtime's blocked layout change the logits by"
                                    + " {}; running ONNX Runtime's own graph",
                            model,
                            difference);
                    closeQuietly(blocked);
                    return Optional.empty();
                }
                logger.debug("{}: {}, logits within {}", model, rewrite.summary(), difference);
                return Optional.of(new BlockedSession(blocked, rewrite.summary()));
            } catch (OrtException | RuntimeException e) {
                if (blocked != null) {
                    closeQuietly(blocked);
                }
                logger.warn(
                        "{}: the shifts could not be moved into ONNX Runtime's blocked layout ({});"
                                + " running ONNX Runtime's own graph",
                        model,
                        firstLine(e.getMessage()));
                return Optional.empty();
            }
        }

        private static void deleteQuietly(Path file) {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    logger.debug("could not delete {}", file, e);
                }
            }
        }

        private void addProvider(OrtSession.SessionOptions options, ExecutionProvider chosen) {
            if (chosen == ExecutionProvider.CPU) {
                return;
            }
            OrtProvider needed =
                    chosen == ExecutionProvider.TENSORRT ? OrtProvider.TENSOR_RT : OrtProvider.CUDA;
            if (!OrtEnvironment.getAvailableProviders().contains(needed)) {
                throw new BackendUnavailableException(
                        "this ONNX Runtime build has no "
                                + (chosen == ExecutionProvider.TENSORRT ? "TensorRT" : "CUDA")
                                + " execution provider ("
                                + GPU_BUILD_HINT
                                + (chosen == ExecutionProvider.TENSORRT
                                        ? ", plus the TensorRT 10 libraries"
                                        : "")
                                + ")");
            }
            try {
                if (chosen == ExecutionProvider.TENSORRT) {
                    options.addTensorrt(device);
                }
                // TensorRT hands the nodes it does not take to CUDA rather than to the CPU.
                options.addCUDA(device);
            } catch (OrtException e) {
                throw unavailable(chosen, e);
            }
        }

        /** Whether a failed session start is the GPU provider's fault rather than the model's. */
        private static boolean isProviderFailure(OrtException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            return e.getCode() == OrtException.OrtErrorCode.ORT_EP_FAIL
                    || message.contains("cuda")
                    || message.contains("tensorrt");
        }

        private static BackendUnavailableException unavailable(
                ExecutionProvider chosen, OrtException e) {
            return new BackendUnavailableException(
                    "ONNX Runtime could not start its "
                            + (chosen == ExecutionProvider.TENSORRT ? "TensorRT" : "CUDA")
                            + " execution provider ("
                            + GPU_BUILD_HINT
                            + "): "
                            + firstLine(e.getMessage()),
                    e);
        }

        private static void closeQuietly(OrtSession session) {
            try {
                session.close();
            } catch (OrtException e) {
                logger.debug("closing a half-built session failed", e);
            }
        }
    }
}
