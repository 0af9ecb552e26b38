package io.tsam.backend;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * Tiny graphs with a real export's inputs, output and metadata (the 8 synthetic class names, {@code
 * resnet18} configs), written by {@code backend/src/test/fixtures-src/TinyTsamModels.java} with the
 * exporter's own graph builder and metadata writer: {@code tiny_tsam.onnx} (T=3, A=1, scale 36,
 * crop 32, square) and {@code tiny_video_only.onnx} (T=4, A=0, scale 32, crop 32, short side).
 * Shared with the runtime's tests through this module's test jar.
 */
public final class TinyModels {

    private TinyModels() {}

    /** The audio-visual model: T=3, A=1, 32x32. */
    public static Path tsam() {
        return resource("tiny_tsam.onnx");
    }

    /** The video-only model: T=4, A=0, 32x32. */
    public static Path videoOnly() {
        return resource("tiny_video_only.onnx");
    }

    private static Path resource(String name) {
        URL url = TinyModels.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
