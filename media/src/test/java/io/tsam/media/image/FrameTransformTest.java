package io.tsam.media.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.config.ResizeMode;
import io.tsam.media.io.Npy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Checks against Pillow and torch references made by {@code make_video_fixtures.py}. */
class FrameTransformTest {

    @ParameterizedTest
    @CsvSource({
        // case, mode, scale, crop, x, y, flip (the same table as make_video_fixtures.py)
        "square_center, SQUARE, 32, 24, 4, 4, false",
        "short_center, SHORT_SIDE, 20, 16, 5, 2, false",
        "short_halfeven, SHORT_SIDE, 21, 16, 6, 2, false",
        "square_flip, SQUARE, 36, 20, 7, 3, true",
    })
    void matchesPillowAndTorch(
            String name, ResizeMode mode, int scale, int crop, int x, int y, boolean flip)
            throws Exception {
        RgbImage input = fixtureImage();
        FrameTransform transform = new FrameTransform(scale, crop, mode);
        if (!flip) {
            int[] size = transform.resizedSize(input.width(), input.height());
            assertEquals(new Crop(x, y, false), Crop.center(size[0], size[1], crop));
        }
        float[] out = new float[transform.outputLength() + 5];
        transform.apply(input, new Crop(x, y, flip), out, 5);
        float[] actual = Arrays.copyOfRange(out, 5, out.length);

        float[] torch = fixture("transform_" + name + "_torch.npy").data();
        float[] pil = fixture("transform_" + name + "_pil.npy").data();
        assertEquals(torch.length, actual.length);
        double torchError = 0;
        double pilError = 0;
        int area = crop * crop;
        for (int i = 0; i < actual.length; i++) {
            int c = i / area;
            torchError = Math.max(torchError, Math.abs(actual[i] - torch[i]));
            double grey = (actual[i] * Normalization.STD.get(c) + Normalization.MEAN.get(c)) * 255;
            pilError = Math.max(pilError, Math.abs(grey - pil[i]));
        }
        // Pillow rounds to 8 bits after each pass (measured: at most 1.0 grey level); torch keeps
        // floats like we do (measured: at most 2.2e-6).
        assertTrue(pilError <= 1.5, name + ": max error vs Pillow " + pilError + " grey levels");
        assertTrue(torchError <= 1e-5, name + ": max error vs torch " + torchError);
    }

    @Test
    void resizedSizeFollowsTorchvisionResizeInt() {
        FrameTransform shortSide = new FrameTransform(256, 224, ResizeMode.SHORT_SIDE);
        assertArrayEquals(new int[] {455, 256}, shortSide.resizedSize(1280, 720));
        assertArrayEquals(new int[] {256, 455}, shortSide.resizedSize(720, 1280));
        assertArrayEquals(new int[] {256, 256}, shortSide.resizedSize(100, 100));
        assertArrayEquals(new int[] {341, 256}, shortSide.resizedSize(320, 240));
        FrameTransform square = new FrameTransform(256, 224, ResizeMode.SQUARE);
        assertArrayEquals(new int[] {256, 256}, square.resizedSize(1280, 720));
        assertArrayEquals(new int[] {256, 256}, square.resizedSize(17, 3));
    }

    @Test
    void centerCropRoundsHalfToEvenLikePython() {
        assertEquals(new Crop(16, 16, false), Crop.center(256, 256, 224));
        assertEquals(new Crop(116, 16, false), Crop.center(455, 256, 224)); // round(115.5) = 116
        assertEquals(new Crop(0, 2, false), Crop.center(25, 29, 24)); // round(0.5), round(2.5)
        assertEquals(new Crop(2, 1, false), Crop.center(27, 26, 24)); // round(1.5), round(1.0)
    }

    @Test
    void randomCropCoversEveryOffsetAndFlipsHalfTheTime() {
        SplittableRandom rng = new SplittableRandom(3);
        boolean[] xs = new boolean[5];
        boolean[] ys = new boolean[3];
        int flips = 0;
        int draws = 4000;
        for (int i = 0; i < draws; i++) {
            Crop crop = Crop.random(28, 26, 24, true, rng);
            xs[crop.x()] = true;
            ys[crop.y()] = true;
            flips += crop.flip() ? 1 : 0;
        }
        for (boolean seen : xs) {
            assertTrue(seen, "every column offset in [0, 4] is drawn");
        }
        for (boolean seen : ys) {
            assertTrue(seen, "every row offset in [0, 2] is drawn");
        }
        assertTrue(Math.abs(flips - draws / 2) < 200, flips + " flips in " + draws);
        for (int i = 0; i < 100; i++) {
            assertFalse(Crop.random(28, 26, 24, false, rng).flip());
        }
        assertEquals(
                Crop.random(300, 256, 224, true, new SplittableRandom(8)),
                Crop.random(300, 256, 224, true, new SplittableRandom(8)));
    }

    @Test
    void flipMirrorsTheCrop() throws Exception {
        RgbImage input = fixtureImage();
        FrameTransform transform = new FrameTransform(30, 20, ResizeMode.SHORT_SIDE);
        float[] plain = new float[transform.outputLength()];
        float[] mirrored = new float[transform.outputLength()];
        transform.apply(input, new Crop(3, 5, false), plain, 0);
        transform.apply(input, new Crop(3, 5, true), mirrored, 0);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 20; x++) {
                    int row = c * 400 + y * 20;
                    assertEquals(plain[row + x], mirrored[row + 19 - x]);
                }
            }
        }
    }

    @Test
    void badArgumentsAreRejected() throws Exception {
        assertThrows(
                IllegalArgumentException.class,
                () -> new FrameTransform(200, 224, ResizeMode.SQUARE));
        assertThrows(
                IllegalArgumentException.class,
                () -> new FrameTransform(256, 0, ResizeMode.SQUARE));
        assertThrows(IllegalArgumentException.class, () -> Crop.center(100, 50, 64));
        assertThrows(IllegalArgumentException.class, () -> new Crop(-1, 0, false));
        RgbImage input = fixtureImage();
        FrameTransform transform = new FrameTransform(32, 24, ResizeMode.SQUARE);
        IllegalArgumentException outside =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> transform.apply(input, new Crop(9, 0, false), new float[1728], 0));
        assertTrue(outside.getMessage().contains("32x32"), outside.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> transform.apply(input, new Crop(0, 0, false), new float[1728], 1));
    }

    static RgbImage fixtureImage() throws IOException, URISyntaxException {
        Npy.Array array = fixture("transform_input.npy");
        assertArrayEquals(new long[] {30, 40, 3}, array.shape());
        byte[] pixels = new byte[array.data().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) array.data()[i];
        }
        return new RgbImage(40, 30, pixels);
    }

    private static Npy.Array fixture(String name) throws IOException, URISyntaxException {
        return Npy.read(Path.of(FrameTransformTest.class.getResource("/video/" + name).toURI()));
    }
}
