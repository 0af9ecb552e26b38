package io.tsam.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Test
    void roundTripKeepsOrderNamesShapesAndValues(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.safetensors");
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            // A transposed (non-contiguous) view, a scalar counter, a half tensor, an empty one.
            tensors.put("z.weight", scope.arange(6f).reshape(3, 2).transpose());
            tensors.put("a.num_batches_tracked", scope.create(5L));
            tensors.put(
                    "m.half",
                    scope.create(new float[] {1.5f, -2.25f}).toType(DataType.FLOAT16, false));
            tensors.put("b.empty", scope.create(new float[0], new Shape(0, 3)));
            Safetensors.write(file, tensors);
            Map<String, NDArray> read = Safetensors.read(file, scope);

            assertEquals(new ArrayList<>(tensors.keySet()), new ArrayList<>(read.keySet()));
            assertArrayEquals(
                    new float[] {0, 2, 4, 1, 3, 5}, read.get("z.weight").toFloatArray(), 0f);
            assertEquals(new Shape(2, 3), read.get("z.weight").getShape());
            assertEquals(DataType.INT64, read.get("a.num_batches_tracked").getDataType());
            assertEquals(new Shape(), read.get("a.num_batches_tracked").getShape());
            assertEquals(5L, read.get("a.num_batches_tracked").getLong());
            assertEquals(DataType.FLOAT32, read.get("m.half").getDataType());
            assertArrayEquals(new float[] {1.5f, -2.25f}, read.get("m.half").toFloatArray(), 0f);
            assertEquals(new Shape(0, 3), read.get("b.empty").getShape());
            // The caller's arrays keep their names: nothing was renamed to write them.
            assertEquals(null, tensors.get("z.weight").getName());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of("t.safetensors"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void djlReadsWhatWeWrite(@TempDir Path dir) throws Exception {
        // Interop the other way round: DJL's own decoder agrees on names, dtypes, shapes, values.
        Path file = dir.resolve("t.safetensors");
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("w", scope.arange(6f).reshape(2, 3));
            tensors.put("n", scope.create(7L));
            Safetensors.write(file, tensors);
            NDList decoded;
            try (InputStream in = Files.newInputStream(file)) {
                decoded = NDList.decode(scope, in);
            }
            Map<String, NDArray> byName =
                    decoded.stream().collect(Collectors.toMap(NDArray::getName, a -> a));
            assertEquals(DataType.FLOAT32, byName.get("w").getDataType());
            assertEquals(new Shape(2, 3), byName.get("w").getShape());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, byName.get("w").toFloatArray(), 0f);
            assertEquals(DataType.INT64, byName.get("n").getDataType());
            assertEquals(new Shape(), byName.get("n").getShape());
            assertEquals(7L, byName.get("n").getLong());
        }
    }

    @Test
    void headerIsPaddedToEightBytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.safetensors");
        try (NDManager scope = manager.newSubManager()) {
            Safetensors.write(file, Map.of("x", scope.ones(new Shape(3))));
        }
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8);
        assertEquals(8 + headerLength + 12, bytes.length);
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"}"), header);
    }

    @Test
    void rejectsUnsupportedDtypesAndBadOffsets(@TempDir Path dir) throws Exception {
        Path fp8 = dir.resolve("fp8.safetensors");
        writeRaw(fp8, "{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2);
        CheckpointException e =
                assertThrows(CheckpointException.class, () -> Safetensors.read(fp8, manager));
        assertEquals(
                fp8
                        + ": tensor 'x' has dtype F8_E4M3; supported: F64, F32, F16, BF16, I64,"
                        + " I32, I16, I8, U8, BOOL",
                e.getMessage());

        Path shortData = dir.resolve("short.safetensors");
        writeRaw(shortData, "{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
        e = assertThrows(CheckpointException.class, () -> Safetensors.read(shortData, manager));
        assertTrue(e.getMessage().contains("tensor 'x' has data_offsets [0,16]"), e.getMessage());

        Path hugeHeader = dir.resolve("huge.safetensors");
        Files.write(
                hugeHeader,
                ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        e = assertThrows(CheckpointException.class, () -> Safetensors.read(hugeHeader, manager));
        assertTrue(e.getMessage().contains("header length 1099511627776"), e.getMessage());
    }

    private static void writeRaw(Path file, String header, int dataBytes) throws Exception {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer =
                ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(json.length).put(json);
        Files.write(file, buffer.array());
    }
}
