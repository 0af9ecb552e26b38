package io.tsam.runtime;

import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SyntheticDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The runtime's test videos. */
public final class SynthVideos {

    private SynthVideos() {}

    /**
     * Writes one small synthetic video per class (64x48, 1 s at 12 fps, with a tone) into {@code
     * dir}.
     *
     * @return the videos folder
     */
    public static Path perClass(Path dir) {
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
}
