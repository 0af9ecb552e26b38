package io.tsam.trainer.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.common.io.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The per-epoch metrics of a run, {@code metrics.jsonl}: one JSON object a line, in epoch order.
 *
 * <p>Keys: {@code epoch}, {@code lr}, {@code train_loss}, {@code train_top1}, {@code val_loss},
 * {@code val_top1}, {@code val_top5}, {@code val_mean_class} (all four {@code null} for an epoch
 * that was not validated), {@code clips_per_s}, {@code seconds}. A non-finite number (a diverged
 * loss) is written as the string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}, since
 * JSON has no such numbers.
 *
 * <p>Every change rewrites the whole file atomically, so a killed run leaves the previous complete
 * file, never half a line; reading accepts nothing else: any malformed line is a {@link
 * MalformedLogException} naming {@code file:line}. Not thread-safe.
 */
public final class MetricsLog {
    /** The log's file name inside a run folder. */
    public static final String FILE_NAME = "metrics.jsonl";

    private static final List<String> KEYS =
            List.of(
                    "epoch",
                    "lr",
                    "train_loss",
                    "train_top1",
                    "val_loss",
                    "val_top1",
                    "val_top5",
                    "val_mean_class",
                    "clips_per_s",
                    "seconds");
    private static final List<String> VALIDATION_KEYS =
            List.of("val_loss", "val_top1", "val_top5", "val_mean_class");
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path file;
    private final List<EpochRecord> records;

    private MetricsLog(Path file, List<EpochRecord> records) {
        this.file = file;
        this.records = new ArrayList<>(records);
    }

    /**
     * Opens the log at {@code file}, reading the epochs it holds; a missing file is an empty log (a
     * run that has not finished an epoch) and is created by the first {@link #append}.
     *
     * @throws MalformedLogException naming {@code file:line} for a malformed line
     * @throws IOException when the file exists but cannot be read
     */
    public static MetricsLog open(Path file) throws IOException {
        try {
            return new MetricsLog(file, read(file));
        } catch (NoSuchFileException e) {
            return new MetricsLog(file, List.of());
        }
    }

    /**
     * Reads a log file.
     *
     * @throws MalformedLogException naming {@code file:line} for a line that is not a JSON object
     *     with exactly the log's keys and valid values, or whose epoch does not exceed the line
     *     before's
     * @throws NoSuchFileException when the file does not exist
     * @throws IOException when the file cannot be read
     */
    public static List<EpochRecord> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        List<EpochRecord> records = new ArrayList<>();
        // Every line, the last included, ends with a newline: only the empty tail is skipped.
        int count = lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            EpochRecord record = parse(file, i + 1, lines[i]);
            if (!records.isEmpty() && record.epoch() <= records.get(records.size() - 1).epoch()) {
                throw new MalformedLogException(
                        file,
                        i + 1,
                        "epoch "
                                + record.epoch()
                                + " does not follow epoch "
                                + records.get(records.size() - 1).epoch()
                                + " of the line before (epochs must increase)",
                        null);
            }
            records.add(record);
        }
        return records;
    }

    /** The file this log is written to. */
    public Path file() {
        return file;
    }

    /** The epochs logged, in order. */
    public List<EpochRecord> records() {
        return List.copyOf(records);
    }

    /** The last epoch logged, if any. */
    public Optional<EpochRecord> last() {
        return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
    }

    /**
     * Adds an epoch and rewrites the file atomically.
     *
     * @throws IllegalArgumentException when the epoch does not exceed the last one logged
     * @throws IOException when the file cannot be written; the log is then unchanged
     */
    public void append(EpochRecord record) throws IOException {
        Optional<EpochRecord> last = last();
        if (last.isPresent() && record.epoch() <= last.get().epoch()) {
            throw new IllegalArgumentException(
                    "epoch "
                            + record.epoch()
                            + " must be greater than the last logged epoch "
                            + last.get().epoch());
        }
        List<EpochRecord> next = new ArrayList<>(records);
        next.add(record);
        write(next);
        records.add(record);
    }

    /**
     * Drops every epoch {@code >= epoch}, as a run resumed from the checkpoint of epoch {@code
     * epoch - 1} must, and rewrites the file atomically if anything was dropped.
     *
     * @return the number of epochs dropped
     * @throws IOException when the file cannot be written; the log is then unchanged
     */
    public int keepBefore(int epoch) throws IOException {
        List<EpochRecord> kept = records.stream().filter(r -> r.epoch() < epoch).toList();
        int dropped = records.size() - kept.size();
        if (dropped > 0) {
            write(kept);
            records.clear();
            records.addAll(kept);
        }
        return dropped;
    }

    private void write(List<EpochRecord> content) throws IOException {
        StringBuilder text = new StringBuilder();
        for (EpochRecord record : content) {
            text.append(format(record)).append('\n');
        }
        AtomicFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** One line of the log, without its newline. */
    static String format(EpochRecord record) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("epoch", record.epoch());
        putNumber(node, "lr", record.lr());
        putNumber(node, "train_loss", record.trainLoss());
        putNumber(node, "train_top1", record.trainTop1());
        Optional<ValidationResult> val = record.validation();
        putOptional(node, "val_loss", val.map(ValidationResult::loss));
        putOptional(node, "val_top1", val.map(ValidationResult::top1));
        putOptional(node, "val_top5", val.map(ValidationResult::top5));
        putOptional(node, "val_mean_class", val.map(ValidationResult::meanClass));
        putNumber(node, "clips_per_s", record.clipsPerSecond());
        putNumber(node, "seconds", record.seconds());
        return node.toString();
    }

    private static void putOptional(ObjectNode node, String key, Optional<Double> value) {
        if (value.isPresent()) {
            putNumber(node, key, value.get());
        } else {
            node.putNull(key);
        }
    }

    private static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.put(key, Double.toString(value));
        }
    }

    private static EpochRecord parse(Path file, int line, String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedLogException(
                    file, line, "not a JSON object: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedLogException(
                    file,
                    line,
                    "expected a JSON object, got " + (node == null ? "nothing" : text),
                    null);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new MalformedLogException(
                        file,
                        line,
                        "unknown key '" + name + "' (valid keys: " + String.join(", ", KEYS) + ")",
                        null);
            }
        }
        for (String key : KEYS) {
            if (!node.has(key)) {
                throw new MalformedLogException(file, line, "missing key '" + key + "'", null);
            }
        }
        JsonNode epoch = node.get("epoch");
        if (!epoch.isInt() || epoch.intValue() < 0) {
            throw new MalformedLogException(
                    file, line, "epoch: expected an integer >= 0, got " + epoch, null);
        }
        long nulls = VALIDATION_KEYS.stream().filter(k -> node.get(k).isNull()).count();
        if (nulls != 0 && nulls != VALIDATION_KEYS.size()) {
            throw new MalformedLogException(
                    file,
                    line,
                    "the keys "
                            + String.join(", ", VALIDATION_KEYS)
                            + " must be all numbers or all null",
                    null);
        }
        Optional<ValidationResult> validation =
                nulls != 0
                        ? Optional.empty()
                        : Optional.of(
                                new ValidationResult(
                                        number(file, line, node, "val_loss"),
                                        number(file, line, node, "val_top1"),
                                        number(file, line, node, "val_top5"),
                                        number(file, line, node, "val_mean_class")));
        return new EpochRecord(
                epoch.intValue(),
                number(file, line, node, "lr"),
                number(file, line, node, "train_loss"),
                number(file, line, node, "train_top1"),
                validation,
                number(file, line, node, "clips_per_s"),
                number(file, line, node, "seconds"));
    }

    private static double number(Path file, int line, JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            switch (value.textValue()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new MalformedLogException(
                file,
                line,
                key + ": expected a number (or \"NaN\", \"Infinity\", \"-Infinity\"), got " + value,
                null);
    }
}
