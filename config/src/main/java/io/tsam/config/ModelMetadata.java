package io.tsam.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a TSAM ONNX file promises its readers (SPEC §5), shared by the exporter that writes it and
 * the runtime that reads it: the names of the graph's inputs and output and the {@code
 * metadata_props}, so that a runtime needs nothing but the file.
 *
 * <p>Inputs: {@value #VIDEO_INPUT} float32 {@code [N, T, 3, H, W]} and, when {@code audio_segments
 * = 1}, {@value #AUDIO_INPUT} float32 {@code [N, 3, H, W]}; output {@value #LOGITS_OUTPUT} float32
 * {@code [N, classes]}. {@code N} is the symbolic dimension {@value #BATCH_DIM}; {@code H = W =
 * crop_size}.
 *
 * <p>Metadata (every value a string), in this order:
 *
 * <ul>
 *   <li>{@value #FORMAT_VERSION_KEY}: {@value #FORMAT_VERSION}, bumped when a key changes meaning;
 *   <li>{@value #LABELS_KEY}: a JSON list of the class names in logit order ({@code "0"}, {@code
 *       "1"}, ... without a label file);
 *   <li>{@value #CONFIG_KEY}: the model file as {@link TsamConfig#toJson()} writes it, every key;
 *   <li>{@value #PREPROCESSING_KEY}: {@link Preprocessing#toJson()};
 *   <li>{@value #CHECKPOINT_SHA256_KEY}: the SHA-256 of the checkpoint file the weights came from,
 *       64 lower-case hex digits.
 * </ul>
 *
 * @param config the model file the network was built from
 * @param labels one name per class, in logit order
 * @param preprocessing how inputs are built; agrees with {@code config}
 * @param checkpointSha256 the source checkpoint's SHA-256
 */
public record ModelMetadata(
        TsamConfig config,
        LabelNames labels,
        Preprocessing preprocessing,
        String checkpointSha256) {

    /** The video input. */
    public static final String VIDEO_INPUT = "video";

    /** The audio input, present iff {@code audio_segments = 1}. */
    public static final String AUDIO_INPUT = "audio";

    /** The output. */
    public static final String LOGITS_OUTPUT = "logits";

    /** The symbolic batch dimension. */
    public static final String BATCH_DIM = "N";

    /** The metadata key of the format version. */
    public static final String FORMAT_VERSION_KEY = "tsam.format_version";

    /**
     * The format version written: 2 added the shift style, clip average and preprocessing profile
     * to the stored config.
     */
    public static final String FORMAT_VERSION = "2";

    /**
     * The versions read. A version-1 file predates the keys of version 2 and is read as what it was
     * computed with ({@link TsamConfig#parseStored}).
     */
    private static final List<String> READABLE_VERSIONS = List.of("1", FORMAT_VERSION);

    /** The metadata key of the class names. */
    public static final String LABELS_KEY = "tsam.labels";

    /** The metadata key of the model config. */
    public static final String CONFIG_KEY = "tsam.config";

    /** The metadata key of the preprocessing parameters. */
    public static final String PREPROCESSING_KEY = "tsam.preprocessing";

    /** The metadata key of the source checkpoint's SHA-256. */
    public static final String CHECKPOINT_SHA256_KEY = "tsam.checkpoint_sha256";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * Checks that the parts agree.
     *
     * @throws IllegalArgumentException if the preprocessing disagrees with the config or the
     *     checksum is not 64 lower-case hex digits
     */
    public ModelMetadata {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(checkpointSha256, "checkpointSha256");
        List<String> problems = preprocessing.disagreementsWith(config);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    PREPROCESSING_KEY
                            + " disagrees with "
                            + CONFIG_KEY
                            + ": "
                            + String.join("; ", problems));
        }
        if (!SHA256.matcher(checkpointSha256).matches()) {
            throw new IllegalArgumentException(
                    CHECKPOINT_SHA256_KEY
                            + ": expected 64 lower-case hex digits, got "
                            + ConfigException.render(checkpointSha256));
        }
    }

    /**
     * Reads a model's {@code metadata_props}.
     *
     * @param properties the model's metadata, key to value
     * @param file the model file, for messages (may be null)
     * @return the metadata
     * @throws ConfigException naming the file and the key that is missing, of another format
     *     version, or not valid; a file without {@value #CONFIG_KEY} is "not a TSAM model"
     */
    public static ModelMetadata parse(Map<String, String> properties, Path file) {
        if (!properties.containsKey(CONFIG_KEY)) {
            throw ConfigException.ofFile(
                    file,
                    "not a TSAM model: its metadata has no "
                            + CONFIG_KEY
                            + " (export the checkpoint with tsam-export)",
                    null);
        }
        String version = require(properties, FORMAT_VERSION_KEY, file);
        if (!READABLE_VERSIONS.contains(version)) {
            throw ConfigException.invalidValue(
                    file,
                    FORMAT_VERSION_KEY,
                    "expected one of \""
                            + String.join("\", \"", READABLE_VERSIONS)
                            + "\" (the versions this build reads; a newer tsam-run reads newer"
                            + " files)",
                    version);
        }
        TsamConfig config;
        try {
            config = TsamConfig.parseStored(require(properties, CONFIG_KEY, file), null);
        } catch (ConfigException e) {
            throw ConfigException.ofFile(file, CONFIG_KEY + ": " + e.getMessage(), e);
        }
        LabelNames labels = parseLabels(require(properties, LABELS_KEY, file), file);
        Preprocessing preprocessing =
                Preprocessing.parse(require(properties, PREPROCESSING_KEY, file), file);
        try {
            return new ModelMetadata(
                    config,
                    labels,
                    preprocessing,
                    require(properties, CHECKPOINT_SHA256_KEY, file));
        } catch (IllegalArgumentException e) {
            throw ConfigException.ofFile(file, e.getMessage(), e);
        }
    }

    /** The {@code metadata_props} of a model, in the order of the class javadoc. */
    public Map<String, String> toProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(FORMAT_VERSION_KEY, FORMAT_VERSION);
        ArrayNode names = JsonNodeFactory.instance.arrayNode();
        labels.names().forEach(names::add);
        try {
            properties.put(LABELS_KEY, JSON.writeValueAsString(names));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
        properties.put(CONFIG_KEY, config.toJson());
        properties.put(PREPROCESSING_KEY, preprocessing.toJson());
        properties.put(CHECKPOINT_SHA256_KEY, checkpointSha256);
        return properties;
    }

    private static String require(Map<String, String> properties, String key, Path file) {
        String value = properties.get(key);
        if (value == null) {
            throw ConfigException.ofFile(file, "the model's metadata has no " + key, null);
        }
        return value;
    }

    /** One metadata value as a JSON tree; a syntax error names the file and the key. */
    static JsonNode readJson(String json, String key, Path file) {
        try {
            return ConfigJson.readTree(json, null);
        } catch (ConfigException e) {
            throw ConfigException.ofFile(file, key + ": " + e.getMessage(), e);
        }
    }

    private static LabelNames parseLabels(String json, Path file) {
        JsonNode list = readJson(json, LABELS_KEY, file);
        if (!list.isArray()) {
            throw ConfigException.invalidValue(
                    file, LABELS_KEY, "expected a JSON list of class names", list);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : list) {
            if (!name.isTextual()) {
                throw ConfigException.invalidValue(
                        file, LABELS_KEY, "expected a JSON list of strings", list);
            }
            names.add(name.textValue());
        }
        try {
            return new LabelNames(names);
        } catch (IllegalArgumentException e) {
            throw ConfigException.ofFile(file, LABELS_KEY + ": " + e.getMessage(), e);
        }
    }
}
