package io.tsam.config;

/** How frames are resized to {@code data_augmentation.scale_size} before cropping (SPEC §2). */
public enum ResizeMode {
    /**
     * Straight to a {@code scale_size x scale_size} square, ignoring the aspect ratio, as TSAM
     * does.
     */
    SQUARE("square"),
    /** Shorter side to {@code scale_size}, keeping the aspect ratio, as TSM and MMAction2 do. */
    SHORT_SIDE("short_side");

    private final String jsonName;

    ResizeMode(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in the config file. */
    public String jsonName() {
        return jsonName;
    }
}
