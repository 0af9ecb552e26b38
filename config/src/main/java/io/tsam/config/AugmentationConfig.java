package io.tsam.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code data_augmentation} section: which preprocessing builds the inputs and how frames are
 * resized, cropped and augmented (SPEC §2).
 *
 * @param profile {@code profile}: TSAM's code ({@code tsam}) or TSM's ImageNet practice ({@code
 *     imagenet}, the default: a model file in this project's layout computes TSAM's input only when
 *     it says so; TSAM's own config layouts always do)
 * @param scaleSize {@code scale_size}: {@code imagenet}: frames are resized to this before the
 *     crop; {@code tsam}: a video file's frames are scaled to this height first, as TSAM's {@code
 *     video2frames.py} does (TSAM's {@code input_size}, 256); >= 1
 * @param cropSize {@code crop_size}: the square the network sees, also the audio image's size
 *     (TSAM's {@code output_size}); in [1, scale_size]
 * @param resizeMode {@code resize_mode}: {@code imagenet}: square (TSAM) or shorter side (TSM)
 * @param flip {@code flip}: random horizontal flip in training
 * @param scales {@code scales}: {@code tsam} training crops a random pair of neighbouring scales of
 *     the frame's shorter side (TSAM's multi-scale crop), each in (0, 1]
 * @param colorJitter {@code color_jitter}: {@code tsam} training colour jitter (TSAM's {@code
 *     ColorJitter})
 * @param randomGrayscale {@code random_grayscale}: probability of a grey training clip, in [0, 1]
 * @param gaussianBlur {@code gaussian_blur}: {@code tsam} training blur (TSAM's {@code
 *     GaussianBlur})
 * @param audioImage {@code audio_image}: the {@code tsam} profile's spectrogram settings
 * @param waveformShift {@code random_shift_waveform}: {@code tsam} training cuts up to these many
 *     seconds from the start and the end of the track; empty for none
 * @param autorotate {@code autorotate}: frames are turned upright by the video's display matrix
 *     (90/180/270 degrees and mirrors), as the {@code ffmpeg} command line does; true unless a file
 *     says otherwise, false for a stored config written before the key existed
 * @param fps {@code fps}: {@code tsam}: a video file's frames are resampled to this rate first, as
 *     {@code video2frames.py --fps} (default 10) extracted them; > 0
 */
public record AugmentationConfig(
        InputProfile profile,
        int scaleSize,
        int cropSize,
        ResizeMode resizeMode,
        boolean flip,
        List<Double> scales,
        boolean colorJitter,
        double randomGrayscale,
        boolean gaussianBlur,
        AudioImageConfig audioImage,
        List<Double> waveformShift,
        double fps,
        boolean autorotate) {
    static final String SECTION = "data_augmentation";

    /** The key of {@link #autorotate}; a stored config written before it existed means false. */
    static final String AUTOROTATE_KEY = "autorotate";

    /** The key of {@link #profile}; a stored config written before it existed means imagenet. */
    static final String PROFILE_KEY = "profile";

    private static final List<Double> TSAM_SCALES = List.of(1.0, 0.875, 0.75, 0.66);
    private static final double TSAM_FPS = 10.0;

    public AugmentationConfig {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(resizeMode, "resizeMode");
        Objects.requireNonNull(audioImage, "audioImage");
        scales = List.copyOf(scales);
        waveformShift = List.copyOf(waveformShift);
        Check.atLeast(SECTION + ".scale_size", scaleSize, 1);
        Check.atLeast(SECTION + ".crop_size", cropSize, 1);
        if (cropSize > scaleSize) {
            throw ConfigException.invalidValue(
                    null,
                    SECTION + ".crop_size",
                    "expected an integer <= scale_size (" + scaleSize + ")",
                    cropSize);
        }
        if (scales.isEmpty()) {
            throw ConfigException.invalidValue(
                    null, SECTION + ".scales", "expected at least one scale", scales);
        }
        for (int i = 0; i < scales.size(); i++) {
            Check.inRangeOpenLow(SECTION + ".scales[" + i + "]", scales.get(i), 0, 1);
        }
        Check.inRange(SECTION + ".random_grayscale", randomGrayscale, 0, 1, true);
        if (!waveformShift.isEmpty() && waveformShift.size() != 2) {
            throw ConfigException.invalidValue(
                    null,
                    SECTION + ".random_shift_waveform",
                    "expected null or [seconds from the start, seconds from the end]",
                    waveformShift);
        }
        for (int i = 0; i < waveformShift.size(); i++) {
            Check.nonNegative(SECTION + ".random_shift_waveform[" + i + "]", waveformShift.get(i));
        }
        Check.positive(SECTION + ".fps", fps);
    }

    /** The defaults: ImageNet profile, 256, 224, square, flip; TSAM's scales and audio image. */
    public static AugmentationConfig defaults() {
        return new AugmentationConfig(
                InputProfile.IMAGENET,
                256,
                224,
                ResizeMode.SQUARE,
                true,
                TSAM_SCALES,
                false,
                0.0,
                false,
                AudioImageConfig.defaults(),
                List.of(),
                TSAM_FPS,
                true);
    }

    /** The {@code imagenet} profile with these sizes, other settings at their defaults. */
    public static AugmentationConfig imagenet(
            int scaleSize, int cropSize, ResizeMode resizeMode, boolean flip) {
        AugmentationConfig d = defaults();
        return new AugmentationConfig(
                InputProfile.IMAGENET,
                scaleSize,
                cropSize,
                resizeMode,
                flip,
                d.scales,
                false,
                0.0,
                false,
                d.audioImage,
                List.of(),
                d.fps,
                d.autorotate);
    }

    /** A copy with another {@code profile}. */
    public AugmentationConfig withProfile(InputProfile newProfile) {
        return new AugmentationConfig(
                newProfile,
                scaleSize,
                cropSize,
                resizeMode,
                flip,
                scales,
                colorJitter,
                randomGrayscale,
                gaussianBlur,
                audioImage,
                waveformShift,
                fps,
                autorotate);
    }

    /** A copy with another {@code autorotate}. */
    public AugmentationConfig withAutorotate(boolean newAutorotate) {
        return new AugmentationConfig(
                profile,
                scaleSize,
                cropSize,
                resizeMode,
                flip,
                scales,
                colorJitter,
                randomGrayscale,
                gaussianBlur,
                audioImage,
                waveformShift,
                fps,
                newAutorotate);
    }

    /**
     * The training augmentations this toolchain's trainer does not implement, as config keys with
     * their values; empty when it can train with this section.
     */
    public List<String> unsupportedForTraining() {
        List<String> keys = new ArrayList<>();
        if (colorJitter) {
            keys.add(SECTION + ".color_jitter (TSAM's ColorJitter): true");
        }
        if (randomGrayscale > 0) {
            keys.add(SECTION + ".random_grayscale (TSAM's RandomGrayscale): " + randomGrayscale);
        }
        if (gaussianBlur) {
            keys.add(SECTION + ".gaussian_blur (TSAM's GaussianBlur): true");
        }
        return keys;
    }

    static AugmentationConfig read(JsonSection s) {
        AugmentationConfig d = defaults();
        AugmentationConfig result =
                new AugmentationConfig(
                        s.choice(
                                PROFILE_KEY,
                                d.profile(),
                                List.of(InputProfile.values()),
                                InputProfile::jsonName),
                        s.integer("scale_size", d.scaleSize()),
                        s.integer("crop_size", d.cropSize()),
                        s.choice(
                                "resize_mode",
                                d.resizeMode(),
                                List.of(ResizeMode.values()),
                                ResizeMode::jsonName),
                        s.bool("flip", d.flip()),
                        s.numbers("scales", d.scales()),
                        s.bool("color_jitter", d.colorJitter()),
                        s.number("random_grayscale", d.randomGrayscale()),
                        s.bool("gaussian_blur", d.gaussianBlur()),
                        AudioImageConfig.read(s.section(AudioImageConfig.SECTION)),
                        s.nullableNumbers("random_shift_waveform", d.waveformShift()),
                        s.number("fps", d.fps()),
                        s.bool(AUTOROTATE_KEY, d.autorotate()));
        s.finish();
        return result;
    }

    ObjectNode toJsonNode() {
        ObjectNode node = ConfigJson.newObject();
        node.put(PROFILE_KEY, profile.jsonName());
        node.put("scale_size", scaleSize);
        node.put("crop_size", cropSize);
        node.put("resize_mode", resizeMode.jsonName());
        node.put("flip", flip);
        ArrayNode scaleList = node.putArray("scales");
        scales.forEach(v -> scaleList.add(ConfigJson.number(v)));
        node.put("color_jitter", colorJitter);
        node.set("random_grayscale", ConfigJson.number(randomGrayscale));
        node.put("gaussian_blur", gaussianBlur);
        node.set(AudioImageConfig.SECTION, audioImage.toJsonNode());
        if (waveformShift.isEmpty()) {
            node.putNull("random_shift_waveform");
        } else {
            ArrayNode shift = node.putArray("random_shift_waveform");
            waveformShift.forEach(v -> shift.add(ConfigJson.number(v)));
        }
        node.set("fps", ConfigJson.number(fps));
        node.put(AUTOROTATE_KEY, autorotate);
        return node;
    }
}
