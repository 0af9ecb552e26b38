package io.tsam.exporter.trt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationCacheTest {

    private static final byte[] TABLE =
            "TRT-101500-EntropyCalibration2\nvideo: 3c010a14\n".getBytes(StandardCharsets.UTF_8);

    @TempDir Path dir;

    @Test
    void aTableIsReadBackUnderTheSameKey() throws Exception {
        CalibrationCache cache =
                new CalibrationCache(dir.resolve("model.plan.calib"), "onnx A; data B");

        cache.write(TABLE);

        assertArrayEquals(TABLE, cache.read().orElseThrow());
        assertEquals(dir.resolve("model.plan.calib.key"), cache.keyFile());
        assertEquals("onnx A; data B", Files.readString(cache.keyFile()));
    }

    @Test
    void aTableOfAnotherModelOrDataIsNotUsed() throws Exception {
        Path file = dir.resolve("model.plan.calib");
        new CalibrationCache(file, "onnx A; data B").write(TABLE);

        Optional<byte[]> otherModel = new CalibrationCache(file, "onnx C; data B").read();

        assertTrue(otherModel.isEmpty());
    }

    @Test
    void aTableWithoutKeyOrNoTableIsNotUsed() throws Exception {
        Path file = dir.resolve("model.plan.calib");
        CalibrationCache cache = new CalibrationCache(file, "k");

        Optional<byte[]> none = cache.read();
        Files.write(file, TABLE);
        Optional<byte[]> keyless = cache.read();

        assertTrue(none.isEmpty());
        assertTrue(keyless.isEmpty());
    }
}
