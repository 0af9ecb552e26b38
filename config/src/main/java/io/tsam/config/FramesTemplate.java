package io.tsam.config;

import java.util.Objects;

/**
 * A frame-file name template in Python's {@code str.format} syntax, such as {@code "{:05d}.jpg"}
 * (the data file's {@code frames_tmpl}).
 *
 * <p>The supported subset is what names frame files: literal text with {@code {{} and {@code }}}
 * escapes and exactly one replacement field, {@code {}}, {@code {0}} or {@code {:spec}} where
 * {@code spec} is {@code [[fill]align][sign][#][0][width][d]}. {@link #format(int)} returns what
 * Python's {@code template.format(index)} returns. Frame files are numbered from {@link
 * #FIRST_INDEX}, as ffmpeg's image sequence writer numbers them.
 */
public final class FramesTemplate {
    /** The number of the first frame file of a video. */
    public static final int FIRST_INDEX = 1;

    private static final char NO_ALIGN = 0;

    private final String template;
    private final String prefix;
    private final String suffix;
    private final char fill;
    private final char align;
    private final char sign;
    private final int width;

    private FramesTemplate(
            String template,
            String prefix,
            String suffix,
            char fill,
            char align,
            char sign,
            int width) {
        this.template = template;
        this.prefix = prefix;
        this.suffix = suffix;
        this.fill = fill;
        this.align = align;
        this.sign = sign;
        this.width = width;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException naming the template if it has no field or several, a named
     *     field, unbalanced braces, or a format spec other than a decimal integer one
     */
    public static FramesTemplate parse(String template) {
        Objects.requireNonNull(template, "template");
        StringBuilder literal = new StringBuilder();
        String prefix = null;
        String field = null;
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            boolean doubled = i + 1 < template.length() && template.charAt(i + 1) == c;
            if ((c == '{' || c == '}') && doubled) {
                literal.append(c);
                i += 2;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw invalid(template, "'{' at position " + i + " is never closed");
                }
                if (field != null) {
                    throw invalid(template, "more than one replacement field");
                }
                field = template.substring(i + 1, close);
                prefix = literal.toString();
                literal.setLength(0);
                i = close + 1;
            } else if (c == '}') {
                throw invalid(
                        template, "single '}' at position " + i + " (write '}}' for a brace)");
            } else {
                literal.append(c);
                i++;
            }
        }
        if (field == null) {
            throw invalid(template, "no replacement field such as {:05d}");
        }
        return parseField(template, prefix, literal.toString(), field);
    }

    private static FramesTemplate parseField(
            String template, String prefix, String suffix, String field) {
        int colon = field.indexOf(':');
        String name = colon < 0 ? field : field.substring(0, colon);
        String spec = colon < 0 ? "" : field.substring(colon + 1);
        if (field.indexOf('{') >= 0) {
            throw invalid(template, "nested replacement fields are not supported");
        }
        if (name.contains("!")) {
            throw invalid(template, "conversions such as !r are not supported");
        }
        if (!name.isEmpty() && !name.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw invalid(template, "named field '" + name + "' (use {} or {:05d})");
        }
        if (!name.isEmpty() && !name.chars().allMatch(ch -> ch == '0')) {
            throw invalid(template, "field index " + name + " but only one value is formatted");
        }
        char fill = ' ';
        char align = NO_ALIGN;
        int p = 0;
        boolean fillGiven = false;
        if (spec.length() >= 2 && isAlign(spec.charAt(1))) {
            fill = spec.charAt(0);
            align = spec.charAt(1);
            fillGiven = true;
            p = 2;
        } else if (!spec.isEmpty() && isAlign(spec.charAt(0))) {
            align = spec.charAt(0);
            p = 1;
        }
        char sign = '-';
        if (p < spec.length() && "+- ".indexOf(spec.charAt(p)) >= 0) {
            sign = spec.charAt(p++);
        }
        if (p < spec.length() && spec.charAt(p) == '#') {
            // Python accepts the alternate form for 'd'; it changes nothing for decimal output.
            p++;
        }
        // Python's zero flag: fills with '0' after the sign unless a fill character was given.
        if (!fillGiven && p < spec.length() && spec.charAt(p) == '0') {
            fill = '0';
            if (align == NO_ALIGN) {
                align = '=';
            }
            p++;
        }
        int widthStart = p;
        while (p < spec.length() && spec.charAt(p) >= '0' && spec.charAt(p) <= '9') {
            p++;
        }
        int width = 0;
        if (p > widthStart) {
            try {
                width = Integer.parseInt(spec.substring(widthStart, p));
            } catch (NumberFormatException e) {
                throw invalid(template, "width " + spec.substring(widthStart, p) + " is too large");
            }
        }
        String rest = spec.substring(p);
        if (!rest.isEmpty() && !rest.equals("d")) {
            throw invalid(
                    template,
                    "format spec '" + spec + "' is not a decimal integer spec such as 05d");
        }
        return new FramesTemplate(
                template, prefix, suffix, fill, align == NO_ALIGN ? '>' : align, sign, width);
    }

    private static boolean isAlign(char c) {
        return c == '<' || c == '>' || c == '=' || c == '^';
    }

    private static InvalidTemplateException invalid(String template, String reason) {
        return new InvalidTemplateException(template, reason);
    }

    /** A template that cannot be parsed; keeps the bare reason for messages that add context. */
    static final class InvalidTemplateException extends IllegalArgumentException {
        private final String reason;

        InvalidTemplateException(String template, String reason) {
            super(
                    "frames template "
                            + ConfigException.quote(template)
                            + ": "
                            + reason
                            + "; expected a Python format string with one integer field such as"
                            + " \"{:05d}.jpg\"");
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    /** The file name of frame {@code index}, equal to Python's {@code template.format(index)}. */
    public String format(int index) {
        String digits = Long.toString(Math.abs((long) index));
        String signText = index < 0 ? "-" : sign == '+' ? "+" : sign == ' ' ? " " : "";
        int padding = Math.max(0, width - signText.length() - digits.length());
        StringBuilder out = new StringBuilder(prefix);
        switch (align) {
            case '<' -> out.append(signText).append(digits).append(repeat(fill, padding));
            case '^' ->
                    out.append(repeat(fill, padding / 2))
                            .append(signText)
                            .append(digits)
                            .append(repeat(fill, padding - padding / 2));
            case '=' -> out.append(signText).append(repeat(fill, padding)).append(digits);
            default -> out.append(repeat(fill, padding)).append(signText).append(digits);
        }
        return out.append(suffix).toString();
    }

    private static String repeat(char c, int count) {
        return String.valueOf(c).repeat(count);
    }

    /** The template as written. */
    public String template() {
        return template;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FramesTemplate that && template.equals(that.template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }

    @Override
    public String toString() {
        return template;
    }
}
