package io.tsam.runtime.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A received video in a temporary file of the server's own, which closing deletes.
 *
 * @param file the temporary file; never a path the client named
 * @param name what the client called it, for answers and messages only
 * @param size its length in bytes, at least 1
 */
record Upload(Path file, String name, long size) implements AutoCloseable {

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the upload " + file, e);
        }
    }
}
