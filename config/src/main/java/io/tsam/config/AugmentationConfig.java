package io.tsam.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * The {@code data_augmentation} section: how frames are resized and cropped (SPEC §2).
 *
 * @param scaleSize {@code scale_size}: frames are first resized to this size, >= 1
 * @param cropSize {@code crop_size}: the square crop fed to the network, in [1, scale_size]; also
 *     the size spectrograms are resized to
 * @param resizeMode {@code resize_mode}: square (TSAM) or shorter side (TSM)
 * @param flip {@code flip}: random horizontal flip in training
 */
public record AugmentationConfig(int scaleSize, int cropSize, ResizeMode resizeMode, boolean flip) {
    static final String SECTION = "data_augmentation";

    public AugmentationConfig {
        Objects.requireNonNull(resizeMode, "resizeMode");
        Check.atLeast(SECTION + ".scale_size", scaleSize, 1);
        Check.atLeast(SECTION + ".crop_size", cropSize, 1);
        if (cropSize > scaleSize) {
            throw ConfigException.invalidValue(
                    null,
                    SECTION + ".crop_size",
                    "expected an integer <= scale_size (" + scaleSize + ")",
                    cropSize);
        }
    }

    /** The defaults: 256, 224, square, flip. */
    public static AugmentationConfig defaults() {
        return new AugmentationConfig(256, 224, ResizeMode.SQUARE, true);
    }

    static AugmentationConfig read(JsonSection s) {
        AugmentationConfig d = defaults();
        AugmentationConfig result =
                new AugmentationConfig(
                        s.integer("scale_size", d.scaleSize()),
                        s.integer("crop_size", d.cropSize()),
                        s.choice(
                                "resize_mode",
                                d.resizeMode(),
                                List.of(ResizeMode.values()),
                                ResizeMode::jsonName),
                        s.bool("flip", d.flip()));
        s.finish();
        return result;
    }

    ObjectNode toJsonNode() {
        ObjectNode node = ConfigJson.newObject();
        node.put("scale_size", scaleSize);
        node.put("crop_size", cropSize);
        node.put("resize_mode", resizeMode.jsonName());
        node.put("flip", flip);
        return node;
    }
}
