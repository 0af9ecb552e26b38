package io.tsam.media.image;

import java.util.Arrays;

/**
 * Bilinear resize with half-pixel centres that widens the triangle filter by the scale factor when
 * shrinking (antialiasing), on one float plane.
 *
 * <p>This is the separable resampling of Pillow's {@code Image.resize(..., BILINEAR)} and of {@code
 * torch.nn.functional.interpolate(mode="bilinear", align_corners=False, antialias=True)}: SPEC §2
 * requires frames and spectrograms to be resized exactly this way, so both the video and the audio
 * path call it. Values are kept in float between the two passes (Pillow rounds to 8 bits there; the
 * difference stays below one grey level).
 */
public final class BilinearResize {
    private BilinearResize() {}

    /**
     * Resizes a row-major {@code (srcH, srcW)} plane to {@code (dstH, dstW)}.
     *
     * @return a new row-major {@code (dstH, dstW)} array
     */
    public static float[] resize(float[] src, int srcH, int srcW, int dstH, int dstW) {
        checkSizes(src, srcH, srcW, dstH, dstW);
        float[] rows = horizontal(src, srcH, srcW, Weights.of(srcW, dstW));
        return vertical(rows, srcH, dstW, Weights.of(srcH, dstH));
    }

    /**
     * The {@code (h, w)} window at {@code (y0, x0)} of what {@link #resize} makes of one channel of
     * interleaved 8-bit pixels, computed alone: the same sums in the same order, so the same
     * floats, without resizing what a crop would throw away or copying the channel out first.
     *
     * @param pixels row-major {@code (srcH, srcW, channels)} bytes, read as 0..255
     * @return a new row-major {@code (h, w)} array
     */
    public static float[] resizeWindow(
            byte[] pixels,
            int channels,
            int channel,
            int srcH,
            int srcW,
            int dstH,
            int dstW,
            int y0,
            int x0,
            int h,
            int w) {
        if (pixels.length != srcH * srcW * channels || channel < 0 || channel >= channels) {
            throw new IllegalArgumentException(
                    "pixels hold "
                            + pixels.length
                            + " bytes, not "
                            + srcH
                            + "x"
                            + srcW
                            + "x"
                            + channels
                            + " with channel "
                            + channel);
        }
        if (y0 < 0 || x0 < 0 || h < 1 || w < 1 || y0 + h > dstH || x0 + w > dstW) {
            throw new IllegalArgumentException(
                    "window "
                            + h
                            + "x"
                            + w
                            + " at ("
                            + y0
                            + ", "
                            + x0
                            + ") leaves "
                            + dstH
                            + "x"
                            + dstW);
        }
        Weights wx = Weights.of(srcW, dstW);
        Weights wy = Weights.of(srcH, dstH);
        int firstRow = Integer.MAX_VALUE;
        int endRow = 0;
        for (int y = y0; y < y0 + h; y++) {
            firstRow = Math.min(firstRow, wy.bounds[2 * y]);
            endRow = Math.max(endRow, wy.bounds[2 * y] + wy.bounds[2 * y + 1]);
        }
        float[] rows = new float[(endRow - firstRow) * w];
        for (int r = firstRow; r < endRow; r++) {
            int base = r * srcW;
            for (int x = 0; x < w; x++) {
                int first = wx.bounds[2 * (x0 + x)];
                int count = wx.bounds[2 * (x0 + x) + 1];
                int k = (x0 + x) * wx.stride;
                double acc = 0;
                for (int i = 0; i < count; i++) {
                    acc +=
                            wx.coeffs[k + i]
                                    * (pixels[(base + first + i) * channels + channel] & 0xff);
                }
                rows[(r - firstRow) * w + x] = (float) acc;
            }
        }
        float[] out = new float[h * w];
        double[] acc = new double[w];
        for (int y = 0; y < h; y++) {
            int first = wy.bounds[2 * (y0 + y)];
            int count = wy.bounds[2 * (y0 + y) + 1];
            int k = (y0 + y) * wy.stride;
            Arrays.fill(acc, 0);
            for (int i = 0; i < count; i++) {
                double c = wy.coeffs[k + i];
                int row = (first + i - firstRow) * w;
                for (int x = 0; x < w; x++) {
                    acc[x] += c * rows[row + x];
                }
            }
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (float) acc[x];
            }
        }
        return out;
    }

    /**
     * Resizes without antialiasing, as {@code torch.nn.functional.interpolate(mode="bilinear",
     * align_corners=False)} and torchvision 0.14's {@code Resize} on tensors compute (what TSAM's
     * code ran): each output pixel reads the two nearest inputs at {@code (i + 0.5) * in / out -
     * 0.5}, clamped at 0, whatever the scale.
     *
     * @return a new row-major {@code (dstH, dstW)} array
     */
    public static float[] resizeWithoutAntialias(
            float[] src, int srcH, int srcW, int dstH, int dstW) {
        checkSizes(src, srcH, srcW, dstH, dstW);
        float[] rows = horizontal(src, srcH, srcW, Weights.twoTap(srcW, dstW));
        return vertical(rows, srcH, dstW, Weights.twoTap(srcH, dstH));
    }

    private static void checkSizes(float[] src, int srcH, int srcW, int dstH, int dstW) {
        if (src.length != srcH * srcW) {
            throw new IllegalArgumentException(
                    "plane holds " + src.length + " values, not " + srcH + "x" + srcW);
        }
        if (dstH <= 0 || dstW <= 0) {
            throw new IllegalArgumentException(
                    "target size must be positive, got " + dstH + "x" + dstW);
        }
    }

    private static float[] horizontal(float[] src, int h, int srcW, Weights wx) {
        int dstW = wx.bounds.length / 2;
        float[] out = new float[h * dstW];
        for (int y = 0; y < h; y++) {
            int row = y * srcW;
            for (int x = 0; x < dstW; x++) {
                int first = wx.bounds[2 * x];
                int count = wx.bounds[2 * x + 1];
                int k = x * wx.stride;
                double acc = 0;
                for (int i = 0; i < count; i++) {
                    acc += wx.coeffs[k + i] * src[row + first + i];
                }
                out[y * dstW + x] = (float) acc;
            }
        }
        return out;
    }

    private static float[] vertical(float[] src, int srcH, int w, Weights wy) {
        int dstH = wy.bounds.length / 2;
        float[] out = new float[dstH * w];
        double[] acc = new double[w];
        for (int y = 0; y < dstH; y++) {
            int first = wy.bounds[2 * y];
            int count = wy.bounds[2 * y + 1];
            int k = y * wy.stride;
            Arrays.fill(acc, 0);
            for (int i = 0; i < count; i++) {
                double c = wy.coeffs[k + i];
                int row = (first + i) * w;
                for (int x = 0; x < w; x++) {
                    acc[x] += c * src[row + x];
                }
            }
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (float) acc[x];
            }
        }
        return out;
    }

    /**
     * Per output pixel: the first input index, how many inputs it reads, and their normalised
     * triangle-filter weights (Pillow's {@code precompute_coeffs}).
     */
    private record Weights(int[] bounds, double[] coeffs, int stride) {
        static Weights of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the triangle's support is 1, widened when shrinking
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            double[] coeffs = new double[outSize * stride];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                // (int) truncates toward zero like Pillow's C cast; the max() handles negatives.
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double total = 0;
                for (int x = 0; x < xmax; x++) {
                    double w = triangle((x + xmin - center + 0.5) / filterScale);
                    coeffs[xx * stride + x] = w;
                    total += w;
                }
                if (total != 0) {
                    for (int x = 0; x < xmax; x++) {
                        coeffs[xx * stride + x] /= total;
                    }
                }
                bounds[2 * xx] = xmin;
                bounds[2 * xx + 1] = xmax;
            }
            return new Weights(bounds, coeffs, stride);
        }

        /** torch's {@code upsample_bilinear2d} weights, computed in float as torch does. */
        static Weights twoTap(int inSize, int outSize) {
            float scale = (float) inSize / outSize;
            int[] bounds = new int[outSize * 2];
            double[] coeffs = new double[outSize * 2];
            for (int xx = 0; xx < outSize; xx++) {
                float source = Math.max(scale * (xx + 0.5f) - 0.5f, 0f);
                int x0 = (int) source;
                int step = x0 < inSize - 1 ? 1 : 0;
                float lambda1 = source - x0;
                bounds[2 * xx] = x0;
                bounds[2 * xx + 1] = step + 1;
                coeffs[2 * xx] = step == 0 ? 1.0 : 1.0f - lambda1;
                coeffs[2 * xx + 1] = step == 0 ? 0.0 : lambda1;
            }
            return new Weights(bounds, coeffs, 2);
        }

        private static double triangle(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }
    }
}
