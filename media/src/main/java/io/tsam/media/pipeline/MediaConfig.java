package io.tsam.media.pipeline;

import io.tsam.config.AugmentationConfig;
import io.tsam.config.ResizeMode;
import io.tsam.config.TsamConfig;

/**
 * What the media pipeline needs to know to build a model's inputs (SPEC §2), taken from the model
 * file once at the edge.
 *
 * @param videoSegments {@code T}, frames sampled per clip
 * @param audio whether the model has an audio segment ({@code model.audio_segments = 1})
 * @param scaleSize frames are first resized to this (square side, or shorter side)
 * @param cropSize side of the square crop the model sees; spectrograms are resized straight to it
 * @param resizeMode square (TSAM) or short-side (TSM/MMAction2) resize
 * @param flip whether training clips are flipped horizontally at random
 */
public record MediaConfig(
        int videoSegments,
        boolean audio,
        int scaleSize,
        int cropSize,
        ResizeMode resizeMode,
        boolean flip) {

    public MediaConfig {
        if (videoSegments < 1) {
            throw new IllegalArgumentException("video_segments must be >= 1, got " + videoSegments);
        }
        if (cropSize < 1 || cropSize > scaleSize) {
            throw new IllegalArgumentException(
                    "crop_size must be in [1, scale_size=" + scaleSize + "], got " + cropSize);
        }
    }

    /** The media settings of a TSAM model file. */
    public static MediaConfig of(TsamConfig config) {
        AugmentationConfig aug = config.dataAugmentation();
        return new MediaConfig(
                config.model().videoSegments(),
                config.model().audioSegments() == 1,
                aug.scaleSize(),
                aug.cropSize(),
                aug.resizeMode(),
                aug.flip());
    }

    /** Number of floats in one clip's video tensor {@code [T, 3, crop, crop]}. */
    public int videoLength() {
        return videoSegments * imageLength();
    }

    /** Number of floats in one {@code [3, crop, crop]} image. */
    public int imageLength() {
        return 3 * cropSize * cropSize;
    }
}
