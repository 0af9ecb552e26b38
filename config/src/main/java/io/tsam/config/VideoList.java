package io.tsam.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A list file (SPEC §3): one video a line, {@code id label} or TSM's {@code id num_frames label}.
 *
 * <p>Fields are separated by spaces, tabs or commas (spaces around a comma are allowed). Blank
 * lines and lines starting with {@code #} are skipped. Labels are class indices from 0.
 */
public final class VideoList {
    private static final Pattern SEPARATOR = Pattern.compile("\\s*,\\s*|\\s+");
    private static final int MAX_LISTED = 20;

    private final Path file;
    private final List<VideoEntry> entries;
    private final int[] lines;

    private VideoList(Path file, List<VideoEntry> entries, int[] lines) {
        this.file = file;
        this.entries = List.copyOf(entries);
        this.lines = lines;
    }

    /**
     * Reads a list file.
     *
     * @throws ConfigException naming {@code file:line} for a line with the wrong number of fields,
     *     a label or frame count that is not a non-negative integer, or naming the file when it is
     *     missing or lists no video
     */
    public static VideoList read(Path file) {
        String text = ConfigFiles.readText(file);
        List<VideoEntry> entries = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        String[] rows = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < rows.length; i++) {
            String row = rows[i].strip();
            if (row.isEmpty() || row.startsWith("#")) {
                continue;
            }
            entries.add(parseLine(file, i + 1, row));
            lines.add(i + 1);
        }
        if (entries.isEmpty()) {
            throw ConfigException.ofFile(
                    file,
                    "lists no video (expected lines 'id label' or 'id num_frames label')",
                    null);
        }
        return new VideoList(file, entries, lines.stream().mapToInt(Integer::intValue).toArray());
    }

    private static VideoEntry parseLine(Path file, int line, String row) {
        String[] fields = SEPARATOR.split(row, -1);
        if (fields.length != 2 && fields.length != 3) {
            throw ConfigException.atLine(
                    file,
                    line,
                    "expected 'id label' or 'id num_frames label', got "
                            + fields.length
                            + " fields in "
                            + ConfigException.quote(row));
        }
        for (String field : fields) {
            if (field.isEmpty()) {
                throw ConfigException.atLine(
                        file, line, "empty field in " + ConfigException.quote(row));
            }
        }
        OptionalInt numFrames = OptionalInt.empty();
        if (fields.length == 3) {
            int frames = parseInt(file, line, "num_frames", fields[1]);
            if (frames < 1) {
                throw ConfigException.atLine(
                        file, line, "num_frames must be >= 1, got " + fields[1]);
            }
            numFrames = OptionalInt.of(frames);
        }
        String labelText = fields[fields.length - 1];
        int label = parseInt(file, line, "label", labelText);
        if (label < 0) {
            throw ConfigException.atLine(file, line, "label must be >= 0, got " + labelText);
        }
        return new VideoEntry(fields[0], numFrames, label);
    }

    private static int parseInt(Path file, int line, String what, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ConfigException.atLine(
                    file, line, what + " must be an integer, got " + ConfigException.quote(text));
        }
    }

    /** The file this list was read from. */
    public Path file() {
        return file;
    }

    /** The videos in file order. */
    public List<VideoEntry> entries() {
        return entries;
    }

    /** The number of videos. */
    public int size() {
        return entries.size();
    }

    /** The largest label plus one. */
    public int numClasses() {
        int max = -1;
        for (VideoEntry entry : entries) {
            max = Math.max(max, entry.label());
        }
        return max + 1;
    }

    /**
     * Checks that the labels are exactly {@code 0 .. numClasses-1}, each used at least once, as a
     * training list's must be.
     *
     * @return this list
     * @throws ConfigException naming the missing labels, or the line of a label >= numClasses
     */
    public VideoList requireConsecutiveLabels(int numClasses) {
        requireLabelsBelow(numClasses);
        BitSet used = new BitSet(numClasses);
        entries.forEach(entry -> used.set(entry.label()));
        List<String> missing = new ArrayList<>();
        int missingCount = 0;
        for (int label = used.nextClearBit(0);
                label < numClasses;
                label = used.nextClearBit(label + 1)) {
            if (missing.size() < MAX_LISTED) {
                missing.add(Integer.toString(label));
            }
            missingCount++;
        }
        if (missingCount > 0) {
            String more =
                    missingCount > missing.size()
                            ? " and " + (missingCount - missing.size()) + " more"
                            : "";
            throw ConfigException.ofFile(
                    file,
                    "labels must be consecutive integers from 0 to "
                            + (numClasses - 1)
                            + " ("
                            + numClasses
                            + " classes), but no video has label "
                            + String.join(", ", missing)
                            + more,
                    null);
        }
        return this;
    }

    /**
     * Checks that every label is below {@code numClasses}, as a validation list's must be.
     *
     * @return this list
     * @throws ConfigException naming the line of the first label >= numClasses
     */
    public VideoList requireLabelsBelow(int numClasses) {
        for (int i = 0; i < entries.size(); i++) {
            int label = entries.get(i).label();
            if (label >= numClasses) {
                throw ConfigException.atLine(
                        file,
                        lines[i],
                        "label "
                                + label
                                + " is out of range for "
                                + numClasses
                                + " classes (labels are 0 to "
                                + (numClasses - 1)
                                + ")");
            }
        }
        return this;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VideoList that
                && file.equals(that.file)
                && entries.equals(that.entries);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, entries);
    }

    @Override
    public String toString() {
        return "VideoList[" + file + ", " + entries.size() + " videos]";
    }
}
