package io.tsam.backend.tensorrt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a serialised TensorRT engine is, kept beside it as {@code <name>.plan.json}: the engine only
 * runs on the GPU architecture and TensorRT version it was built with, for batches within its
 * profile, so a runtime reads this before loading the plan.
 *
 * <p>The JSON keys: {@code format_version} ({@value #FORMAT_VERSION}), {@code tensorrt_version},
 * {@code gpu}, {@code compute_capability}, {@code cuda_driver_version}, {@code
 * cuda_runtime_version}, {@code precision} ({@code fp32}, {@code fp16}, {@code int8}), {@code
 * profile} ({@code min}, {@code opt}, {@code max} of the batch), {@code inputs} and {@code outputs}
 * (each {@code name} and {@code shape}, {@code -1} for the batch), {@code onnx_sha256} (the model
 * it was built from), {@code plan_sha256} (the plan file's bytes), {@code calibration} (what an
 * INT8 engine was calibrated on, else {@code null}), {@code created} (ISO-8601 UTC) and, from
 * format 2, {@code metadata}: the ONNX model's {@code metadata_props} (the {@code tsam.*} keys), so
 * that the runtime runs the engine without the ONNX file. Format 1 sidecars read with no metadata.
 *
 * @param gpu the GPU and software it was built with
 * @param precision the precision it was allowed
 * @param profile the batch sizes it accepts
 * @param inputs the inputs, in the network's order
 * @param outputs the outputs, in the network's order
 * @param onnxSha256 the SHA-256 of the ONNX model it was built from
 * @param planSha256 the SHA-256 of the serialised engine
 * @param calibration what an INT8 engine was calibrated on
 * @param created when it was built
 * @param metadata the ONNX model's {@code metadata_props}; empty for a format 1 sidecar
 */
public record EngineInfo(
        GpuInfo gpu,
        TensorRtPrecision precision,
        BatchProfile profile,
        List<EngineTensor> inputs,
        List<EngineTensor> outputs,
        String onnxSha256,
        String planSha256,
        Optional<String> calibration,
        Instant created,
        Map<String, String> metadata) {

    /** The sidecar format this code writes. */
    public static final int FORMAT_VERSION = 2;

    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** Copies the lists and checks that nothing is missing. */
    public EngineInfo {
        Objects.requireNonNull(gpu, "gpu");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(profile, "profile");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(onnxSha256, "onnxSha256");
        Objects.requireNonNull(planSha256, "planSha256");
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(created, "created");
        metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /** The sidecar JSON, keys as in the class javadoc, pretty-printed. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("tensorrt_version", gpu.tensorRtVersion());
        root.put("gpu", gpu.name());
        root.put("compute_capability", gpu.computeCapability());
        root.put("cuda_driver_version", gpu.cudaDriverVersion());
        root.put("cuda_runtime_version", gpu.cudaRuntimeVersion());
        root.put("precision", precision.jsonName());
        ObjectNode batch = root.putObject("profile");
        batch.put("min", profile.min());
        batch.put("opt", profile.opt());
        batch.put("max", profile.max());
        writeTensors(root.putArray("inputs"), inputs);
        writeTensors(root.putArray("outputs"), outputs);
        root.put("onnx_sha256", onnxSha256);
        root.put("plan_sha256", planSha256);
        root.put("calibration", calibration.orElse(null));
        root.put("created", created.toString());
        ObjectNode props = root.putObject("metadata");
        metadata.forEach(props::put);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @param json the sidecar's text
     * @param source names the sidecar in messages
     * @throws IllegalArgumentException naming {@code source} and the key for malformed JSON, a
     *     missing key, a value of the wrong type or an unknown format version
     */
    public static EngineInfo parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    source + ": not JSON (" + e.getOriginalMessage() + ")", e);
        }
        Fields fields = new Fields(root, source);
        int version = fields.integer(root, "format_version");
        if (version != 1 && version != FORMAT_VERSION) {
            throw new IllegalArgumentException(
                    source
                            + ": format_version "
                            + version
                            + " is not one of the supported 1 and "
                            + FORMAT_VERSION);
        }
        Map<String, String> metadata = new TreeMap<>();
        if (version >= 2) {
            fields.object(root, "metadata")
                    .fields()
                    .forEachRemaining(
                            entry -> {
                                if (!entry.getValue().isTextual()) {
                                    throw fields.missing("metadata." + entry.getKey(), "a string");
                                }
                                metadata.put(entry.getKey(), entry.getValue().asText());
                            });
        }
        String[] capability = fields.text(root, "compute_capability").split("\\.", 2);
        GpuInfo gpu;
        try {
            gpu =
                    new GpuInfo(
                            fields.text(root, "gpu"),
                            Integer.parseInt(capability[0]),
                            Integer.parseInt(capability.length > 1 ? capability[1] : "0"),
                            fields.text(root, "cuda_driver_version"),
                            fields.text(root, "cuda_runtime_version"),
                            fields.text(root, "tensorrt_version"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    source + ": compute_capability must be MAJOR.MINOR such as 9.0", e);
        }
        JsonNode batch = fields.object(root, "profile");
        Instant created;
        try {
            created = Instant.parse(fields.text(root, "created"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    source + ": created must be an ISO-8601 instant such as 2025-01-31T12:00:00Z",
                    e);
        }
        JsonNode calibration = root.get("calibration");
        return new EngineInfo(
                gpu,
                TensorRtPrecision.fromJsonName(fields.text(root, "precision")),
                new BatchProfile(
                        fields.integer(batch, "min"),
                        fields.integer(batch, "opt"),
                        fields.integer(batch, "max")),
                fields.tensors("inputs"),
                fields.tensors("outputs"),
                fields.text(root, "onnx_sha256"),
                fields.text(root, "plan_sha256"),
                calibration == null || calibration.isNull()
                        ? Optional.empty()
                        : Optional.of(calibration.asText()),
                created,
                metadata);
    }

    private static void writeTensors(ArrayNode array, List<EngineTensor> tensors) {
        for (EngineTensor tensor : tensors) {
            ObjectNode node = array.addObject();
            node.put("name", tensor.name());
            ArrayNode shape = node.putArray("shape");
            tensor.shape().forEach(shape::add);
        }
    }

    /** Typed reads with messages that name the sidecar and the key. */
    private record Fields(JsonNode root, String source) {

        String text(JsonNode node, String key) {
            JsonNode value = node.get(key);
            if (value == null || !value.isTextual()) {
                throw missing(key, "a string");
            }
            return value.asText();
        }

        int integer(JsonNode node, String key) {
            JsonNode value = node.get(key);
            if (value == null || !value.canConvertToInt()) {
                throw missing(key, "an integer");
            }
            return value.asInt();
        }

        JsonNode object(JsonNode node, String key) {
            JsonNode value = node.get(key);
            if (value == null || !value.isObject()) {
                throw missing(key, "an object");
            }
            return value;
        }

        List<EngineTensor> tensors(String key) {
            JsonNode array = root.get(key);
            if (array == null || !array.isArray()) {
                throw missing(key, "a list of {name, shape}");
            }
            List<EngineTensor> tensors = new ArrayList<>();
            for (JsonNode node : array) {
                JsonNode shape = node.get("shape");
                if (shape == null || !shape.isArray()) {
                    throw missing(key + "[].shape", "a list of integers");
                }
                List<Long> dims = new ArrayList<>();
                shape.forEach(d -> dims.add(d.asLong()));
                tensors.add(new EngineTensor(text(node, "name"), dims));
            }
            return tensors;
        }

        IllegalArgumentException missing(String key, String expected) {
            return new IllegalArgumentException(source + ": " + key + " must be " + expected);
        }
    }
}
