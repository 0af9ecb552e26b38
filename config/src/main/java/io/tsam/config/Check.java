package io.tsam.config;

/**
 * Range checks for configuration records; each failure names the dotted key, the allowed range and
 * the value. The records call these from their constructors, so values built in code are held to
 * the same rules as values read from files.
 */
final class Check {
    private Check() {}

    static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw ConfigException.invalidValue(null, key, "expected an integer >= " + min, value);
        }
    }

    /** {@code value} in {@code [lo, hi)} or {@code [lo, hi]}; NaN is always out of range. */
    static void inRange(String key, double value, double lo, double hi, boolean hiIncluded) {
        boolean ok = value >= lo && (hiIncluded ? value <= hi : value < hi);
        if (!ok) {
            String range = "[" + bound(lo) + ", " + bound(hi) + (hiIncluded ? "]" : ")");
            throw ConfigException.invalidValue(null, key, "expected a number in " + range, value);
        }
    }

    /** {@code value} in {@code (lo, hi]}. */
    static void inRangeOpenLow(String key, double value, double lo, double hi) {
        if (!(value > lo && value <= hi)) {
            String range = "(" + bound(lo) + ", " + bound(hi) + "]";
            throw ConfigException.invalidValue(null, key, "expected a number in " + range, value);
        }
    }

    static void positive(String key, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw ConfigException.invalidValue(null, key, "expected a number > 0", value);
        }
    }

    static void nonNegative(String key, double value) {
        if (!(value >= 0 && Double.isFinite(value))) {
            throw ConfigException.invalidValue(null, key, "expected a number >= 0", value);
        }
    }

    static void nonEmpty(String key, String value) {
        if (value == null || value.isEmpty()) {
            throw ConfigException.invalidValue(null, key, "expected a non-empty string", value);
        }
    }

    /** A bound as a person writes it: 0 and 1 rather than 0.0 and 1.0. */
    static String bound(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }
}
