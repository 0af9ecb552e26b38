package io.tsam.runtime;

import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SyntheticDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The runtime's test models and videos.
 *
 * <p>The models are tiny graphs with a real export's inputs, output and metadata (the 8 synthetic
 * class names, {@code resnet18} configs), written by {@code
 * runtime/src/test/fixtures-src/TinyTsamModels.java} with the exporter's own graph builder and
 * metadata writer: {@code tiny_tsam.onnx} (T=3, A=1, scale 36, crop 32, square) and {@code
 * tiny_video_only.onnx} (T=4, A=0, scale 32, crop 32, short side).
 */
public final class TestModels {

    private TestModels() {}

    /** The audio-visual model: T=3, A=1, 32x32. */
    public static Path tsam() {
        return resource("tiny_tsam.onnx");
    }

    /** The video-only model: T=4, A=0, 32x32. */
    public static Path videoOnly() {
        return resource("tiny_video_only.onnx");
    }

    /**
     * Writes one small synthetic video per class (64x48, 1 s at 12 fps, with a tone) into {@code
     * dir}.
     *
     * @return the videos folder
     */
    public static Path synthVideos(Path dir) {
        SynthSpec spec =
                SynthSpec.defaults()
                        .withPerClass(1)
                        .withSize(64, 48)
                        .withSeconds(1.0)
                        .withFps(12)
                        .withThreads(1);
        try {
            SyntheticDataset.generate(dir, spec, done -> {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.resolve(SyntheticDataset.VIDEOS_DIR);
    }

    private static Path resource(String name) {
        URL url = TestModels.class.getResource(name);
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
