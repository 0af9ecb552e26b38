package io.tsam.exporter.triton;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tsam.backend.tensorrt.BatchProfile;
import io.tsam.backend.tensorrt.EngineInfo;
import io.tsam.backend.tensorrt.EnginePlan;
import io.tsam.backend.tensorrt.EngineTensor;
import io.tsam.common.io.AtomicFile;
import io.tsam.common.io.FileTrees;
import io.tsam.config.ModelMetadata;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.onnx.TsamOnnxFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes an exported TSAM model into a Triton model repository:
 *
 * <pre>
 * &lt;repository&gt;/&lt;name&gt;/config.pbtxt
 * &lt;repository&gt;/&lt;name&gt;/labels.txt
 * &lt;repository&gt;/&lt;name&gt;/1/model.onnx   (or model.plan when a TensorRT engine is given)
 * </pre>
 *
 * <p>The inputs, output and labels come from the ONNX model itself (SPEC §5: {@code video} {@code
 * [N,T,3,H,W]}, {@code audio} {@code [N,3,H,W]}, {@code logits} {@code [N,classes]}, label names in
 * its metadata), so the config cannot disagree with the model; every {@code metadata_props} entry
 * becomes a string parameter, plus the engine's TensorRT version, precision, GPU and profile for a
 * plan. {@code max_batch_size} is the engine profile's max for a plan (smaller if asked), else
 * {@value #DEFAULT_MAX_BATCH}; the dynamic batcher prefers the profile's opt and max (a plan) or
 * half the max and the max (ONNX), leaving out 1, which would dispatch every request alone.
 *
 * <p>Version 1 is written as the user expects a re-export to behave: the same model again is
 * rewritten in place (config and labels refreshed); a different model already there, as the same or
 * the other format, is refused unless forced, because Triton may be serving it; when forced, it is
 * replaced and a model file of the other format in version 1 is removed so Triton cannot pick the
 * stale one. Other versions are left alone. Each file is written atomically, the model first.
 */
public final class TritonModelWriter {

    /** The config file's name. */
    public static final String CONFIG_FILE = "config.pbtxt";

    /** The label file's name. */
    public static final String LABELS_FILE = "labels.txt";

    /** Where a new model folder is written before it is renamed into the repository. */
    private static final String STAGING_PREFIX = ".tsam-staging-";

    /** Where the model folder it replaces goes until it is deleted. */
    private static final String RETIRED_PREFIX = ".tsam-retired-";

    /** The version folder written. */
    public static final String VERSION = "1";

    /** {@code max_batch_size} of an ONNX model unless asked otherwise. */
    public static final int DEFAULT_MAX_BATCH = 8;

    /** {@code max_queue_delay_microseconds} unless asked otherwise. */
    public static final long DEFAULT_QUEUE_DELAY_MICROS = 100;

    private static final int ONNX_FLOAT = TensorProto.DataType.FLOAT_VALUE;

    private final Path repository;
    private final byte[] model;
    private final TritonConfig config;
    private final List<String> labels;
    private final boolean force;

    private TritonModelWriter(
            Path repository,
            byte[] model,
            TritonConfig config,
            List<String> labels,
            boolean force) {
        this.repository = repository;
        this.model = model;
        this.config = config;
        this.labels = labels;
        this.force = force;
    }

    /** Returns a builder; the repository, the name and the ONNX model are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** What {@code config.pbtxt} will say. */
    public TritonConfig config() {
        return config;
    }

    /**
     * Writes the model folder.
     *
     * @return where everything went
     * @throws IllegalArgumentException if version 1 holds a different model and force is off
     * @throws IOException if a file cannot be read or written
     */
    public TritonModel write() throws IOException {
        Path directory = repository.resolve(config.name());
        Path version = directory.resolve(VERSION);
        for (TritonPlatform platform : TritonPlatform.values()) {
            Path existing = version.resolve(platform.modelFile());
            boolean same = platform == config.platform() && holds(existing, model);
            if (Files.exists(existing) && !same && !force) {
                throw new IllegalArgumentException(
                        existing
                                + " already holds a different model, which Triton may be"
                                + " serving; replace it with --force or choose another --name");
            }
        }
        Path parent = repository.toAbsolutePath().getParent();
        Files.createDirectories(repository);
        removeLeftovers(parent, directory);
        // Built beside the repository, where Triton does not look, then swapped in by renames:
        // whatever the moment of a crash, the model folder is the old one, the new one or absent,
        // never a new model under an old config.
        String unique = config.name() + "." + UUID.randomUUID();
        Path staged = parent.resolve(STAGING_PREFIX + unique);
        try {
            stage(staged, directory);
            Path old = parent.resolve(RETIRED_PREFIX + unique);
            boolean replacing = Files.exists(directory);
            if (replacing) {
                Files.move(directory, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staged, directory, StandardCopyOption.ATOMIC_MOVE);
            AtomicFile.syncDirectory(repository);
            if (replacing) {
                FileTrees.delete(old);
            }
        } finally {
            FileTrees.delete(staged);
        }
        return new TritonModel(
                directory,
                directory.resolve(CONFIG_FILE),
                version.resolve(config.platform().modelFile()),
                directory.resolve(LABELS_FILE),
                config);
    }

    /**
     * Writes the new model folder at {@code staged}: version 1 with the model alone, the labels,
     * the config, and hard links to every other file of the current folder (other versions), so
     * that nothing else changes.
     */
    private void stage(Path staged, Path current) throws IOException {
        Path version = staged.resolve(VERSION);
        Files.createDirectories(version);
        if (Files.isDirectory(current)) {
            try (Stream<Path> files = Files.walk(current)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path relative = current.relativize(file);
                    boolean replaced =
                            relative.getNameCount() == 1
                                    || relative.getName(0).toString().equals(VERSION);
                    if (!replaced) {
                        Path target = staged.resolve(relative);
                        Files.createDirectories(target.getParent());
                        Files.createLink(target, file);
                    }
                }
            }
        }
        AtomicFile.write(version.resolve(config.platform().modelFile()), model);
        AtomicFile.write(
                staged.resolve(LABELS_FILE),
                labels.stream()
                        .map(label -> label + "\n")
                        .collect(Collectors.joining())
                        .getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(
                staged.resolve(CONFIG_FILE), config.toPbtxt().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deletes what a crashed write of this model left beside the repository: staged folders, and
     * retired ones once the model folder is back in place (until then a retired folder is the last
     * copy of the old model).
     */
    private void removeLeftovers(Path parent, Path directory) throws IOException {
        String staging = STAGING_PREFIX + config.name() + ".";
        String retired = RETIRED_PREFIX + config.name() + ".";
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path sibling : siblings.toList()) {
                String name = sibling.getFileName().toString();
                if (name.startsWith(staging)
                        || (name.startsWith(retired) && Files.isDirectory(directory))) {
                    FileTrees.delete(sibling);
                }
            }
        }
    }

    private static boolean holds(Path file, byte[] bytes) throws IOException {
        return Files.isRegularFile(file)
                && Files.size(file) == bytes.length
                && Arrays.equals(Files.readAllBytes(file), bytes);
    }

    /** Builds a {@link TritonModelWriter}. */
    public static final class Builder {

        private Path repository;
        private String name;
        private byte[] onnx;
        private EnginePlan engine;
        private Integer maxBatch;
        private boolean gpu;
        private long queueDelayMicros = DEFAULT_QUEUE_DELAY_MICROS;
        private boolean force;

        private Builder() {}

        /** Sets the model repository folder (required); it is created if needed. */
        public Builder setRepository(Path repository) {
            this.repository = repository;
            return this;
        }

        /** Sets the model name, its folder in the repository (required). */
        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        /** Sets the exported ONNX model (required): the model served, unless an engine is given. */
        public Builder setOnnx(byte[] onnx) {
            this.onnx = onnx;
            return this;
        }

        /** Serves this TensorRT engine, built from the ONNX model, instead of the ONNX model. */
        public Builder optEngine(EnginePlan engine) {
            this.engine = engine;
            return this;
        }

        /**
         * Sets {@code max_batch_size}; by default the engine profile's max, else {@value
         * #DEFAULT_MAX_BATCH}.
         */
        public Builder optMaxBatch(int maxBatch) {
            this.maxBatch = maxBatch;
            return this;
        }

        /** Runs an ONNX model on the GPU ({@code KIND_GPU}); off by default. Plans always are. */
        public Builder optGpu(boolean gpu) {
            this.gpu = gpu;
            return this;
        }

        /** Sets {@code max_queue_delay_microseconds}; {@value #DEFAULT_QUEUE_DELAY_MICROS}. */
        public Builder optQueueDelayMicros(long queueDelayMicros) {
            this.queueDelayMicros = queueDelayMicros;
            return this;
        }

        /** Replaces a different model already in version 1; off by default. */
        public Builder optForce(boolean force) {
            this.force = force;
            return this;
        }

        /**
         * Reads the ONNX model and returns the writer; nothing is written yet.
         *
         * @throws NullPointerException if a required value is missing
         * @throws IllegalArgumentException if the name is not a safe folder name, the ONNX model is
         *     not a TSAM model, the engine was built from another model, or the max batch does not
         *     fit the engine's profile
         */
        public TritonModelWriter build() {
            Objects.requireNonNull(repository, "TritonModelWriter needs setRepository");
            Objects.requireNonNull(onnx, "TritonModelWriter needs setOnnx");
            TritonConfig.checkName(name);
            ModelProto proto;
            try {
                proto = ModelProto.parseFrom(onnx);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
            }
            Set<String> initializers =
                    proto.getGraph().getInitializerList().stream()
                            .map(TensorProto::getName)
                            .collect(Collectors.toSet());
            List<TritonTensor> inputs = new ArrayList<>();
            for (ValueInfoProto input : proto.getGraph().getInputList()) {
                if (!initializers.contains(input.getName())) {
                    inputs.add(tensor(input));
                }
            }
            List<ValueInfoProto> outputs = proto.getGraph().getOutputList();
            if (outputs.size() != 1) {
                throw new IllegalArgumentException(
                        "a TSAM model has one output ("
                                + TsamOnnxFormat.LOGITS
                                + "), this one has "
                                + outputs.size());
            }
            TritonTensor output = tensor(outputs.get(0));
            Map<String, String> metadata = new LinkedHashMap<>();
            for (StringStringEntryProto entry : proto.getMetadataPropsList()) {
                metadata.put(entry.getKey(), entry.getValue());
            }
            List<String> labels = labels(metadata, output);
            if (engine != null) {
                checkEngine(inputs);
            }
            int batch = maxBatch();
            Map<String, String> parameters = new LinkedHashMap<>(metadata);
            // What a client must compute to feed the model, without parsing the config JSON.
            TsamConfig tsam = ModelMetadata.parse(metadata, null).config();
            parameters.put("tsam.shift_style", tsam.shiftTemporal().style().jsonName());
            parameters.put("tsam.input_profile", tsam.dataAugmentation().profile().jsonName());
            parameters.put("tsam.clip_average", tsam.modelValidation().average().jsonName());
            if (engine != null) {
                EngineInfo info = engine.info();
                parameters.put("tensorrt.version", info.gpu().tensorRtVersion());
                parameters.put("tensorrt.precision", info.precision().jsonName());
                parameters.put("tensorrt.gpu", info.gpu().name());
                parameters.put("tensorrt.compute_capability", info.gpu().computeCapability());
                parameters.put("tensorrt.profile", info.profile().toString());
            }
            TritonConfig config =
                    new TritonConfig(
                            name,
                            engine != null
                                    ? TritonPlatform.TENSORRT_PLAN
                                    : TritonPlatform.ONNXRUNTIME_ONNX,
                            batch,
                            inputs,
                            output,
                            LABELS_FILE,
                            preferred(batch),
                            queueDelayMicros,
                            engine != null || gpu,
                            parameters);
            return new TritonModelWriter(
                    repository, engine != null ? engine.bytes() : onnx, config, labels, force);
        }

        private int maxBatch() {
            if (engine == null) {
                int batch = maxBatch == null ? DEFAULT_MAX_BATCH : maxBatch;
                if (batch < 1) {
                    throw new IllegalArgumentException("--max-batch must be >= 1, got " + batch);
                }
                return batch;
            }
            BatchProfile profile = engine.info().profile();
            int batch = maxBatch == null ? profile.max() : maxBatch;
            if (batch < 1 || batch > profile.max()) {
                throw new IllegalArgumentException(
                        "--max-batch "
                                + batch
                                + " does not fit the engine, which runs batches of "
                                + profile.min()
                                + " to "
                                + profile.max()
                                + " (--batch "
                                + profile
                                + ")");
            }
            return batch;
        }

        private List<Integer> preferred(int batch) {
            Set<Integer> sizes = new TreeSet<>();
            if (engine != null) {
                sizes.add(Math.min(engine.info().profile().opt(), batch));
            } else {
                sizes.add(batch / 2);
            }
            sizes.add(batch);
            sizes.removeIf(size -> size < 2);
            return List.copyOf(sizes);
        }

        private void checkEngine(List<TritonTensor> inputs) {
            EngineInfo info = engine.info();
            String onnxSha256 = EnginePlan.sha256(onnx);
            if (!info.onnxSha256().equals(onnxSha256)) {
                throw new IllegalArgumentException(
                        "the engine was built from the ONNX model with SHA-256 "
                                + info.onnxSha256()
                                + ", not from this one ("
                                + onnxSha256
                                + ")");
            }
            List<String> onnxInputs = inputs.stream().map(TritonTensor::name).sorted().toList();
            List<String> engineInputs =
                    info.inputs().stream().map(EngineTensor::name).sorted().toList();
            if (!onnxInputs.equals(engineInputs)) {
                throw new IllegalArgumentException(
                        "the engine's inputs "
                                + engineInputs
                                + " are not the model's "
                                + onnxInputs);
            }
        }

        /** The model's tensor without its batch dimension, which must be symbolic. */
        private static TritonTensor tensor(ValueInfoProto value) {
            if (value.getType().getTensorType().getElemType() != ONNX_FLOAT) {
                throw new IllegalArgumentException(
                        "tensor '" + value.getName() + "' is not float32; TSAM models are");
            }
            List<TensorShapeProto.Dimension> dims =
                    value.getType().getTensorType().getShape().getDimList();
            if (dims.isEmpty() || dims.get(0).hasDimValue()) {
                throw new IllegalArgumentException(
                        "tensor '"
                                + value.getName()
                                + "' has no symbolic batch dimension; Triton batching needs one");
            }
            List<Long> rest = new ArrayList<>();
            for (TensorShapeProto.Dimension dim : dims.subList(1, dims.size())) {
                if (!dim.hasDimValue()) {
                    throw new IllegalArgumentException(
                            "tensor '"
                                    + value.getName()
                                    + "' has a symbolic dimension besides the batch: "
                                    + dim.getDimParam());
                }
                rest.add(dim.getDimValue());
            }
            return new TritonTensor(value.getName(), rest);
        }

        /** The class names of the metadata (SPEC §5), else "0", "1", ... for every logit. */
        private static List<String> labels(Map<String, String> metadata, TritonTensor output) {
            long classes = output.dims().stream().reduce(1L, (a, b) -> a * b);
            String json = metadata.get(TsamOnnxFormat.LABELS);
            List<String> labels = new ArrayList<>();
            if (json == null) {
                for (long i = 0; i < classes; i++) {
                    labels.add(Long.toString(i));
                }
                return labels;
            }
            try {
                JsonNode names = JsonMapper.builder().build().readTree(json);
                names.forEach(node -> labels.add(node.asText()));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        TsamOnnxFormat.LABELS + " is not a JSON list: " + e.getOriginalMessage(),
                        e);
            }
            if (labels.size() != classes) {
                throw new IllegalArgumentException(
                        TsamOnnxFormat.LABELS
                                + " names "
                                + labels.size()
                                + " classes but the output has "
                                + classes);
            }
            for (String label : labels) {
                if (label.contains("\n") || label.contains("\r")) {
                    throw new IllegalArgumentException(
                            "label '"
                                    + label.replace("\n", "\\n").replace("\r", "\\r")
                                    + "' spans lines; labels.txt holds one label a line");
                }
            }
            return labels;
        }
    }
}
