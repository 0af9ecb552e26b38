package io.tsam.media.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir Path dir;

    @Test
    void roundTripsShapeAndValues() throws IOException {
        Path file = dir.resolve("t.npy");
        float[] data = {1f, -2.5f, 3e-7f, Float.MAX_VALUE, 0f, 6f};
        Npy.write(file, data, 1, 2, 3);
        Npy.Array back = Npy.read(file);
        assertArrayEquals(new long[] {1, 2, 3}, back.shape());
        assertArrayEquals(data, back.data());
    }

    @Test
    void headerIsNumpyVersion1AlignedTo64Bytes() throws IOException {
        Path file = dir.resolve("v.npy");
        Npy.write(file, new float[] {1f, 2f}, 2);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals(1, bytes[6]);
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'shape': (2,)"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + headerLength + 8, bytes.length);
    }

    @Test
    void rejectsShapeThatDoesNotMatchData() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Npy.write(dir.resolve("x.npy"), new float[5], 2, 3));
    }

    @Test
    void rejectsNonNpyFile() throws IOException {
        Path file = dir.resolve("text.npy");
        Files.writeString(file, "not numpy at all");
        IOException e = assertThrows(IOException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains("text.npy"), e.getMessage());
    }
}
