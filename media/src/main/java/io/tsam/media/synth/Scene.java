package io.tsam.media.synth;

import java.util.SplittableRandom;

/**
 * One video's picture: a noisy background with a gentle gradient and one flat-coloured rectangle or
 * ellipse that either crosses the frame or changes size.
 *
 * <p>A reversed motion renders frame {@code i} as the forward motion's frame {@code frames-1-i}
 * with the same random draws, so a class and its reversed partner share the distribution of single
 * frames and differ only in their order. Frames are RGB24, row-major {@code (H, W, 3)}.
 */
final class Scene {
    /** Smallest RGB distance between object and background, so the object is always visible. */
    private static final double MIN_CONTRAST = 140.0;

    private final int width;
    private final int height;
    private final boolean horizontal;
    private final boolean reversed;
    private final boolean ellipse;
    private final int[] objectRgb;
    private final int noiseAmplitude;
    private final float[] background;
    private final double startTime;
    private final double endTime;
    // Horizontal motion: centre moves from (x0, y0) to (x1, y1) at a fixed size.
    // Size change: centre fixed at (x0, y0), size scales from (w0, h0) by growth.
    private final double x0;
    private final double x1;
    private final double y0;
    private final double y1;
    private final double w0;
    private final double h0;
    private final double growth;

    private Scene(SynthClass.Motion motion, SplittableRandom rng, int width, int height) {
        this.width = width;
        this.height = height;
        this.horizontal = motion.horizontal();
        this.reversed = motion.reversed();
        int[] backgroundRgb = {between(rng, 40, 215), between(rng, 40, 215), between(rng, 40, 215)};
        this.objectRgb = contrastingColour(rng, backgroundRgb);
        this.background = backgroundPlane(rng, backgroundRgb, width, height);
        this.noiseAmplitude = between(rng, 2, 6);
        this.ellipse = rng.nextBoolean();
        // Symmetric ranges for start and end keep the reversed motion's timing distribution equal.
        this.startTime = uniform(rng, 0.0, 0.15);
        this.endTime = uniform(rng, 0.85, 1.0);
        if (horizontal) {
            this.w0 = uniform(rng, 0.12, 0.22) * width;
            this.h0 = uniform(rng, 0.18, 0.35) * height;
            this.x0 = uniform(rng, 0.10, 0.25) * width;
            this.x1 = uniform(rng, 0.75, 0.90) * width;
            this.y0 = uniform(rng, 0.30, 0.70) * height;
            this.y1 = y0 + uniform(rng, -0.08, 0.08) * height;
            this.growth = 1.0;
        } else {
            this.x0 = uniform(rng, 0.30, 0.70) * width;
            this.x1 = x0;
            this.y0 = uniform(rng, 0.30, 0.70) * height;
            this.y1 = y0;
            double maxHeight = uniform(rng, 0.45, 0.65) * height;
            double maxWidth = Math.min(maxHeight * uniform(rng, 0.7, 1.4), 0.6 * width);
            this.growth = uniform(rng, 2.5, 4.0);
            this.w0 = maxWidth / growth;
            this.h0 = maxHeight / growth;
        }
    }

    /** Draws the scene of one video of {@code motion} from {@code rng}. */
    static Scene draw(SynthClass.Motion motion, SplittableRandom rng, int width, int height) {
        return new Scene(motion, rng, width, height);
    }

    /**
     * Renders frame {@code index} of {@code frames} into {@code rgb} ({@code height * width * 3}
     * bytes), drawing the pixel noise from {@code noise}.
     */
    void render(int index, int frames, byte[] rgb, SplittableRandom noise) {
        double t = (double) index / (frames - 1);
        double p = progress(reversed ? 1.0 - t : t);
        double cx;
        double cy;
        double halfW;
        double halfH;
        if (horizontal) {
            cx = x0 + (x1 - x0) * p;
            cy = y0 + (y1 - y0) * p;
            halfW = w0 / 2;
            halfH = h0 / 2;
        } else {
            double scale = Math.pow(growth, p);
            cx = x0;
            cy = y0;
            halfW = w0 * scale / 2;
            halfH = h0 * scale / 2;
        }
        int span = 2 * noiseAmplitude + 1;
        int i = 0;
        for (int y = 0; y < height; y++) {
            double dy = (y + 0.5 - cy) / halfH;
            for (int x = 0; x < width; x++) {
                double dx = (x + 0.5 - cx) / halfW;
                boolean inside =
                        ellipse
                                ? dx * dx + dy * dy <= 1.0
                                : Math.abs(dx) <= 1.0 && Math.abs(dy) <= 1.0;
                for (int c = 0; c < 3; c++, i++) {
                    float base = inside ? objectRgb[c] : background[i];
                    int value = Math.round(base) + noise.nextInt(span) - noiseAmplitude;
                    rgb[i] = (byte) Math.min(255, Math.max(0, value));
                }
            }
        }
    }

    /** Fraction of the motion done at time {@code t} in [0, 1]: still, then linear, then still. */
    private double progress(double t) {
        double p = (t - startTime) / (endTime - startTime);
        return Math.min(1.0, Math.max(0.0, p));
    }

    private static float[] backgroundPlane(SplittableRandom rng, int[] rgb, int width, int height) {
        double angle = uniform(rng, 0.0, 2 * Math.PI);
        double strength = uniform(rng, 0.0, 24.0);
        double gx = Math.cos(angle) * strength;
        double gy = Math.sin(angle) * strength;
        float[] plane = new float[width * height * 3];
        int i = 0;
        for (int y = 0; y < height; y++) {
            double v = (y + 0.5) / height - 0.5;
            for (int x = 0; x < width; x++) {
                double u = (x + 0.5) / width - 0.5;
                double offset = gx * u + gy * v;
                for (int c = 0; c < 3; c++, i++) {
                    plane[i] = (float) (rgb[c] + offset);
                }
            }
        }
        return plane;
    }

    private static int[] contrastingColour(SplittableRandom rng, int[] background) {
        // Rejection sampling always ends: some corner of the RGB cube is far from any background.
        while (true) {
            int[] rgb = {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
            double d2 = 0;
            for (int c = 0; c < 3; c++) {
                double d = rgb[c] - background[c];
                d2 += d * d;
            }
            if (d2 >= MIN_CONTRAST * MIN_CONTRAST) {
                return rgb;
            }
        }
    }

    private static int between(SplittableRandom rng, int min, int max) {
        return rng.nextInt(min, max + 1);
    }

    private static double uniform(SplittableRandom rng, double min, double max) {
        return min + (max - min) * rng.nextDouble();
    }
}
