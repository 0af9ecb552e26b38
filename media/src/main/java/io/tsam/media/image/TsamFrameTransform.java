package io.tsam.media.image;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The spatial half of the {@code tsam} input profile: what TSAM's {@code validation_transform} and
 * {@code augmentation_video} compute on frames that {@code ToTensor()} made [0, 1] floats.
 *
 * <p>A region of the frame is cut out (test: torchvision's {@code CenterCrop} of the largest
 * square, side {@code min(H, W)}; training: a {@code RandomCrop} of {@code (int(S * a), int(S *
 * b))} for a random pair {@code (a, b)} of neighbouring {@code scales}), resized to {@code size x
 * size} without antialiasing (torchvision 0.14's tensor {@code Resize}) and, in training, mirrored
 * with probability 1/2. Values stay in [0, 1]: no mean or std. Instances are immutable and safe to
 * share between threads.
 */
public final class TsamFrameTransform {
    private final int size;

    /**
     * The region of a frame that is resized, shared by every frame of a clip.
     *
     * @param x left column
     * @param y top row
     * @param width columns
     * @param height rows
     * @param flip whether the result is mirrored left to right
     */
    public record Region(int x, int y, int width, int height, boolean flip) {}

    /** A transform to {@code size x size} images (TSAM's {@code output_size}). */
    public TsamFrameTransform(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("output size must be >= 1, got " + size);
        }
        this.size = size;
    }

    /** Floats {@link #apply} writes per frame: {@code 3 * size * size}. */
    public int outputLength() {
        return 3 * size * size;
    }

    /**
     * The test region: the centre square, offsets {@code int(round((W - S) / 2.0))} with Python's
     * half-to-even rounding.
     */
    public static Region center(int width, int height) {
        int side = Math.min(width, height);
        return new Region(
                (int) Math.rint((width - side) / 2.0),
                (int) Math.rint((height - side) / 2.0),
                side,
                side,
                false);
    }

    /**
     * A training region: TSAM's multi-scale crop. Every ordered pair of scales at most one apart in
     * the list is equally likely; the crop is {@code int(S * first)} rows by {@code int(S *
     * second)} columns at a uniformly random position.
     */
    public static Region random(
            int width, int height, List<Double> scales, boolean flip, RandomGenerator rng) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < scales.size(); i++) {
            for (int j = 0; j < scales.size(); j++) {
                if (Math.abs(i - j) <= 1) {
                    pairs.add(new double[] {scales.get(i), scales.get(j)});
                }
            }
        }
        double[] pair = pairs.get(rng.nextInt(pairs.size()));
        int side = Math.min(width, height);
        int rows = Math.max(1, (int) (side * pair[0]));
        int columns = Math.max(1, (int) (side * pair[1]));
        int y = rng.nextInt(height - rows + 1);
        int x = rng.nextInt(width - columns + 1);
        return new Region(x, y, columns, rows, flip && rng.nextBoolean());
    }

    /**
     * Cuts {@code region} out of {@code frame}, resizes it and writes it channel-first, {@code (3,
     * size, size)} in [0, 1], into {@code dst} from {@code offset}.
     */
    public void apply(RgbImage frame, Region region, float[] dst, int offset) {
        if (region.x() < 0
                || region.y() < 0
                || region.x() + region.width() > frame.width()
                || region.y() + region.height() > frame.height()) {
            throw new IllegalArgumentException(
                    region + " leaves the " + frame.width() + "x" + frame.height() + " frame");
        }
        if (offset < 0 || dst.length - offset < outputLength()) {
            throw new IllegalArgumentException(
                    "dst holds " + dst.length + " floats; " + outputLength() + " from " + offset);
        }
        byte[] pixels = frame.pixels();
        int w = region.width();
        int h = region.height();
        float[] plane = new float[w * h];
        int area = size * size;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                int src = ((region.y() + y) * frame.width() + region.x()) * 3 + c;
                for (int x = 0; x < w; x++, src += 3) {
                    plane[y * w + x] = (pixels[src] & 0xff) / 255f;
                }
            }
            float[] resized = BilinearResize.resizeWithoutAntialias(plane, h, w, size, size);
            int out = offset + c * area;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int sx = region.flip() ? size - 1 - x : x;
                    dst[out++] = resized[y * size + sx];
                }
            }
        }
    }
}
