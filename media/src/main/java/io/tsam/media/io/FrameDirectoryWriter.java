package io.tsam.media.io;

import io.tsam.media.image.RgbImage;
import io.tsam.media.video.VideoFile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Extracts a video's frames at a fixed rate into {@code 00001.jpg, 00002.jpg, ...}, like {@code
 * ffmpeg -i video -vf fps=R dir/%05d.jpg} (which TSAM's {@code video2frames.py} runs): output frame
 * {@code n} shows the newest source frame whose time, rounded to the output grid, is at most {@code
 * n / R}.
 */
public final class FrameDirectoryWriter {
    private static final float JPEG_QUALITY = 0.95f;

    private FrameDirectoryWriter() {}

    /**
     * Writes the frames of {@code video} into {@code dir}, replacing its previous content only once
     * all frames are written.
     *
     * @return the number of frames written
     */
    public static int write(VideoFile video, double fps, Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
        try {
            Resampler resampler = new Resampler(fps, tmp);
            video.forEach((index, micros, image) -> resampler.offer(micros, image));
            // The container's duration can include a longer audio track; the video ends one frame
            // after its last frame.
            int frames = resampler.finish(1.0 / video.frameRate());
            deleteTree(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return frames;
        } finally {
            deleteTree(tmp);
        }
    }

    /** Drops or repeats source frames onto the output grid as they stream past. */
    private static final class Resampler {
        private final double fps;
        private final Path dir;
        private RgbImage previous;
        private long next;
        private long lastMicros;

        Resampler(double fps, Path dir) {
            this.fps = fps;
            this.dir = dir;
        }

        void offer(long micros, RgbImage image) {
            // Slots before the first frame show the first frame, as ffmpeg's fps filter does.
            emitUntil(Math.round(micros * fps / 1e6));
            previous = image;
            lastMicros = micros;
        }

        int finish(double frameSeconds) {
            if (previous == null) {
                return 0;
            }
            double end = lastMicros / 1e6 + frameSeconds;
            emitUntil(Math.max(Math.round(end * fps), 1));
            return (int) next;
        }

        private void emitUntil(long slot) {
            while (previous != null && next < slot) {
                writeJpeg(previous, dir.resolve(String.format("%05d.jpg", next + 1)));
                next++;
            }
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

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
