package io.tsam.runtime.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A duration on the command line, in seconds: {@code 4}, {@code 4s}, {@code 2.5s}, {@code 500ms},
 * {@code 1m}.
 */
final class SecondsConverter implements ITypeConverter<Double> {

    private static final Pattern DURATION =
            Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)\\s*(ms|s|m|min)?");

    @Override
    public Double convert(String value) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException(
                    "'" + value + "' is not a duration; write e.g. 4s, 2.5s, 500ms or 1m");
        }
        double number = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double seconds =
                switch (unit) {
                    case "ms" -> number / 1000;
                    case "m", "min" -> number * 60;
                    default -> number;
                };
        if (!(seconds > 0)) {
            throw new TypeConversionException("'" + value + "' must be longer than 0 seconds");
        }
        return seconds;
    }
}
