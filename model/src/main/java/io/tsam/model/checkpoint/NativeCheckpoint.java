package io.tsam.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.LabelNames;
import io.tsam.config.TsamConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The native checkpoint (SPEC §4): {@code <name>.safetensors} holding the weights under their
 * PyTorch names in the TSM layout, and the JSON sidecar {@code <name>.json} holding the model
 * config, label names, epoch and metrics; optionally an optimizer state {@code
 * <name>.optim.safetensors} and a trainer state.
 *
 * <p>The weights are written as float32, plus an int64 0-d {@code num_batches_tracked} after every
 * BatchNorm's {@code running_var}, so that PyTorch's {@code load_state_dict(strict=True)} on a TSM
 * model accepts the file as it is. Its value is 0: PyTorch reads it only for a BatchNorm whose
 * momentum is None (a cumulative average), which TSM never uses.
 *
 * <p>Each file is written atomically ({@link AtomicFile}: temporary sibling, fsync, rename), the
 * tensor files first and the sidecar last, so a crash never leaves a sidecar describing a
 * half-written tensor file. The sidecar records each tensor file's SHA-256, so that a crash between
 * replacing the weights and replacing the sidecar (an old sidecar beside new weights) is detected
 * when the weights are read.
 *
 * <p>Sidecar keys: {@code format} ({@value #FORMAT}), {@code format_version}, {@code
 * weights_sha256}, {@code epoch}, {@code classes}, {@code labels}, {@code metrics}, optionally
 * {@code optimizer_state} (file name, beside the sidecar) and {@code optimizer_state_sha256},
 * optionally {@code trainer_state}, and {@code config} (the model file, every key written).
 */
public final class NativeCheckpoint {
    /** The sidecar layout this class writes and the only one it reads. */
    public static final int FORMAT_VERSION = 1;

    /** The sidecar's {@code format} value. */
    public static final String FORMAT = "tsam-checkpoint";

    private static final String EXTENSION = ".safetensors";
    private static final String OPTIMIZER_EXTENSION = ".optim.safetensors";
    private static final String SIDECAR_EXTENSION = ".json";
    private static final String RUNNING_VAR = ".running_var";
    private static final String BATCHES = ".num_batches_tracked";
    private static final String HEAD_WEIGHT = "new_fc.weight";

    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .build();

    private NativeCheckpoint() {}

    /**
     * Writes a checkpoint: the weights, then the optimizer state if any, then the sidecar, each
     * atomically. An optimizer state left by an earlier save under the same name is deleted when
     * {@code optimizerState} is empty. The arrays are only read.
     *
     * @param weightsFile the weights file, {@code <name>.safetensors}
     * @param info what the sidecar says
     * @param weights PyTorch name to parameter or running statistic, in the model's order
     * @param optimizerState any named tensors the trainer wants back on resume; empty for none
     * @throws IllegalArgumentException if the name does not end in {@code .safetensors}, there are
     *     no weights, or {@code new_fc.weight} has not one row per label
     * @throws IOException if a file cannot be written
     */
    public static void write(
            Path weightsFile,
            CheckpointInfo info,
            Map<String, NDArray> weights,
            Map<String, NDArray> optimizerState)
            throws IOException {
        checkName(weightsFile);
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("no weights to write to " + weightsFile);
        }
        NDArray head = weights.get(HEAD_WEIGHT);
        if (head != null && head.getShape().get(0) != info.classes()) {
            throw new IllegalArgumentException(
                    HEAD_WEIGHT
                            + " has "
                            + head.getShape().get(0)
                            + " rows but there are "
                            + info.classes()
                            + " labels; the head needs one row per label");
        }
        ObjectNode sidecar = JSON.createObjectNode();
        sidecar.put("format", FORMAT);
        sidecar.put("format_version", FORMAT_VERSION);
        try (NDManager scope = weights.values().iterator().next().getManager().newSubManager()) {
            sidecar.put(
                    "weights_sha256", writeHashed(weightsFile, withBatchCounters(weights, scope)));
        }
        sidecar.put("epoch", info.epoch());
        sidecar.put("classes", info.classes());
        info.labels().names().forEach(sidecar.putArray("labels")::add);
        ObjectNode metrics = sidecar.putObject("metrics");
        info.metrics().forEach(metrics::put);
        Path optimizerFile = optimizerStateOf(weightsFile);
        if (!optimizerState.isEmpty()) {
            sidecar.put("optimizer_state", optimizerFile.getFileName().toString());
            sidecar.put("optimizer_state_sha256", writeHashed(optimizerFile, optimizerState));
        }
        info.trainerState().ifPresent(state -> sidecar.set("trainer_state", state));
        sidecar.set("config", JSON.readTree(info.config().toJson()));
        AtomicFile.write(sidecarOf(weightsFile), JSON.writeValueAsBytes(sidecar));
        if (optimizerState.isEmpty()) {
            Files.deleteIfExists(optimizerFile);
        }
    }

    /**
     * Reads the sidecar of a checkpoint; the weights are not read.
     *
     * @throws CheckpointException naming the sidecar if it is missing, unreadable or invalid
     */
    public static CheckpointInfo readInfo(Path weightsFile) {
        return Sidecar.read(sidecarOf(weightsFile)).info();
    }

    /**
     * Reads the weights of a checkpoint under their stored names (see {@link TensorFiles#read}),
     * after checking that they are the ones the sidecar describes. The arrays belong to {@code
     * manager}.
     *
     * @throws CheckpointException if the sidecar is missing or invalid, the weights are not the
     *     ones it describes, or they cannot be read
     */
    public static LinkedHashMap<String, NDArray> readWeights(Path weightsFile, NDManager manager) {
        Sidecar sidecar = Sidecar.read(sidecarOf(weightsFile));
        checkHash(weightsFile, sidecar.weightsSha256(), sidecarOf(weightsFile));
        return Safetensors.read(weightsFile, manager);
    }

    /**
     * Reads the optimizer state of a checkpoint, if it has one. The arrays belong to {@code
     * manager}.
     *
     * @throws CheckpointException if the sidecar is missing or invalid, or names an optimizer state
     *     that is missing, is not the one it describes, or cannot be read
     */
    public static Optional<LinkedHashMap<String, NDArray>> readOptimizerState(
            Path weightsFile, NDManager manager) {
        Path sidecarFile = sidecarOf(weightsFile);
        Sidecar sidecar = Sidecar.read(sidecarFile);
        if (sidecar.optimizerState().isEmpty()) {
            return Optional.empty();
        }
        Path file = sidecarFile.resolveSibling(sidecar.optimizerState().get());
        checkHash(file, sidecar.optimizerStateSha256(), sidecarFile);
        return Optional.of(Safetensors.read(file, manager));
    }

    /** The sidecar of a weights file: {@code <name>.json} beside {@code <name>.safetensors}. */
    public static Path sidecarOf(Path weightsFile) {
        return weightsFile.resolveSibling(stem(weightsFile) + SIDECAR_EXTENSION);
    }

    /** Where the optimizer state of a weights file goes: {@code <name>.optim.safetensors}. */
    public static Path optimizerStateOf(Path weightsFile) {
        return weightsFile.resolveSibling(stem(weightsFile) + OPTIMIZER_EXTENSION);
    }

    /**
     * The SHA-256 of a file's bytes, as 64 lower-case hex digits.
     *
     * @throws CheckpointException if the file cannot be read
     */
    public static String sha256(Path file) {
        MessageDigest digest = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void checkName(Path weightsFile) {
        String name = weightsFile.getFileName().toString();
        if (!name.endsWith(EXTENSION) || name.length() == EXTENSION.length()) {
            throw new IllegalArgumentException(
                    "a checkpoint's weights file must be named <name>"
                            + EXTENSION
                            + ", got "
                            + weightsFile);
        }
    }

    private static String stem(Path weightsFile) {
        checkName(weightsFile);
        String name = weightsFile.getFileName().toString();
        return name.substring(0, name.length() - EXTENSION.length());
    }

    /** Writes a safetensors file atomically; returns the SHA-256 of what was written. */
    private static String writeHashed(Path file, Map<String, NDArray> tensors) throws IOException {
        String[] hash = new String[1];
        AtomicFile.write(
                file,
                tmp -> {
                    Safetensors.writeTo(tmp, tensors);
                    hash[0] = sha256(tmp);
                });
        return hash[0];
    }

    /** The weights with a zero int64 {@code num_batches_tracked} after each BatchNorm. */
    private static Map<String, NDArray> withBatchCounters(
            Map<String, NDArray> weights, NDManager scope) {
        Map<String, NDArray> all = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> entry : weights.entrySet()) {
            all.put(entry.getKey(), entry.getValue());
            String name = entry.getKey();
            if (name.endsWith(RUNNING_VAR)) {
                String counter = name.substring(0, name.length() - RUNNING_VAR.length()) + BATCHES;
                if (!weights.containsKey(counter)) {
                    all.put(counter, scope.create(0L));
                }
            }
        }
        return all;
    }

    private static void checkHash(Path file, String expected, Path sidecarFile) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "is missing (named by " + sidecarFile + ")");
        }
        String actual = sha256(file);
        if (!actual.equals(expected)) {
            throw new CheckpointException(
                    file,
                    "is not the file "
                            + sidecarFile.getFileName()
                            + " describes (SHA-256 "
                            + actual
                            + ", recorded "
                            + expected
                            + "): it was replaced, or a save was interrupted between the two;"
                            + " use a checkpoint whose files were written together");
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The parsed sidecar. */
    private record Sidecar(
            CheckpointInfo info,
            String weightsSha256,
            Optional<String> optimizerState,
            String optimizerStateSha256) {

        static Sidecar read(Path file) {
            JsonNode root;
            try {
                root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CheckpointException(file, "cannot read the checkpoint sidecar: " + e, e);
            }
            if (root == null || !root.isObject()) {
                throw new CheckpointException(file, "the checkpoint sidecar is not a JSON object");
            }
            if (!FORMAT.equals(root.path("format").asText(null))) {
                throw new CheckpointException(
                        file, "not a checkpoint sidecar: \"format\" is not \"" + FORMAT + "\"");
            }
            int version = integer(file, root, "format_version");
            if (version != FORMAT_VERSION) {
                throw new CheckpointException(
                        file,
                        "format_version "
                                + version
                                + " is not supported (this build reads "
                                + FORMAT_VERSION
                                + ")");
            }
            TsamConfig config =
                    TsamConfig.parseStored(field(file, root, "config").toString(), file);
            LabelNames labels;
            try {
                labels = new LabelNames(strings(file, field(file, root, "labels")));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file, "\"labels\": " + e.getMessage(), e);
            }
            int classes = integer(file, root, "classes");
            if (classes != labels.size()) {
                throw new CheckpointException(
                        file,
                        "classes is " + classes + " but there are " + labels.size() + " labels");
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = field(file, root, "metrics").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> metric = fields.next();
                if (!metric.getValue().isNumber()) {
                    throw new CheckpointException(
                            file, "metric \"" + metric.getKey() + "\" is not a number");
                }
                metrics.put(metric.getKey(), metric.getValue().asDouble());
            }
            JsonNode trainerState = root.get("trainer_state");
            CheckpointInfo info;
            try {
                info =
                        new CheckpointInfo(
                                config,
                                labels,
                                integer(file, root, "epoch"),
                                metrics,
                                Optional.ofNullable(trainerState));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file, e.getMessage(), e);
            }
            Optional<String> optimizerState =
                    root.has("optimizer_state")
                            ? Optional.of(text(file, root, "optimizer_state"))
                            : Optional.empty();
            return new Sidecar(
                    info,
                    text(file, root, "weights_sha256"),
                    optimizerState,
                    optimizerState.isPresent() ? text(file, root, "optimizer_state_sha256") : "");
        }

        private static JsonNode field(Path file, JsonNode root, String key) {
            JsonNode node = root.get(key);
            if (node == null || node.isNull()) {
                throw new CheckpointException(
                        file, "the checkpoint sidecar has no \"" + key + "\"");
            }
            return node;
        }

        private static int integer(Path file, JsonNode root, String key) {
            JsonNode node = field(file, root, key);
            if (!node.isInt()) {
                throw new CheckpointException(file, "\"" + key + "\" is not an integer: " + node);
            }
            return node.intValue();
        }

        private static String text(Path file, JsonNode root, String key) {
            JsonNode node = field(file, root, key);
            if (!node.isTextual()) {
                throw new CheckpointException(file, "\"" + key + "\" is not a string: " + node);
            }
            return node.textValue();
        }

        private static List<String> strings(Path file, JsonNode array) {
            if (!array.isArray()) {
                throw new CheckpointException(file, "\"labels\" is not a list of strings");
            }
            List<String> names = new ArrayList<>();
            for (JsonNode item : array) {
                if (!item.isTextual()) {
                    throw new CheckpointException(file, "\"labels\" is not a list of strings");
                }
                names.add(item.textValue());
            }
            return names;
        }
    }
}
