package io.tsam.media.image;

import java.util.List;

/**
 * The ImageNet channel statistics every video frame is normalised with, {@code (v / 255 - MEAN[c])
 * / STD[c]} (SPEC §2, "Video tensor").
 *
 * <p>Kept in one place because the trainer, the exported graph's metadata and the runtime must
 * agree on them to the last bit. The arithmetic is float32 in this order, as torchvision's {@code
 * ToTensor} then {@code Normalize} do it.
 */
public final class Normalization {
    /** Per-channel mean of {@code v / 255}, in R, G, B order. */
    public static final List<Float> MEAN = List.of(0.485f, 0.456f, 0.406f);

    /** Per-channel standard deviation of {@code v / 255}, in R, G, B order. */
    public static final List<Float> STD = List.of(0.229f, 0.224f, 0.225f);

    private Normalization() {}

    /** Normalises one value {@code v} in {@code [0, 255]} of channel {@code c} (0 = R). */
    public static float apply(float v, int c) {
        return (v / 255f - MEAN.get(c)) / STD.get(c);
    }
}
