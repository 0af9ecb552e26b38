package io.tsam.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Config, data, list and label files are written by hand: whatever they hold, reading one gives a
 * valid value or a {@link ConfigException} naming the file and what is wrong, never another
 * exception.
 */
class ConfigFuzzTest {
    private static Path file;

    @BeforeAll
    static void create() throws IOException {
        file = Files.createTempFile("fuzz", ".txt");
    }

    @AfterAll
    static void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    @FuzzTest(maxDuration = "15s")
    void modelFile(byte[] data) {
        String json = new String(data, StandardCharsets.UTF_8);
        try {
            TsamConfig.parse(json, file);
        } catch (ConfigException expected) {
            // The documented refusal.
        }
        try {
            TsamConfig.parseStored(json, file);
        } catch (ConfigException expected) {
            // The documented refusal.
        }
    }

    @FuzzTest(maxDuration = "15s")
    void dataFile(byte[] data) {
        try {
            DataConfig.parse(new String(data, StandardCharsets.UTF_8), file);
        } catch (ConfigException expected) {
            // The documented refusal.
        }
    }

    @FuzzTest(maxDuration = "15s")
    void listFile(byte[] data) throws IOException {
        Files.write(file, data);
        try {
            VideoList.read(file);
        } catch (ConfigException expected) {
            // The documented refusal.
        }
    }

    @FuzzTest(maxDuration = "15s")
    void labelFile(byte[] data) throws IOException {
        Files.write(file, data);
        try {
            LabelNames.read(file);
        } catch (ConfigException expected) {
            // The documented refusal.
        }
    }
}
