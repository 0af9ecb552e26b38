package io.tsam.media.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.media.image.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrientationTest {

    /** A 3x2 picture whose pixel (x, y) has red 10 x + y: every position is told apart. */
    private static RgbImage grid(int width, int height) {
        byte[] pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[(y * width + x) * 3] = (byte) (10 * x + y);
            }
        }
        return new RgbImage(width, height, pixels);
    }

    private static int red(RgbImage image, int x, int y) {
        return image.get(x, y, 0);
    }

    @Test
    void ninetyDegreesTurnsClockwiseAsFfmpegsTransposeClock() {
        Orientation clock =
                Orientation.ofDisplayMatrix(RotatedClips.matrix(90, false, false)).get();
        RgbImage turned = clock.apply(grid(3, 2));

        assertEquals("transpose=clock", clock.toString());
        assertEquals(2, turned.width());
        assertEquals(3, turned.height());
        // Clockwise: the source's bottom-left corner becomes the top-left one.
        assertEquals(10 * 0 + 1, red(turned, 0, 0));
        assertEquals(10 * 0 + 0, red(turned, 1, 0));
        assertEquals(10 * 2 + 1, red(turned, 0, 2));
    }

    @ParameterizedTest(name = "{0} degrees, hflip {1}, vflip {2}: {3}")
    @CsvSource({
        "0, false, false, upright",
        "90, false, false, transpose=clock",
        "180, false, false, 'hflip,vflip'",
        "270, false, false, transpose=cclock",
        "0, true, false, hflip",
        "0, false, true, vflip",
        // As ffmpeg decides: theta 90 with matrix[3] > 0, and theta 270 with matrix[3] < 0.
        "90, true, false, transpose=cclock_flip",
        "90, false, true, transpose=clock_flip",
    })
    void everyQuarterTurnAndMirrorIsRecognised(
            double degrees, boolean hflip, boolean vflip, String expected) {
        Orientation o =
                Orientation.ofDisplayMatrix(RotatedClips.matrix(degrees, hflip, vflip)).get();
        assertEquals(expected, o.toString());
        RgbImage image = grid(3, 2);
        assertArrayEquals(image.pixels(), o.apply(o.apply(o.apply(o.apply(image)))).pixels());
    }

    @Test
    void anOddAngleIsNotAQuarterTurn() {
        assertTrue(Orientation.ofDisplayMatrix(RotatedClips.matrix(30, false, false)).isEmpty());
        assertTrue(Orientation.ofDisplayMatrix(new int[9]).isEmpty());
    }

    @ParameterizedTest(name = "{0} degrees, hflip {1}, vflip {2}")
    @CsvSource({
        "90, false, false",
        "180, false, false",
        "270, false, false",
        "90, true, false",
        "0, false, true"
    })
    void aTurnedClipDecodesToTheUprightFrames(
            double degrees, boolean hflip, boolean vflip, @TempDir Path dir) throws Exception {
        List<RgbImage> upright = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            upright.add(TestVideos.pattern(i, 48, 32));
        }
        int[] matrix = RotatedClips.matrix(degrees, hflip, vflip);
        Path clip = RotatedClips.write(dir.resolve("phone.mov"), upright, matrix);

        try (VideoFile video = VideoFile.open(clip)) {
            assertEquals(Orientation.ofDisplayMatrix(matrix).get(), video.orientation());
            List<RgbImage> decoded = video.read(new int[] {0, 3, 5});
            for (int k = 0; k < 3; k++) {
                RgbImage expected = upright.get(new int[] {0, 3, 5}[k]);
                assertEquals(48, decoded.get(k).width());
                assertArrayEquals(expected.pixels(), decoded.get(k).pixels(), "frame " + k);
            }
        }
        try (VideoFile raw = VideoFile.open(clip, false)) {
            assertTrue(raw.orientation().upright());
            assertFalse(
                    java.util.Arrays.equals(
                            upright.get(0).pixels(), raw.read(new int[] {0}).get(0).pixels()),
                    "without autorotation the stored picture comes out as stored");
        }
    }
}
