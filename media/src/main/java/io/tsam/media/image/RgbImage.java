package io.tsam.media.image;

/**
 * An 8-bit RGB picture, row-major and channel-interleaved ({@code (H, W, 3)}), as decoders hand it
 * over.
 *
 * @param width pixels per row
 * @param height rows
 * @param pixels {@code width * height * 3} bytes, R, G, B per pixel
 */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "image size must be positive, got " + width + "x" + height);
        }
        if (pixels.length != width * height * 3) {
            throw new IllegalArgumentException(
                    "expected "
                            + width * height * 3
                            + " bytes for a "
                            + width
                            + "x"
                            + height
                            + " RGB image, got "
                            + pixels.length);
        }
    }

    /** Channel {@code c} of pixel {@code (x, y)} as an unsigned value in {@code [0, 255]}. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xff;
    }
}
