package io.tsam.media.pipeline;

import io.tsam.config.AudioImageConfig;
import io.tsam.config.AugmentationConfig;
import io.tsam.config.InputProfile;
import io.tsam.config.ResizeMode;
import io.tsam.config.TsamConfig;
import io.tsam.media.image.Normalization;
import io.tsam.media.sampling.FrameSampling;
import java.util.List;
import java.util.Objects;

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
 * @param profile which preprocessing: TSAM's code or the ImageNet practice
 * @param scales {@code tsam} training: the multi-scale crop's scales
 * @param audioImage {@code tsam}: the spectrogram settings
 * @param waveformShift {@code tsam} training: seconds that may be cut from the track's ends
 * @param fps {@code tsam}: the rate a video file's frames are resampled to, as extracted frames
 * @param autorotate whether frames are turned upright by the video's display matrix
 * @param sampling which frames test clips take: exact (the default) or, opt-in under the {@code
 *     imagenet} profile, the cheapest to decode near them
 */
public record MediaConfig(
        int videoSegments,
        boolean audio,
        int scaleSize,
        int cropSize,
        ResizeMode resizeMode,
        boolean flip,
        InputProfile profile,
        List<Double> scales,
        AudioImageConfig audioImage,
        List<Double> waveformShift,
        double fps,
        boolean autorotate,
        FrameSampling sampling) {

    public MediaConfig {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(audioImage, "audioImage");
        scales = List.copyOf(scales);
        waveformShift = List.copyOf(waveformShift);
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
                aug.flip(),
                aug.profile(),
                aug.scales(),
                aug.audioImage(),
                aug.waveformShift(),
                aug.fps(),
                aug.autorotate(),
                FrameSampling.EXACT);
    }

    /** The {@code imagenet} profile's settings, for callers that build them by hand. */
    public static MediaConfig imagenet(
            int videoSegments,
            boolean audio,
            int scaleSize,
            int cropSize,
            ResizeMode resizeMode,
            boolean flip) {
        AugmentationConfig d = AugmentationConfig.defaults();
        return new MediaConfig(
                videoSegments,
                audio,
                scaleSize,
                cropSize,
                resizeMode,
                flip,
                InputProfile.IMAGENET,
                d.scales(),
                d.audioImage(),
                List.of(),
                d.fps(),
                d.autorotate(),
                FrameSampling.EXACT);
    }

    /** These settings with test clips taking {@code sampling}'s frames. */
    public MediaConfig withSampling(FrameSampling sampling) {
        return new MediaConfig(
                videoSegments,
                audio,
                scaleSize,
                cropSize,
                resizeMode,
                flip,
                profile,
                scales,
                audioImage,
                waveformShift,
                fps,
                autorotate,
                sampling);
    }

    /** The RGB means the frames' {@code pixel / 255} are reduced by: 0 under TSAM's profile. */
    public List<Float> mean() {
        return tsamProfile() ? List.of(0f, 0f, 0f) : Normalization.MEAN;
    }

    /** The RGB standard deviations frames are divided by: 1 under TSAM's profile. */
    public List<Float> std() {
        return tsamProfile() ? List.of(1f, 1f, 1f) : Normalization.STD;
    }

    /** Whether inputs are computed as TSAM's code computes them. */
    public boolean tsamProfile() {
        return profile == InputProfile.TSAM;
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
