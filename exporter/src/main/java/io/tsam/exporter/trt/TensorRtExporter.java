package io.tsam.exporter.trt;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tsam.backend.tensorrt.BatchProfile;
import io.tsam.backend.tensorrt.EngineInfo;
import io.tsam.backend.tensorrt.EnginePlan;
import io.tsam.backend.tensorrt.EngineTensor;
import io.tsam.backend.tensorrt.GpuInfo;
import io.tsam.backend.tensorrt.GpuProbe;
import io.tsam.backend.tensorrt.TensorRtLogger;
import io.tsam.backend.tensorrt.TensorRtPrecision;
import io.tsam.common.io.AtomicFile;
import io.tsam.exporter.calibration.CalibrationSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.ITensor;
import org.bytedeco.tensorrt.nvinfer.ITimingCache;
import org.bytedeco.tensorrt.nvonnxparser.IParser;
import org.bytedeco.tensorrt.nvonnxparser.IParserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a TensorRT engine from an exported ONNX model: TensorRT's ONNX parser fills a network, one
 * optimisation profile gives the dynamic batch dimension {@code N} of every input its {@code
 * min/opt/max}, and the builder serialises the engine for the current GPU.
 *
 * <p>Precision: FP32 is TensorRT's default; FP16 adds {@code BuilderFlag.kFP16} and is refused on a
 * GPU without fast FP16; INT8 adds {@code BuilderFlag.kINT8} with an entropy calibration on a
 * {@link CalibrationSource}, run with a profile fixed at the calibration batch size, and keeps the
 * table in an optional {@link CalibrationCache}. A timing cache file, when given, is loaded if
 * present (and discarded with a warning if it was made on another GPU or TensorRT) and saved after
 * the build, which makes rebuilding on the same GPU much faster.
 *
 * <p>Every TensorRT object made here is closed before {@link #export()} returns (see the package
 * javadoc for what that frees). The weakly-typed precision flags used here are deprecated in recent
 * TensorRT 10 releases, which prefer strongly typed networks; they still work in 10.x and are what
 * FP16/INT8 of an FP32 ONNX model need.
 */
public final class TensorRtExporter {

    private static final Logger logger = LoggerFactory.getLogger(TensorRtExporter.class);

    private final byte[] onnx;
    private final GpuInfo gpu;
    private final TensorRtPrecision precision;
    private final BatchProfile profile;
    private final Optional<CalibrationSource> calibration;
    private final Optional<CalibrationCache> calibrationCache;
    private final Optional<Path> timingCache;

    private TensorRtExporter(Builder builder) {
        this.onnx = builder.onnx;
        this.gpu = builder.gpu;
        this.precision = builder.precision;
        this.profile = builder.profile;
        this.calibration = Optional.ofNullable(builder.calibration);
        this.calibrationCache = Optional.ofNullable(builder.calibrationCache);
        this.timingCache = Optional.ofNullable(builder.timingCache);
    }

    /** Returns a builder; the ONNX model and the GPU (from {@link GpuProbe}) are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds the engine.
     *
     * @return the serialised engine and its description
     * @throws IllegalArgumentException if TensorRT's parser rejects the model (every parser error
     *     listed), an input's batch dimension is not dynamic, the GPU lacks fast FP16/INT8 for the
     *     precision asked for, or the calibration data cannot be read
     * @throws IllegalStateException if TensorRT cannot build the engine, with its last errors
     * @throws IOException if a cache file cannot be read or written
     */
    public EnginePlan export() throws IOException {
        try (TensorRtLogger log = new TensorRtLogger();
                IBuilder builder = created(nvinfer.createInferBuilder(log), "a builder", log);
                // TensorRT 10 networks always have an explicit batch dimension: no flag needed,
                // and not kSTRONGLY_TYPED, which would forbid the FP16/INT8 builder flags.
                INetworkDefinition network =
                        created(builder.createNetworkV2(0), "a network definition", log);
                IParser parser = created(nvonnxparser.createParser(network, log), "a parser", log);
                IBuilderConfig config = created(builder.createBuilderConfig(), "a config", log);
                BytePointer model = new BytePointer(onnx)) {
            parse(parser, model);
            List<EngineTensor> inputs = inputs(network);
            List<EngineTensor> outputs = outputs(network);
            IOptimizationProfile batches = builder.createOptimizationProfile();
            setBatch(batches, inputs, profile.min(), profile.opt(), profile.max());
            if (config.addOptimizationProfile(batches) < 0) {
                throw new IllegalStateException(
                        "TensorRT refused the batch profile " + profile + ": " + log.lastErrors());
            }
            allowPrecision(builder, config);
            try (EntropyCalibrator calibrator = calibrate(builder, config, inputs);
                    ITimingCache timings = timingCache(config, log)) {
                byte[] plan;
                try {
                    plan = build(builder, network, config, log);
                } finally {
                    // A failed calibration batch fails the build too; its own error says more.
                    if (calibrator != null) {
                        calibrator.rethrowFailure();
                    }
                }
                if (timings != null) {
                    saveTimingCache(timings);
                }
                EngineInfo info =
                        new EngineInfo(
                                gpu,
                                precision,
                                profile,
                                inputs,
                                outputs,
                                EnginePlan.sha256(onnx),
                                EnginePlan.sha256(plan),
                                calibrationNote(calibrator),
                                Instant.now(),
                                metadataOf(onnx));
                return new EnginePlan(plan, info);
            }
        }
    }

    private static <T> T created(T object, String what, TensorRtLogger log) {
        if (object == null) {
            throw new IllegalStateException(
                    "TensorRT could not create " + what + ": " + log.lastErrors());
        }
        return object;
    }

    private static void parse(IParser parser, BytePointer model) {
        if (parser.parse(model, model.capacity())) {
            return;
        }
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < parser.getNbErrors(); i++) {
            IParserError error = parser.getError(i);
            errors.add(
                    "node "
                            + error.node()
                            + " "
                            + error.nodeName()
                            + " ("
                            + error.nodeOperator()
                            + "): "
                            + error.desc());
        }
        throw new IllegalArgumentException(
                "TensorRT's ONNX parser rejected the model ("
                        + errors.size()
                        + (errors.size() == 1 ? " error): " : " errors): ")
                        + String.join("; ", errors));
    }

    private static List<EngineTensor> inputs(INetworkDefinition network) {
        List<EngineTensor> inputs = new ArrayList<>();
        for (int i = 0; i < network.getNbInputs(); i++) {
            EngineTensor input = tensor(network.getInput(i));
            if (input.shape().isEmpty() || input.shape().get(0) != -1) {
                throw new IllegalArgumentException(
                        "input '"
                                + input.name()
                                + "' has shape "
                                + input.shape()
                                + "; a batch profile needs a dynamic first dimension (-1)");
            }
            for (int d = 1; d < input.shape().size(); d++) {
                if (input.shape().get(d) < 1) {
                    throw new IllegalArgumentException(
                            "input '"
                                    + input.name()
                                    + "' has shape "
                                    + input.shape()
                                    + "; only the batch dimension may be dynamic");
                }
            }
            inputs.add(input);
        }
        return inputs;
    }

    private static List<EngineTensor> outputs(INetworkDefinition network) {
        List<EngineTensor> outputs = new ArrayList<>();
        for (int i = 0; i < network.getNbOutputs(); i++) {
            outputs.add(tensor(network.getOutput(i)));
        }
        return outputs;
    }

    private static EngineTensor tensor(ITensor tensor) {
        try (Dims64 dims = tensor.getDimensions()) {
            List<Long> shape = new ArrayList<>();
            for (int d = 0; d < dims.nbDims(); d++) {
                shape.add(dims.d(d));
            }
            return new EngineTensor(tensor.getName(), shape);
        }
    }

    /** Sets every input's batch dimension to {@code min/opt/max} in {@code profile}. */
    private static void setBatch(
            IOptimizationProfile profile, List<EngineTensor> inputs, int min, int opt, int max) {
        for (EngineTensor input : inputs) {
            try (Dims64 minDims = input.toDims(min);
                    Dims64 optDims = input.toDims(opt);
                    Dims64 maxDims = input.toDims(max)) {
                boolean set =
                        profile.setDimensions(input.name(), OptProfileSelector.kMIN, minDims)
                                && profile.setDimensions(
                                        input.name(), OptProfileSelector.kOPT, optDims)
                                && profile.setDimensions(
                                        input.name(), OptProfileSelector.kMAX, maxDims);
                if (!set) {
                    throw new IllegalStateException(
                            "TensorRT refused the batch sizes "
                                    + min
                                    + ","
                                    + opt
                                    + ","
                                    + max
                                    + " for input '"
                                    + input.name()
                                    + "'");
                }
            }
        }
    }

    /** The ONNX model's {@code metadata_props}, which the engine's sidecar carries over. */
    private static Map<String, String> metadataOf(byte[] onnx) {
        try {
            Map<String, String> metadata = new LinkedHashMap<>();
            for (StringStringEntryProto entry : ModelProto.parseFrom(onnx).getMetadataPropsList()) {
                metadata.put(entry.getKey(), entry.getValue());
            }
            return metadata;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(
                    "the ONNX model does not parse: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("deprecation") // kFP16, platformHasFast*: see the class javadoc
    private void allowPrecision(IBuilder builder, IBuilderConfig config) {
        switch (precision) {
            case FP32 ->
                    // TensorRT allows TF32 by default; its 10-bit mantissa would make an "fp32"
                    // engine differ from ONNX Runtime by more than 1e-3.
                    config.clearFlag(BuilderFlag.kTF32);
            case FP16 -> {
                if (!builder.platformHasFastFp16()) {
                    throw new IllegalArgumentException(
                            "an fp16 engine needs fast FP16, which the GPU "
                                    + gpu.name()
                                    + " (compute capability "
                                    + gpu.computeCapability()
                                    + ") lacks; build an fp32 engine instead");
                }
                config.setFlag(BuilderFlag.kFP16);
            }
            case INT8 -> {
                if (!builder.platformHasFastInt8()) {
                    throw new IllegalArgumentException(
                            "an int8 engine needs fast INT8, which the GPU "
                                    + gpu.name()
                                    + " (compute capability "
                                    + gpu.computeCapability()
                                    + ") lacks; build an fp16 or fp32 engine instead");
                }
                // kINT8 is set with the calibrator.
            }
        }
    }

    /** Sets up INT8 calibration; the caller closes the calibrator, null for other precisions. */
    @SuppressWarnings("deprecation") // implicit INT8 calibration: see EntropyCalibrator
    private EntropyCalibrator calibrate(
            IBuilder builder, IBuilderConfig config, List<EngineTensor> inputs) {
        if (precision != TensorRtPrecision.INT8) {
            return null;
        }
        CalibrationSource source = calibration.orElseThrow();
        int batch = source.batchSize();
        IOptimizationProfile fixed = builder.createOptimizationProfile();
        setBatch(fixed, inputs, batch, batch, batch);
        EntropyCalibrator calibrator = new EntropyCalibrator(source, inputs, calibrationCache);
        config.setFlag(BuilderFlag.kINT8);
        if (!config.setCalibrationProfile(fixed)) {
            calibrator.close();
            throw new IllegalStateException("TensorRT refused the calibration batch size " + batch);
        }
        config.setInt8Calibrator(calibrator);
        return calibrator;
    }

    /** The timing cache to build with, from the file if it fits this GPU; null without a file. */
    private ITimingCache timingCache(IBuilderConfig config, TensorRtLogger log) throws IOException {
        if (timingCache.isEmpty()) {
            return null;
        }
        Path file = timingCache.get();
        if (Files.isRegularFile(file)) {
            byte[] previous = Files.readAllBytes(file);
            try (BytePointer blob = new BytePointer(previous)) {
                ITimingCache loaded = config.createTimingCache(blob, previous.length);
                if (loaded != null && config.setTimingCache(loaded, false)) {
                    logger.info("using the timing cache {}", file);
                    return loaded;
                }
                if (loaded != null) {
                    loaded.close();
                }
            }
            logger.warn(
                    "the timing cache {} is unreadable or from another GPU or TensorRT; starting a"
                            + " new one",
                    file);
        }
        ITimingCache fresh = created(config.createTimingCache(null, 0), "a timing cache", log);
        if (!config.setTimingCache(fresh, false)) {
            fresh.close();
            throw new IllegalStateException(
                    "TensorRT refused a new timing cache: " + log.lastErrors());
        }
        return fresh;
    }

    private void saveTimingCache(ITimingCache timings) throws IOException {
        try (IHostMemory serialized = timings.serialize()) {
            if (serialized == null) {
                logger.warn(
                        "TensorRT did not serialise the timing cache; {} is unchanged",
                        timingCache.get());
                return;
            }
            AtomicFile.write(timingCache.get(), bytes(serialized));
        }
    }

    private static byte[] build(
            IBuilder builder,
            INetworkDefinition network,
            IBuilderConfig config,
            TensorRtLogger log) {
        try (IHostMemory plan = builder.buildSerializedNetwork(network, config)) {
            if (plan == null || plan.size() == 0) {
                throw new IllegalStateException(
                        "TensorRT could not build the engine: " + log.lastErrors());
            }
            return bytes(plan);
        }
    }

    private static byte[] bytes(IHostMemory memory) {
        byte[] bytes = new byte[Math.toIntExact(memory.size())];
        try (BytePointer data = new BytePointer(memory.data())) {
            data.capacity(memory.size()).get(bytes);
        }
        return bytes;
    }

    private Optional<String> calibrationNote(EntropyCalibrator calibrator) {
        if (calibrator == null) {
            return Optional.empty();
        }
        String source = calibration.orElseThrow().description();
        if (calibrator.tableRead()) {
            return Optional.of(
                    source + "; table read from " + calibrationCache.orElseThrow().file());
        }
        return Optional.of(source + "; " + calibrator.batches() + " batches used");
    }

    /** Builds a {@link TensorRtExporter}. */
    public static final class Builder {

        private byte[] onnx;
        private GpuInfo gpu;
        private TensorRtPrecision precision = TensorRtPrecision.FP32;
        private BatchProfile profile = BatchProfile.DEFAULT;
        private CalibrationSource calibration;
        private CalibrationCache calibrationCache;
        private Path timingCache;

        private Builder() {}

        /** Sets the serialised ONNX model (required); it is only read. */
        public Builder setOnnx(byte[] onnx) {
            this.onnx = onnx;
            return this;
        }

        /** Sets the GPU, as {@link GpuProbe#probe()} found it (required). */
        public Builder setGpu(GpuInfo gpu) {
            this.gpu = gpu;
            return this;
        }

        /** Sets the precision; {@link TensorRtPrecision#FP32} by default. */
        public Builder optPrecision(TensorRtPrecision precision) {
            this.precision = precision;
            return this;
        }

        /** Sets the batch sizes; {@link BatchProfile#DEFAULT} by default. */
        public Builder optProfile(BatchProfile profile) {
            this.profile = profile;
            return this;
        }

        /** Sets the calibration data; required for, and only allowed with, INT8. */
        public Builder optCalibration(CalibrationSource calibration) {
            this.calibration = calibration;
            return this;
        }

        /** Sets where the INT8 calibration table is kept; none by default. */
        public Builder optCalibrationCache(CalibrationCache calibrationCache) {
            this.calibrationCache = calibrationCache;
            return this;
        }

        /** Sets the timing cache file, loaded if present and saved after the build. */
        public Builder optTimingCache(Path timingCache) {
            this.timingCache = timingCache;
            return this;
        }

        /**
         * Returns the exporter.
         *
         * @throws NullPointerException if a required value is missing
         * @throws IllegalArgumentException if the model is empty, or calibration data is missing
         *     for INT8 or given for another precision
         */
        public TensorRtExporter build() {
            Objects.requireNonNull(onnx, "TensorRtExporter needs setOnnx");
            Objects.requireNonNull(gpu, "TensorRtExporter needs setGpu");
            Objects.requireNonNull(precision, "precision");
            Objects.requireNonNull(profile, "profile");
            if (onnx.length == 0) {
                throw new IllegalArgumentException("the ONNX model is empty");
            }
            boolean int8 = precision == TensorRtPrecision.INT8;
            if (int8 && calibration == null) {
                throw new IllegalArgumentException(
                        "an int8 engine needs calibration data (optCalibration)");
            }
            if (!int8 && (calibration != null || calibrationCache != null)) {
                throw new IllegalArgumentException(
                        "calibration data is only used for int8 engines, not "
                                + precision.jsonName());
            }
            return new TensorRtExporter(this);
        }
    }
}
