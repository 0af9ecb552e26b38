package io.tsam.media.video;

import io.tsam.media.MediaException;
import io.tsam.media.image.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A video stored as a folder of extracted frames, one JPEG per frame (the TSN/TSM {@code
 * dir_frames} layout, e.g. {@code img_00001.jpg} for frame index 0).
 *
 * <p>The frame count is the number of consecutive files from frame number 1; files after a gap are
 * not part of the video. Images are decoded with ImageIO only when read. Not thread-safe.
 */
public final class JpegFolder implements FrameSource {
    private final Path dir;
    private final IntFunction<String> frameName;
    private final int frameCount;
    private long framesDecoded;
    private boolean closed;

    private JpegFolder(Path dir, IntFunction<String> frameName, int frameCount) {
        this.dir = dir;
        this.frameName = frameName;
        this.frameCount = frameCount;
    }

    /**
     * Opens a frame folder.
     *
     * @param frameName maps a 1-based frame number to its file name in {@code dir}, e.g. {@code n
     *     -> String.format("img_%05d.jpg", n)} for the template {@code img_%05d.jpg}
     * @throws MediaException naming the folder if it is missing or holds no first frame
     */
    public static JpegFolder open(Path dir, IntFunction<String> frameName) {
        if (!Files.isDirectory(dir)) {
            throw new MediaException(
                    dir, Files.exists(dir) ? "not a folder of frames" : "no such folder");
        }
        Set<String> names = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        } catch (IOException e) {
            throw new MediaException(dir, "cannot list the folder: " + e.getMessage(), e);
        }
        int count = 0;
        // Bounded by the file count, so a template that names every frame alike cannot loop.
        while (count < names.size() && names.contains(frameName.apply(count + 1))) {
            count++;
        }
        if (count == 0) {
            throw new MediaException(
                    dir,
                    "no frames: the first frame file "
                            + frameName.apply(1)
                            + " is missing (check frames_tmpl)");
        }
        return new JpegFolder(dir, frameName, count);
    }

    @Override
    public Path path() {
        return dir;
    }

    @Override
    public int frameCount() {
        checkOpen();
        return frameCount;
    }

    @Override
    public List<RgbImage> read(int[] indices) {
        checkOpen();
        return FrameRequests.read(
                indices,
                frameCount,
                dir,
                index -> {
                    framesDecoded++;
                    return decode(dir.resolve(frameName.apply(index + 1)));
                });
    }

    @Override
    public DecodeStats stats() {
        checkOpen();
        return new DecodeStats(framesDecoded, 0);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(dir + " is closed");
        }
    }

    private static RgbImage decode(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new MediaException(file, "not a readable image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new MediaException(file, "not a readable image (no decoder recognises it)");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        Raster raster = image.getRaster();
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR && isPacked(raster, 3)) {
            byte[] bgr = ((DataBufferByte) raster.getDataBuffer()).getData();
            for (int i = 0; i < rgb.length; i += 3) {
                rgb[i] = bgr[i + 2];
                rgb[i + 1] = bgr[i + 1];
                rgb[i + 2] = bgr[i];
            }
        } else if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            // Raw samples: getRGB would treat them as linear grey and re-gamma them.
            int[] grey = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < grey.length; i++) {
                byte v = (byte) grey[i];
                rgb[3 * i] = v;
                rgb[3 * i + 1] = v;
                rgb[3 * i + 2] = v;
            }
        } else {
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < argb.length; i++) {
                rgb[3 * i] = (byte) (argb[i] >> 16);
                rgb[3 * i + 1] = (byte) (argb[i] >> 8);
                rgb[3 * i + 2] = (byte) argb[i];
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** Whether the raster's bytes are exactly its pixels, row after row, with no padding. */
    private static boolean isPacked(Raster raster, int channels) {
        return raster.getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getNumBanks() == 1
                && buffer.getOffset() == 0
                && buffer.getSize() == raster.getWidth() * raster.getHeight() * channels
                && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0;
    }
}
