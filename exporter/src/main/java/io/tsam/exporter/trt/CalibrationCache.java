package io.tsam.exporter.trt;

import io.tsam.common.io.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an INT8 calibration table is kept between builds, and what it was made from.
 *
 * <p>TensorRT uses a cached table without checking that it fits the network or the data, and a
 * stale table silently costs accuracy. So the table {@code file} is written with a key file beside
 * it ({@code <file>.key}) holding {@code key}, and it is only read back when the key file holds the
 * same key.
 *
 * @param file the calibration table
 * @param key what the table was made from: the model's and the data's identity, one string
 */
public record CalibrationCache(Path file, String key) {

    private static final Logger logger = LoggerFactory.getLogger(CalibrationCache.class);

    /** Checks the values. */
    public CalibrationCache {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(key, "key");
    }

    /** The key file beside {@link #file()}. */
    public Path keyFile() {
        return file.resolveSibling(file.getFileName() + ".key");
    }

    /**
     * Reads the table if it was made from the same model and data.
     *
     * @return the table, or empty when there is none or it was made from something else
     * @throws IOException if an existing file cannot be read
     */
    public Optional<byte[]> read() throws IOException {
        if (!Files.isRegularFile(file) || !Files.isRegularFile(keyFile())) {
            return Optional.empty();
        }
        if (!Files.readString(keyFile(), StandardCharsets.UTF_8).equals(key)) {
            logger.info("{} was made from another model or other data; calibrating anew", file);
            return Optional.empty();
        }
        return Optional.of(Files.readAllBytes(file));
    }

    /**
     * Writes the table and its key, each atomically; the table first, so a crash in between leaves
     * an old key that does not match.
     *
     * @throws IOException if a file cannot be written
     */
    public void write(byte[] table) throws IOException {
        Files.deleteIfExists(keyFile());
        AtomicFile.write(file, table);
        AtomicFile.write(keyFile(), key.getBytes(StandardCharsets.UTF_8));
    }
}
