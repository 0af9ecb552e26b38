package io.tsam.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The files made by {@code model/src/test/python/make_checkpoint_fixtures.py}. */
final class Fixtures {
    private Fixtures() {}

    static Path file(String name) {
        URL url = Fixtures.class.getResource("/checkpoint/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource checkpoint/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asserts that {@code actual} holds exactly the tensors of {@code <name>.expected.json}, with
     * equal dtypes, shapes and values (bit for bit), and in its order if {@code inOrder}.
     */
    static void assertMatchesExpected(String name, Map<String, NDArray> actual, boolean inOrder) {
        JsonNode expected;
        try {
            expected = new ObjectMapper().readTree(file(name + ".expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        if (inOrder) {
            assertEquals(names, new ArrayList<>(actual.keySet()));
        } else {
            assertEquals(new TreeSet<>(names), new TreeSet<>(actual.keySet()));
        }
        Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            NDArray array = actual.get(field.getKey());
            JsonNode spec = field.getValue();
            long[] shape = new long[spec.get("shape").size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = spec.get("shape").get(d).asLong();
            }
            assertArrayEquals(shape, array.getShape().getShape(), field.getKey());
            JsonNode values = spec.get("values");
            if (spec.get("dtype").asText().equals("float32")) {
                assertEquals(DataType.FLOAT32, array.getDataType(), field.getKey());
                float[] want = new float[values.size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = (float) values.get(i).asDouble();
                }
                assertArrayEquals(want, array.toFloatArray(), 0f, field.getKey());
            } else {
                assertEquals(DataType.INT64, array.getDataType(), field.getKey());
                long[] want = new long[values.size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = values.get(i).asLong();
                }
                assertArrayEquals(want, array.toLongArray(), field.getKey());
            }
        }
    }
}
