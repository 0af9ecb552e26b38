package io.tsam.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Class names in label order: {@code name(i)} is the name of label {@code i}.
 *
 * @param names one non-empty, distinct name per label
 */
public record LabelNames(List<String> names) {
    private static final Pattern INDEXED = Pattern.compile("([0-9]+)(?:\\s*,\\s*|\\s+)(.*)");
    private static final int MAX_LISTED = 20;

    public LabelNames {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("label names must not be empty");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.isBlank()) {
                throw new IllegalArgumentException("label name " + i + " is empty");
            }
            Integer previous = seen.put(name, i);
            if (previous != null) {
                throw new IllegalArgumentException(
                        "labels "
                                + previous
                                + " and "
                                + i
                                + " have the same name "
                                + ConfigException.quote(name));
            }
        }
    }

    /** The names of a model without a label file: {@code "0", "1", ..., n-1} (SPEC §5). */
    public static LabelNames indices(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("number of classes must be >= 1, got " + n);
        }
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(Integer.toString(i));
        }
        return new LabelNames(names);
    }

    /**
     * Reads a label-name file.
     *
     * <p>Either one name per line, line {@code i} naming label {@code i} (blank lines are allowed
     * only at the end); or, when every non-blank line starts with an integer followed by spaces, a
     * tab or a comma, {@code index name} lines in any order whose indices are exactly {@code 0 ..
     * K-1}. Names are trimmed and must be distinct.
     *
     * @throws ConfigException naming {@code file:line} for an empty, duplicate or mis-numbered
     *     name, or naming the file when it is missing, empty, or has missing indices
     */
    public static LabelNames read(Path file) {
        String[] rows = ConfigFiles.readText(file).split("\r\n|\r|\n", -1);
        int last = rows.length - 1;
        while (last >= 0 && rows[last].isBlank()) {
            last--;
        }
        if (last < 0) {
            throw ConfigException.ofFile(file, "holds no label names", null);
        }
        Matcher[] indexed = new Matcher[last + 1];
        for (int i = 0; i <= last; i++) {
            if (!rows[i].isBlank()) {
                indexed[i] = INDEXED.matcher(rows[i].strip());
                if (!indexed[i].matches()) {
                    return readPlain(file, rows, last);
                }
            }
        }
        return readIndexed(file, indexed);
    }

    private static LabelNames readPlain(Path file, String[] rows, int last) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> lineOf = new HashMap<>();
        for (int i = 0; i <= last; i++) {
            String name = rows[i].strip();
            if (name.isEmpty()) {
                throw ConfigException.atLine(
                        file, i + 1, "empty label name (one name per line, line i naming label i)");
            }
            checkUnique(file, i + 1, name, lineOf);
            names.add(name);
        }
        return new LabelNames(names);
    }

    /**
     * Reads {@code index name} lines; {@code lines[i]} is the matched line i + 1, null if blank.
     */
    private static LabelNames readIndexed(Path file, Matcher[] lines) {
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        Map<Integer, Integer> lineOfIndex = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher m = lines[i];
            if (m == null) {
                continue;
            }
            int index;
            try {
                index = Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                throw ConfigException.atLine(
                        file, i + 1, "label index " + m.group(1) + " is too large");
            }
            String name = m.group(2).strip();
            if (name.isEmpty()) {
                throw ConfigException.atLine(file, i + 1, "empty label name for index " + index);
            }
            Integer previous = lineOfIndex.put(index, i + 1);
            if (previous != null) {
                throw ConfigException.atLine(
                        file, i + 1, "label index " + index + " already named on line " + previous);
            }
            checkUnique(file, i + 1, name, lineOf);
            byIndex.put(index, name);
        }
        int count = byIndex.lastKey() + 1;
        if (byIndex.size() != count) {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < count && missing.size() < MAX_LISTED; i++) {
                if (!byIndex.containsKey(i)) {
                    missing.add(Integer.toString(i));
                }
            }
            int missingCount = count - byIndex.size();
            String more =
                    missingCount > missing.size()
                            ? " and " + (missingCount - missing.size()) + " more"
                            : "";
            throw ConfigException.ofFile(
                    file,
                    "label indices must be exactly 0 to "
                            + (count - 1)
                            + ", but index "
                            + String.join(", ", missing)
                            + more
                            + " has no name",
                    null);
        }
        return new LabelNames(new ArrayList<>(byIndex.values()));
    }

    private static void checkUnique(Path file, int line, String name, Map<String, Integer> lineOf) {
        Integer previous = lineOf.putIfAbsent(name, line);
        if (previous != null) {
            throw ConfigException.atLine(
                    file,
                    line,
                    "label name "
                            + ConfigException.quote(name)
                            + " already used on line "
                            + previous);
        }
    }

    /** The name of {@code label}. */
    public String name(int label) {
        Objects.checkIndex(label, names.size());
        return names.get(label);
    }

    /** The number of labels. */
    public int size() {
        return names.size();
    }
}
