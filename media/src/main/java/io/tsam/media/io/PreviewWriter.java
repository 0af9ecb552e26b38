package io.tsam.media.io;

import io.tsam.common.io.AtomicFile;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.pipeline.MediaConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * PNG pictures of model inputs, so a person can see what the network sees: the sampled frames as a
 * contact sheet and the three log-mel channels side by side.
 */
public final class PreviewWriter {
    private static final int GAP = 4;

    /** Stops of a perceptually ordered dark-to-bright colour map (viridis-like). */
    private static final int[][] COLORMAP = {
        {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}
    };

    private PreviewWriter() {}

    /**
     * Writes what a model is fed for one clip into {@code dir}: {@code video.npy} {@code [1, T, 3,
     * S, S]}, {@code frames.png} and, with audio, {@code audio.npy} {@code [1, 3, S, S]} and {@code
     * audio.png}.
     */
    public static void writeClip(Path dir, ClipTensors clip, MediaConfig media) throws IOException {
        int size = media.cropSize();
        int segments = media.videoSegments();
        Npy.write(dir.resolve("video.npy"), clip.video(), 1, segments, 3, size, size);
        writeContactSheet(
                dir.resolve("frames.png"), clip.video(), segments, size, media.mean(), media.std());
        if (clip.audio() != null) {
            Npy.write(dir.resolve("audio.npy"), clip.audio(), 1, 3, size, size);
            writeSpectrograms(dir.resolve("audio.png"), clip.audio(), size);
        }
    }

    /**
     * Writes the {@code [T, 3, size, size]} video tensor as one row of frames, undoing the
     * normalisation {@code (pixel / 255 - mean) / std} it was made with.
     */
    public static void writeContactSheet(
            Path file, float[] video, int frames, int size, List<Float> mean, List<Float> std)
            throws IOException {
        BufferedImage sheet = canvas(frames, size);
        int plane = size * size;
        for (int t = 0; t < frames; t++) {
            int base = t * 3 * plane;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int rgb = 0;
                    for (int c = 0; c < 3; c++) {
                        float v = video[base + c * plane + y * size + x];
                        float pixel = (v * std.get(c) + mean.get(c)) * 255f;
                        rgb = (rgb << 8) | clamp(Math.round(pixel));
                    }
                    sheet.setRGB(t * (size + GAP) + x, y, rgb);
                }
            }
        }
        write(sheet, file);
    }

    /**
     * Writes the {@code [3, size, size]} audio image as three panels (25, 50, 100 ms windows), low
     * frequencies at the bottom, each panel scaled to its own range.
     */
    public static void writeSpectrograms(Path file, float[] audio, int size) throws IOException {
        BufferedImage sheet = canvas(3, size);
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                min = Math.min(min, audio[i]);
                max = Math.max(max, audio[i]);
            }
            float range = max > min ? max - min : 1f;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    float v = (audio[c * plane + y * size + x] - min) / range;
                    // Row 0 is the lowest mel band; images put y = 0 at the top.
                    sheet.setRGB(c * (size + GAP) + x, size - 1 - y, colour(v));
                }
            }
        }
        write(sheet, file);
    }

    private static BufferedImage canvas(int panels, int size) {
        BufferedImage image =
                new BufferedImage(
                        panels * size + (panels - 1) * GAP, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, 0xffffff);
            }
        }
        return image;
    }

    private static int colour(float v) {
        float pos = Math.max(0f, Math.min(1f, v)) * (COLORMAP.length - 1);
        int i = Math.min((int) pos, COLORMAP.length - 2);
        float f = pos - i;
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
            rgb = (rgb << 8) | clamp(Math.round(COLORMAP[i][c] * (1 - f) + COLORMAP[i + 1][c] * f));
        }
        return rgb;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        AtomicFile.write(
                file,
                tmp -> {
                    if (!ImageIO.write(image, "png", tmp.toFile())) {
                        throw new IOException("no PNG writer available");
                    }
                });
    }
}
