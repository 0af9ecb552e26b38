package io.tsam.media.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.media.MediaException;
import io.tsam.media.image.RgbImage;
import io.tsam.media.io.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JpegFolderTest {
    private static final IntFunction<String> IMG = n -> String.format("img_%05d.jpg", n);

    @TempDir Path dir;

    @Test
    void decodesLikePillow() throws Exception {
        Npy.Array expected = Npy.read(VideoFileTest.resource("jpeg_frames.npy"));
        try (JpegFolder folder = JpegFolder.open(VideoFileTest.resource("jpeg_frames"), IMG)) {
            assertEquals(4, folder.frameCount());
            List<RgbImage> frames = folder.read(new int[] {3, 0, 1, 2});
            int frameBytes = 30 * 40 * 3;
            int[] order = {3, 0, 1, 2};
            int maxError = 0;
            for (int k = 0; k < 4; k++) {
                RgbImage image = frames.get(k);
                assertEquals(40, image.width());
                assertEquals(30, image.height());
                for (int i = 0; i < frameBytes; i++) {
                    int want = (int) expected.data()[order[k] * frameBytes + i];
                    maxError = Math.max(maxError, Math.abs((image.pixels()[i] & 0xff) - want));
                }
            }
            // ImageIO's IJG decoder and Pillow's libjpeg-turbo agree on these (measured: 0);
            // one grey level would still be an IDCT rounding difference, not a layout bug.
            assertTrue(maxError <= 1, "max difference to Pillow: " + maxError);
            assertEquals(new DecodeStats(4, 0), folder.stats());
        }
    }

    @Test
    void countsConsecutiveFramesFromOne() throws IOException {
        for (int n : new int[] {1, 2, 3, 5}) {
            writeFrame(dir.resolve(IMG.apply(n)), n);
        }
        Files.writeString(dir.resolve("notes.txt"), "not a frame");
        try (JpegFolder folder = JpegFolder.open(dir, IMG)) {
            assertEquals(3, folder.frameCount(), "frame 5 lies after the gap at 4");
            List<RgbImage> frames = folder.read(new int[] {2, 0, 2});
            assertEquals(180, frames.get(0).get(8, 8, 0), 8, "index 2 is img_00003.jpg");
            assertEquals(60, frames.get(1).get(8, 8, 0), 8, "index 0 is img_00001.jpg");
            assertSame(frames.get(0), frames.get(2));
            assertEquals(2, folder.stats().framesDecoded());
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> folder.read(new int[] {3}));
            assertTrue(e.getMessage().contains("[0, 3)"), e.getMessage());
        }
    }

    @Test
    void greyscaleFramesKeepTheirValues() throws IOException {
        BufferedImage grey = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 8; y++) {
                grey.getRaster().setSample(x, y, 0, 100);
            }
        }
        ImageIO.write(grey, "png", dir.resolve("f1.png").toFile());
        try (JpegFolder folder = JpegFolder.open(dir, n -> "f" + n + ".png")) {
            RgbImage image = folder.read(new int[] {0}).get(0);
            for (int c = 0; c < 3; c++) {
                assertEquals(100, image.get(5, 5, c), "raw grey value, not re-gammaed");
            }
        }
    }

    @Test
    void errorsNameTheFolderOrFile() throws Exception {
        Path missing = dir.resolve("missing");
        MediaException noDir =
                assertThrows(MediaException.class, () -> JpegFolder.open(missing, IMG));
        assertEquals(missing, noDir.file());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        MediaException noFrames =
                assertThrows(MediaException.class, () -> JpegFolder.open(empty, IMG));
        assertEquals(empty, noFrames.file());
        assertTrue(noFrames.getMessage().contains("img_00001.jpg"), noFrames.getMessage());

        Path broken = Files.createDirectory(dir.resolve("broken"));
        writeFrame(broken.resolve(IMG.apply(1)), 1);
        Path bad = Files.writeString(broken.resolve(IMG.apply(2)), "not a jpeg");
        try (JpegFolder folder = JpegFolder.open(broken, IMG)) {
            assertEquals(2, folder.frameCount());
            MediaException e = assertThrows(MediaException.class, () -> folder.read(new int[] {1}));
            assertEquals(bad, e.file());
        }

        Path truncated = Files.createDirectory(dir.resolve("truncated"));
        Path source = VideoFileTest.resource("jpeg_frames/img_00001.jpg");
        byte[] bytes = Files.readAllBytes(source);
        Files.write(truncated.resolve(IMG.apply(1)), Arrays.copyOf(bytes, 100));
        try (JpegFolder folder = JpegFolder.open(truncated, IMG)) {
            assertThrows(MediaException.class, () -> folder.read(new int[] {0}));
        }

        Path same = Files.createDirectory(dir.resolve("same"));
        Files.copy(source, same.resolve("img.jpg"), StandardCopyOption.REPLACE_EXISTING);
        try (JpegFolder folder = JpegFolder.open(same, n -> "img.jpg")) {
            assertEquals(1, folder.frameCount(), "a template without a number names one file");
        }
    }

    @Test
    void closeIsIdempotentAndFinal() throws IOException {
        writeFrame(dir.resolve(IMG.apply(1)), 1);
        JpegFolder folder = JpegFolder.open(dir, IMG);
        folder.close();
        folder.close();
        assertThrows(IllegalStateException.class, folder::frameCount);
        assertThrows(IllegalStateException.class, () -> folder.read(new int[] {0}));
    }

    /** A flat JPEG whose red channel is {@code 60 * n}, so a test can tell frames apart. */
    private static void writeFrame(Path file, int n) throws IOException {
        int value = 60 * n % 256;
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR);
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 16; y++) {
                image.setRGB(x, y, (value << 16) | (128 << 8) | 128);
            }
        }
        ImageIO.write(image, "jpg", file.toFile());
    }
}
