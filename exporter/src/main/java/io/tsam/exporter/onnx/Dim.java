package io.tsam.exporter.onnx;

import java.util.Objects;

/**
 * One dimension of a graph input or output: a fixed size, or a named symbolic size such as the
 * batch {@code N}.
 *
 * @param value the size, or -1 when the dimension is symbolic
 * @param param the symbolic name, or null when the size is fixed
 */
public record Dim(long value, String param) {

    /** Checks that exactly one of size and name is given. */
    public Dim {
        if ((param == null) == (value < 0)) {
            throw new IllegalArgumentException(
                    "a dimension is either a size >= 0 or a name, got size "
                            + value
                            + " and name "
                            + param);
        }
        if (param != null && param.isBlank()) {
            throw new IllegalArgumentException("a symbolic dimension needs a non-blank name");
        }
    }

    /** A fixed dimension. */
    public static Dim of(long value) {
        return new Dim(value, null);
    }

    /** A symbolic dimension, e.g. {@code named("N")}. */
    public static Dim named(String param) {
        return new Dim(-1, Objects.requireNonNull(param, "param"));
    }

    /** Whether the size is fixed. */
    public boolean isFixed() {
        return param == null;
    }

    @Override
    public String toString() {
        return isFixed() ? Long.toString(value) : param;
    }
}
