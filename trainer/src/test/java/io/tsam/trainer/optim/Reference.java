package io.tsam.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The PyTorch reference values made by {@code src/test/python/optim_reference.py}, and the
 * tolerance they are compared with.
 */
final class Reference {

    /** Relative tolerance against PyTorch 1.13 (float32 on both sides). */
    static final double RELATIVE = 1e-6;

    /** Absolute floor for values near zero, where a relative bound means nothing. */
    static final double ABSOLUTE = 1e-8;

    private static final String RESOURCE = "/optim/reference.json";

    private Reference() {}

    static JsonNode load() {
        try (InputStream in = Reference.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The float32 values of a {@code {"shape": [...], "data": [...]}} node. */
    static float[] data(JsonNode tensor) {
        JsonNode data = tensor.get("data");
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) data.get(i).asDouble();
        }
        return values;
    }

    static Shape shape(JsonNode tensor) {
        JsonNode dims = tensor.get("shape");
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).asLong();
        }
        return new Shape(shape);
    }

    static NDArray array(NDManager manager, JsonNode tensor) {
        return manager.create(data(tensor), shape(tensor));
    }

    static int[] ints(JsonNode values) {
        int[] result = new int[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = values.get(i).asInt();
        }
        return result;
    }

    /**
     * Asserts shape and values within {@link #RELATIVE} of the reference (floor {@link #ABSOLUTE}).
     */
    static void assertClose(JsonNode expected, NDArray actual, String what) {
        assertEquals(shape(expected), actual.getShape(), what + " shape");
        assertClose(data(expected), actual.toFloatArray(), what);
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], what + "[" + i + "]");
        }
    }

    static void assertClose(double expected, double actual, String what) {
        double bound = Math.max(RELATIVE * Math.abs(expected), ABSOLUTE);
        assertTrue(
                Math.abs(actual - expected) <= bound,
                () ->
                        what
                                + ": expected "
                                + expected
                                + ", got "
                                + actual
                                + " (bound "
                                + bound
                                + ")");
    }

    /** Asserts two arrays hold the same bits: resumed training must not drift at all. */
    static void assertIdentical(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + " shape");
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 0f, what);
    }
}
