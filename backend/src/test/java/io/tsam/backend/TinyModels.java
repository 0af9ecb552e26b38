package io.tsam.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tiny graphs with a real export's inputs, output and metadata (the 8 synthetic class names, {@code
 * resnet18} configs), written by {@code backend/src/test/fixtures-src/TinyTsamModels.java} with the
 * exporter's own graph builder and metadata writer: {@code tiny_tsam.onnx} (T=3, A=1, scale 36,
 * crop 32, square) and {@code tiny_video_only.onnx} (T=4, A=0, scale 32, crop 32, short side).
 * Shared with the runtime's tests through this module's test jar.
 */
public final class TinyModels {

    private static Path extracted;

    private TinyModels() {}

    /** The audio-visual model: T=3, A=1, 32x32. */
    public static Path tsam() {
        return resource("tiny_tsam.onnx");
    }

    /** The video-only model: T=4, A=0, 32x32. */
    public static Path videoOnly() {
        return resource("tiny_video_only.onnx");
    }

    /**
     * The model as a file: straight from {@code target/test-classes}, or copied once out of this
     * module's test jar when another module's tests use it.
     */
    private static synchronized Path resource(String name) {
        URL url = TinyModels.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing");
        }
        try {
            if (url.getProtocol().equals("file")) {
                return Path.of(url.toURI());
            }
            if (extracted == null) {
                extracted = Files.createTempDirectory("tsam-tiny-models-");
                extracted.toFile().deleteOnExit();
            }
            Path file = extracted.resolve(name);
            if (!Files.exists(file)) {
                try (InputStream in = url.openStream()) {
                    Files.copy(in, file);
                }
                file.toFile().deleteOnExit();
            }
            return file;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
