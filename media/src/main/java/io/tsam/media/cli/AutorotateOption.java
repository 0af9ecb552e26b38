package io.tsam.media.cli;

import io.tsam.config.TsamConfig;
import picocli.CommandLine.Option;

/** {@code --no-autorotate}, shared by the commands that decode videos for a model. */
public final class AutorotateOption {

    @Option(
            names = "--no-autorotate",
            description = {
                "Use frames as stored, ignoring the video's rotation metadata (display matrix);"
                        + " by default they are turned upright as ffmpeg does. Overrides"
                        + " data_augmentation.autorotate, and is recorded with the model."
            })
    boolean off;

    /** Whether frames are turned upright, where no model file decides. */
    public boolean autorotate() {
        return !off;
    }

    /** {@code config}, with autorotation off if the option was given. */
    public TsamConfig applyTo(TsamConfig config) {
        return off
                ? config.withDataAugmentation(config.dataAugmentation().withAutorotate(false))
                : config;
    }
}
