package io.tsam.media.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@code .npy} inputs come from users ({@code tsam-run} reads preprocessed tensors): whatever the
 * bytes, reading gives an array whose shape matches its data, or an {@link IOException} naming the
 * file.
 */
class NpyFuzzTest {
    private static Path file;

    @BeforeAll
    static void create() throws IOException {
        file = Files.createTempFile("fuzz", ".npy");
    }

    @AfterAll
    static void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    @FuzzTest(maxDuration = "30s")
    void readsOrRejects(byte[] data) throws IOException {
        Files.write(file, data);
        Npy.Array array;
        try {
            array = Npy.read(file);
        } catch (IOException expected) {
            return;
        }
        assertEquals(
                Arrays.stream(array.shape()).reduce(1, Math::multiplyExact), array.data().length);
    }
}
