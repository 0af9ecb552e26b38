package io.tsam.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * Strict JSON text to tree and tree to canonical text.
 *
 * <p>Values are read as a tree rather than bound to classes so that every type and range error can
 * name its dotted key path, and so that nothing is coerced ("8" is not an integer, 1 is not a
 * boolean).
 */
final class ConfigJson {
    private ConfigJson() {}

    /** Parses one JSON document; duplicate keys and trailing content are errors. */
    static JsonNode readTree(String json, Path file) {
        JsonNode root;
        try {
            root = mapper().readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String at =
                    where == null || where.getLineNr() < 1
                            ? ""
                            : " (line "
                                    + where.getLineNr()
                                    + ", column "
                                    + where.getColumnNr()
                                    + ")";
            throw ConfigException.ofFile(file, "not valid JSON" + at + ": " + reason(e), e);
        }
        if (root == null || root.isMissingNode()) {
            throw ConfigException.ofFile(file, "not valid JSON: the document is empty", null);
        }
        return root;
    }

    static ObjectNode newObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * A number node written as Python's {@code json.dumps} writes a float ({@code 0.0005}, not
     * Jackson's {@code 5.0E-4}), so the canonical text reads naturally; it parses back to the same
     * double.
     */
    static JsonNode number(double value) {
        double magnitude = Math.abs(value);
        if (value != 0 && (magnitude < 1e-4 || magnitude >= 1e16)) {
            return JsonNodeFactory.instance.numberNode(value);
        }
        String plain = new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
        return JsonNodeFactory.instance.rawValueNode(
                new RawValue(plain.contains(".") ? plain : plain + ".0"));
    }

    /** Pretty JSON with two-space indents and arrays on one line, independent of the platform. */
    static String write(JsonNode node) {
        Separators separators =
                Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withArrayValueSpacing(Separators.Spacing.AFTER)
                        .withArrayEmptySeparator("")
                        .withObjectEmptySeparator("");
        DefaultPrettyPrinter printer =
                new DefaultPrettyPrinter(separators)
                        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                        .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance);
        try {
            return mapper().writer(printer).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private static ObjectMapper mapper() {
        return JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** Jackson's reason without its source excerpt, which would repeat the file and break lines. */
    private static String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        if (message.startsWith("Trailing token")) {
            return "unexpected content after the end of the JSON document";
        }
        if (message.startsWith("Duplicate field")) {
            return "duplicate key" + message.substring("Duplicate field".length());
        }
        int cut = message.indexOf(" (start marker at");
        if (cut >= 0) {
            message = message.substring(0, cut);
        }
        int newline = message.indexOf('\n');
        return newline >= 0 ? message.substring(0, newline).trim() : message.trim();
    }
}
