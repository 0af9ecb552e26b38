package io.tsam.config;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * A configuration, list or label file that cannot be used as written.
 *
 * <p>The message is one line, {@code <file>: <key>: <what was expected>, got <value>} (or {@code
 * <file>:<line>: <reason>} for line-oriented files), so a CLI can print it as is.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final int MAX_VALUE_CHARS = 80;

    private final transient Path file;
    private final int line;
    private final String key;
    private final String body;

    private ConfigException(Path file, int line, String key, String body, Throwable cause) {
        super(location(file, line) + body, cause);
        this.file = file;
        this.line = line;
        this.key = key;
        this.body = body;
    }

    /**
     * An error about one value.
     *
     * @param file the file holding the value, or null when it did not come from a file
     * @param key the dotted key path such as {@code model.video_segments}, or null for the whole
     *     document
     * @param expected what would have been accepted, such as {@code expected an integer >= 1}
     * @param got the value received: a Java value or a Jackson {@link JsonNode}
     */
    public static ConfigException invalidValue(Path file, String key, String expected, Object got) {
        String body = (key == null ? "" : key + ": ") + expected + ", got " + render(got);
        return new ConfigException(file, 0, key, body, null);
    }

    static ConfigException unknownKey(
            Path file, String key, String section, String suggestion, List<String> validKeys) {
        StringBuilder body = new StringBuilder("unknown key '").append(key).append("' (");
        if (suggestion != null) {
            body.append("did you mean '").append(suggestion).append("'? ");
        }
        body.append(section.isEmpty() ? "valid keys: " : "valid keys in '" + section + "': ");
        body.append(validKeys.isEmpty() ? "none" : String.join(", ", validKeys)).append(')');
        return new ConfigException(file, 0, key, body.toString(), null);
    }

    static ConfigException ofFile(Path file, String reason, Throwable cause) {
        return new ConfigException(file, 0, null, reason, cause);
    }

    static ConfigException atLine(Path file, int line, String reason) {
        return new ConfigException(file, line, null, reason, null);
    }

    /** The same error, attributed to {@code file}; used once a value's source file is known. */
    ConfigException withFile(Path file) {
        ConfigException copy = new ConfigException(file, line, key, body, getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** The file the error is about, or null when the value did not come from a file. */
    public Path file() {
        return file;
    }

    /** The dotted key path such as {@code model.video_segments}, or null for whole-file errors. */
    public String key() {
        return key;
    }

    /** The 1-based line of a line-oriented file (list or label file) the error is about. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    private static String location(Path file, int line) {
        if (file == null) {
            return "";
        }
        return line > 0 ? file + ":" + line + ": " : file + ": ";
    }

    /** Renders a value the way it would be written in JSON, shortened to one short line. */
    static String render(Object value) {
        String text;
        if (value == null) {
            text = "null";
        } else if (value instanceof CharSequence chars) {
            text = quote(chars.toString());
        } else if (value instanceof JsonNode node) {
            text = node.toString();
        } else if (value instanceof Path path) {
            text = quote(path.toString());
        } else {
            text = value.toString();
        }
        text = text.replace('\n', ' ').replace('\r', ' ');
        return text.length() <= MAX_VALUE_CHARS
                ? text
                : text.substring(0, MAX_VALUE_CHARS - 3) + "...";
    }

    static String quote(String text) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }
}
