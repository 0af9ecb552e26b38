package io.tsam.media.io;

import io.tsam.common.io.FileTrees;
import io.tsam.media.image.RgbImage;
import io.tsam.media.video.FpsGrid;
import io.tsam.media.video.VideoFile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Extracts a video's frames into {@code 00001.jpg, 00002.jpg, ...} as TSAM's {@code
 * video2frames.py} does with {@code ffmpeg -i video -vf "scale=-1:H,fps=R" -q:v 0 dir/%05d.jpg}:
 * the frames {@link FpsGrid} picks, optionally scaled to {@code H} rows (bicubic), at the best JPEG
 * quality.
 */
public final class FrameDirectoryWriter {
    private static final float JPEG_QUALITY = 1.0f;

    private FrameDirectoryWriter() {}

    /**
     * Writes the frames of {@code video} into {@code dir}, replacing its previous content only once
     * all frames are written.
     *
     * @param height rows of the written frames (width keeping the aspect ratio); 0 keeps the coded
     *     size
     * @return the number of frames written
     */
    public static int write(VideoFile video, double fps, int height, Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
        try {
            video.scaleToHeight(height);
            int[] sources = FpsGrid.sourceFrames(video, fps);
            int[] next = {0};
            video.forEach(
                    (index, micros, image) -> {
                        while (next[0] < sources.length && sources[next[0]] == index) {
                            writeJpeg(image, tmp.resolve(String.format("%05d.jpg", next[0] + 1)));
                            next[0]++;
                        }
                    });
            FileTrees.delete(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return next[0];
        } finally {
            FileTrees.delete(tmp);
        }
    }

    private static void writeJpeg(RgbImage image, Path file) {
        BufferedImage buffered =
                new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) buffered.getRaster().getDataBuffer()).getData();
        byte[] rgb = image.pixels();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(buffered, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write JPEG", e);
        } finally {
            writer.dispose();
        }
    }
}
