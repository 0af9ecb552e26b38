package io.tsam.media.image;

import java.util.random.RandomGenerator;

/**
 * Where a square crop sits in a resized frame and whether it is mirrored; one crop serves every
 * frame of a clip, as TSM's {@code GroupRandomCrop} and {@code GroupCenterCrop} do.
 *
 * @param x the crop's left column in the resized frame
 * @param y the crop's top row in the resized frame
 * @param flip whether the crop is mirrored left to right
 */
public record Crop(int x, int y, boolean flip) {
    public Crop {
        if (x < 0 || y < 0) {
            throw new IllegalArgumentException(
                    "crop offset must be non-negative, got (" + x + ", " + y + ")");
        }
    }

    /**
     * The test-time crop: torchvision {@code CenterCrop}'s offsets {@code int(round((w - size) /
     * 2.0))}, with Python's round-half-to-even.
     */
    public static Crop center(int width, int height, int size) {
        checkFits(width, height, size);
        return new Crop(
                (int) Math.rint((width - size) / 2.0),
                (int) Math.rint((height - size) / 2.0),
                false);
    }

    /**
     * A training crop: offsets uniform over every position where the crop fits, and a mirror with
     * probability 1/2 when {@code flip} is allowed.
     */
    public static Crop random(int width, int height, int size, boolean flip, RandomGenerator rng) {
        checkFits(width, height, size);
        int x = rng.nextInt(width - size + 1);
        int y = rng.nextInt(height - size + 1);
        return new Crop(x, y, flip && rng.nextBoolean());
    }

    private static void checkFits(int width, int height, int size) {
        if (size < 1 || size > width || size > height) {
            throw new IllegalArgumentException(
                    "a "
                            + size
                            + "x"
                            + size
                            + " crop does not fit a "
                            + width
                            + "x"
                            + height
                            + " frame; crop_size must be between 1 and the resized frame's"
                            + " shorter side");
        }
    }
}
