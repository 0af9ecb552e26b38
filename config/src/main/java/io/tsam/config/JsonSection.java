package io.tsam.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * One JSON object of a configuration file, read key by key with exact types and defaults.
 *
 * <p>Every key a reader asks for becomes a known key; {@link #finish()} then rejects any other key
 * in the object, suggesting the nearest known one. Errors name the file and the dotted key path.
 */
final class JsonSection {
    private final Path file;
    private final Path baseDir;
    private final String path;
    private final ObjectNode node;
    private final List<String> known = new ArrayList<>();

    private JsonSection(Path file, Path baseDir, String path, ObjectNode node) {
        this.file = file;
        this.baseDir = baseDir;
        this.path = path;
        this.node = node;
    }

    /**
     * The top-level object of a JSON document.
     *
     * @param file the name used in messages (may be null)
     * @param baseDir the folder relative paths resolve against, or null to keep them relative
     */
    static JsonSection root(String json, Path file, Path baseDir) {
        JsonNode root = ConfigJson.readTree(json, file);
        if (!root.isObject()) {
            throw ConfigException.invalidValue(
                    file, null, "expected a JSON object at the top level", root);
        }
        return new JsonSection(file, baseDir, "", (ObjectNode) root);
    }

    Path file() {
        return file;
    }

    /** The nested object under {@code key}; an absent key reads as an empty object. */
    JsonSection section(String key) {
        JsonNode value = get(key);
        if (value == null) {
            return new JsonSection(file, baseDir, qualify(key), ConfigJson.newObject());
        }
        if (!value.isObject()) {
            throw typeError(key, "expected an object", value);
        }
        return new JsonSection(file, baseDir, qualify(key), (ObjectNode) value);
    }

    int integer(String key, int defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isIntegralNumber()) {
            throw typeError(key, "expected an integer", value);
        }
        if (!value.canConvertToInt()) {
            throw typeError(key, "expected a 32-bit integer", value);
        }
        return value.intValue();
    }

    long longInteger(String key, long defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isIntegralNumber()) {
            throw typeError(key, "expected an integer", value);
        }
        if (!value.canConvertToLong()) {
            throw typeError(key, "expected a 64-bit integer", value);
        }
        return value.longValue();
    }

    double number(String key, double defaultValue) {
        JsonNode value = get(key);
        return value == null ? defaultValue : toNumber(key, value);
    }

    /** A number that may be {@code null} in the file, which reads as empty. */
    OptionalDouble optionalNumber(String key, OptionalDouble defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        return value.isNull() ? OptionalDouble.empty() : OptionalDouble.of(toNumber(key, value));
    }

    boolean bool(String key, boolean defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw typeError(key, "expected true or false", value);
        }
        return value.booleanValue();
    }

    String string(String key, String defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isTextual()) {
            throw typeError(key, "expected a string", value);
        }
        return value.textValue();
    }

    /** A string that may be {@code null} in the file, which reads as empty. */
    Optional<String> optionalString(String key, Optional<String> defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw typeError(key, "expected a string or null", value);
        }
        return Optional.of(value.textValue());
    }

    /**
     * A path that may be {@code null}; a relative path resolves against the base folder when this
     * document was loaded from a file.
     */
    Optional<Path> optionalPath(String key, Optional<Path> defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw typeError(key, "expected a file path (a non-empty string) or null", value);
        }
        Path path;
        try {
            path = Path.of(value.textValue());
        } catch (InvalidPathException e) {
            throw typeError(key, "expected a valid file path (" + e.getReason() + ")", value);
        }
        return Optional.of(baseDir == null ? path : baseDir.resolve(path).normalize());
    }

    /** One of a fixed set of string values, such as an enum's JSON names. */
    <E> E choice(String key, E defaultValue, List<E> values, Function<E, String> jsonName) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isTextual()) {
            for (E candidate : values) {
                if (jsonName.apply(candidate).equals(value.textValue())) {
                    return candidate;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (E candidate : values) {
            names.add(ConfigException.quote(jsonName.apply(candidate)));
        }
        throw typeError(key, "expected one of " + String.join(", ", names), value);
    }

    List<Integer> integers(String key, List<Integer> defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isArray()) {
            throw typeError(key, "expected an array of integers", value);
        }
        List<Integer> result = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isIntegralNumber() || !item.canConvertToInt()) {
                throw ConfigException.invalidValue(
                        file, qualify(key) + "[" + i + "]", "expected an integer", item);
            }
            result.add(item.intValue());
        }
        return List.copyOf(result);
    }

    List<Double> numbers(String key, List<Double> defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isArray()) {
            throw typeError(key, "expected an array of numbers", value);
        }
        List<Double> result = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            result.add(toNumber(key + "[" + i + "]", value.get(i)));
        }
        return List.copyOf(result);
    }

    /** Like {@link #numbers}, where JSON {@code null} means the empty list. */
    List<Double> nullableNumbers(String key, List<Double> defaultValue) {
        JsonNode value = node.get(key);
        if (value != null && value.isNull()) {
            get(key);
            return List.of();
        }
        return numbers(key, defaultValue);
    }

    /** The nested object under {@code key} if there is one, without making the key known. */
    JsonSection peek(String key) {
        JsonNode value = node.get(key);
        return value instanceof ObjectNode object
                ? new JsonSection(file, baseDir, qualify(key), object)
                : null;
    }

    /** Accepts every key of this object: a section whose settings change nothing here. */
    void ignoreRest() {
        node.fieldNames().forEachRemaining(this::get);
    }

    /** Whether the object holds {@code key}; asking does not make the key known. */
    boolean has(String key) {
        return node.has(key);
    }

    /** The dotted path of {@code key} in this object, for messages. */
    String pathOf(String key) {
        return qualify(key);
    }

    /** Rejects the first key of this object that no reader asked for. */
    void finish() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ConfigException.unknownKey(
                        file, qualify(name), path, nearest(name, known), List.copyOf(known));
            }
        }
    }

    private JsonNode get(String key) {
        if (!known.contains(key)) {
            known.add(key);
        }
        return node.get(key);
    }

    private double toNumber(String key, JsonNode value) {
        if (!value.isNumber()) {
            throw typeError(key, "expected a number", value);
        }
        double number = value.doubleValue();
        if (!Double.isFinite(number)) {
            throw typeError(key, "expected a finite number", value);
        }
        return number;
    }

    private ConfigException typeError(String key, String expected, JsonNode value) {
        return ConfigException.invalidValue(file, qualify(key), expected, value);
    }

    private String qualify(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * The known key closest to {@code name} by edit distance (ignoring case), or null when none is
     * within about a third of the key's length: a distant suggestion misleads more than it helps.
     */
    static String nearest(String name, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = name.toLowerCase(Locale.ROOT);
        for (String candidate : candidates) {
            int distance = editDistance(lower, candidate.toLowerCase(Locale.ROOT));
            int allowed = Math.max(1, Math.min(name.length(), candidate.length()) / 3);
            if (distance <= allowed && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance where swapping two adjacent characters also counts as one edit. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] =
                        Math.min(
                                Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1
                        && j > 1
                        && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
