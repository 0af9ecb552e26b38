package io.tsam.model.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Weights files come from anywhere: whatever the bytes, reading one gives tensors or a {@link
 * CheckpointException} naming the file, never another exception, a hang or a pickle that runs. The
 * seeds are a safetensors file, torch.save archives (plain, legacy, malicious).
 */
class TensorFilesFuzzTest {
    private static NDManager manager;
    private static Path file;

    @BeforeAll
    static void open() throws IOException {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        file = Files.createTempFile("fuzz", ".pth");
    }

    @AfterAll
    static void close() throws IOException {
        manager.close();
        Files.deleteIfExists(file);
    }

    @FuzzTest(maxDuration = "30s")
    void readsOrRefuses(byte[] data) throws IOException {
        Files.write(file, data);
        try (NDManager scope = manager.newSubManager()) {
            TensorFiles.read(file, scope);
        } catch (CheckpointException expected) {
            // The documented refusal.
        }
    }
}
