package io.tsam.media.cli;

import picocli.CommandLine.ITypeConverter;

/**
 * Clip {@code clip} (0-based) of {@code clips} test clips, written {@code c/C} on the command line
 * (SPEC §2 multi-clip sampling).
 */
public record ClipChoice(int clip, int clips) {
    public ClipChoice {
        if (clips < 1 || clip < 0 || clip >= clips) {
            throw new IllegalArgumentException(
                    "clip must be c/C with C >= 1 and 0 <= c < C, got " + clip + "/" + clips);
        }
    }

    /** Parses {@code c/C}. */
    public static final class Converter implements ITypeConverter<ClipChoice> {
        @Override
        public ClipChoice convert(String value) {
            String[] parts = value.split("/");
            try {
                if (parts.length == 2) {
                    return new ClipChoice(
                            Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
                }
            } catch (NumberFormatException e) {
                // reported below with the expected form
            }
            throw new IllegalArgumentException(
                    "expected c/C (clip c of C, 0-based, e.g. 0/1 or 2/10), got '" + value + "'");
        }
    }
}
