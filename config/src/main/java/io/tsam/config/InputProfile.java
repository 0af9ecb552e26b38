package io.tsam.config;

/** Which preprocessing builds a model's inputs (SPEC §2, {@code data_augmentation.profile}). */
public enum InputProfile {
    /**
     * What TSAM's published code computes ({@code get_video_x}, {@code get_audio_x}): RGB in [0, 1]
     * without normalisation, the centre square of the frame resized to {@code crop_size}; the audio
     * image from the first channel at the track's own sample rate, {@code log(mel + eps)}, not
     * standardised. The default, because TSAM's checkpoints were trained on it.
     */
    TSAM("tsam"),
    /**
     * TSM/MMAction2 practice: ImageNet mean/std, resize to {@code scale_size} then crop; a 16 kHz
     * mono audio image, standardised. The default of this project's model files, and what files
     * written before profiles existed computed.
     */
    IMAGENET("imagenet");

    private final String jsonName;

    InputProfile(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in the config file. */
    public String jsonName() {
        return jsonName;
    }
}
