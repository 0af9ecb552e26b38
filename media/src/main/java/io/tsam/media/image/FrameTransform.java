package io.tsam.media.image;

import io.tsam.config.ResizeMode;
import java.util.Objects;

/**
 * The spatial half of the video preprocessing (SPEC §2, "Spatial" and "Resizing"): resize a frame
 * to {@code scale_size}, take a {@code crop_size} square at a {@link Crop}, mirror it if asked and
 * normalise it into a channel-first float tensor {@code (3, crop, crop)}.
 *
 * <p>Resizing is {@link BilinearResize} on each 0..255 channel plane, kept in float (Pillow rounds
 * to 8 bits after resizing; the difference stays below one grey level). Instances are immutable and
 * safe to share between threads.
 */
public final class FrameTransform {
    private final int scaleSize;
    private final int cropSize;
    private final ResizeMode resizeMode;
    private final float[] mean = new float[3];
    private final float[] std = new float[3];

    /**
     * A transform that resizes frames by {@code resizeMode} to {@code scaleSize}, then crops {@code
     * cropSize x cropSize}.
     *
     * @param scaleSize the size frames are resized to first, at least {@code cropSize}
     * @param cropSize the side of the square crop, at least 1
     * @param resizeMode {@link ResizeMode#SQUARE} resizes to {@code scaleSize x scaleSize}; {@link
     *     ResizeMode#SHORT_SIDE} resizes the shorter side to {@code scaleSize}
     */
    public FrameTransform(int scaleSize, int cropSize, ResizeMode resizeMode) {
        if (cropSize < 1 || scaleSize < cropSize) {
            throw new IllegalArgumentException(
                    "need 1 <= crop_size <= scale_size, got crop_size "
                            + cropSize
                            + " and scale_size "
                            + scaleSize);
        }
        this.scaleSize = scaleSize;
        this.cropSize = cropSize;
        this.resizeMode = Objects.requireNonNull(resizeMode, "resizeMode");
        for (int c = 0; c < 3; c++) {
            mean[c] = Normalization.MEAN.get(c);
            std[c] = Normalization.STD.get(c);
        }
    }

    /** The size frames are resized to before cropping. */
    public int scaleSize() {
        return scaleSize;
    }

    /** The side of the square crop, and of the output tensor. */
    public int cropSize() {
        return cropSize;
    }

    /** How frames are resized. */
    public ResizeMode resizeMode() {
        return resizeMode;
    }

    /** Floats {@link #apply} writes per frame: {@code 3 * cropSize * cropSize}. */
    public int outputLength() {
        return 3 * cropSize * cropSize;
    }

    /**
     * The size a {@code width x height} frame is resized to, as {@code {width, height}}: the
     * square, or torchvision {@code Resize(int)}'s rule for the shorter side (the longer side
     * becomes {@code int(scale * long / short)}).
     */
    public int[] resizedSize(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    "frame size must be positive, got " + width + "x" + height);
        }
        return switch (resizeMode) {
            case SQUARE -> new int[] {scaleSize, scaleSize};
            // Integer division is int(float) here: scale * long / short is either an integer or
            // at least 1 / short away from one, far beyond a double's rounding error.
            case SHORT_SIDE ->
                    width <= height
                            ? new int[] {scaleSize, (int) ((long) scaleSize * height / width)}
                            : new int[] {(int) ((long) scaleSize * width / height), scaleSize};
        };
    }

    /**
     * Resizes {@code frame}, crops it at {@code crop}, mirrors it if {@code crop.flip()} and writes
     * the normalised result channel-first, {@code (3, cropSize, cropSize)}, into {@code dst} from
     * {@code offset}.
     *
     * @param crop a crop made for {@link #resizedSize} of this frame, e.g. with {@link Crop#center}
     *     or {@link Crop#random}
     */
    public void apply(RgbImage frame, Crop crop, float[] dst, int offset) {
        int width = frame.width();
        int height = frame.height();
        int[] resized = resizedSize(width, height);
        int rw = resized[0];
        int rh = resized[1];
        if (crop.x() + cropSize > rw || crop.y() + cropSize > rh) {
            throw new IllegalArgumentException(
                    "crop at ("
                            + crop.x()
                            + ", "
                            + crop.y()
                            + ") of size "
                            + cropSize
                            + " leaves the "
                            + rw
                            + "x"
                            + rh
                            + " resized frame");
        }
        if (offset < 0 || dst.length - offset < outputLength()) {
            throw new IllegalArgumentException(
                    "dst holds "
                            + dst.length
                            + " floats; writing "
                            + outputLength()
                            + " from offset "
                            + offset
                            + " does not fit");
        }
        byte[] pixels = frame.pixels();
        int area = cropSize * cropSize;
        for (int c = 0; c < 3; c++) {
            float[] window =
                    BilinearResize.resizeWindow(
                            pixels, 3, c, height, width, rh, rw, crop.y(), crop.x(), cropSize,
                            cropSize);
            float m = mean[c];
            float s = std[c];
            int out = offset + c * area;
            for (int y = 0; y < cropSize; y++) {
                int row = y * cropSize;
                for (int x = 0; x < cropSize; x++) {
                    int sx = crop.flip() ? cropSize - 1 - x : x;
                    dst[out++] = (window[row + sx] / 255f - m) / s;
                }
            }
        }
    }
}
