package io.tsam.media.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BilinearResizeTest {

    /** A window computed alone is the full resize's window, bit for bit, shrinking or growing. */
    @ParameterizedTest(name = "{0}x{1} to {2}x{3}, {6}x{7} at ({4}, {5})")
    @CsvSource({
        "72, 128, 32, 32, 4, 4, 28, 28",
        "72, 128, 32, 32, 0, 0, 32, 32",
        "48, 64, 40, 57, 3, 11, 36, 36",
        "20, 30, 64, 64, 5, 9, 50, 40",
        "33, 17, 33, 17, 1, 2, 30, 10",
    })
    void aWindowIsTheFullResizesWindow(
            int srcH, int srcW, int dstH, int dstW, int y0, int x0, int h, int w) {
        byte[] pixels = new byte[srcH * srcW * 3];
        new Random(srcH * 31L + srcW).nextBytes(pixels);
        for (int c = 0; c < 3; c++) {
            float[] plane = new float[srcH * srcW];
            for (int i = 0; i < plane.length; i++) {
                plane[i] = pixels[i * 3 + c] & 0xff;
            }
            float[] full = BilinearResize.resize(plane, srcH, srcW, dstH, dstW);
            float[] expected = new float[h * w];
            for (int y = 0; y < h; y++) {
                System.arraycopy(full, (y0 + y) * dstW + x0, expected, y * w, w);
            }
            assertArrayEquals(
                    expected,
                    BilinearResize.resizeWindow(
                            pixels, 3, c, srcH, srcW, dstH, dstW, y0, x0, h, w));
        }
    }

    @ParameterizedTest(name = "window {0}x{1} at ({2}, {3})")
    @CsvSource({"33, 10, 0, 0", "10, 10, 25, 0", "0, 10, 0, 0"})
    void aWindowOutsideTheResultIsRefused(int h, int w, int y0, int x0) {
        assertThrows(
                IllegalArgumentException.class,
                () -> BilinearResize.resizeWindow(new byte[48], 3, 0, 4, 4, 32, 32, y0, x0, h, w));
    }
}
