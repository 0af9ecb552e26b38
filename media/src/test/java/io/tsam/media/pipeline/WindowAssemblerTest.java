package io.tsam.media.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tsam.config.ResizeMode;
import io.tsam.media.image.RgbImage;
import io.tsam.media.pipeline.WindowAssembler.FilledWindow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowAssemblerTest {

    private static final MediaConfig CONFIG =
            MediaConfig.imagenet(2, false, 8, 8, ResizeMode.SQUARE, false);

    private static RgbImage grey(int level) {
        byte[] pixels = new byte[8 * 8 * 3];
        Arrays.fill(pixels, (byte) level);
        return new RgbImage(8, 8, pixels);
    }

    @Test
    void eachMidpointTakesTheFrameOnScreenAndEachFrameIsTransformedOnce() {
        List<FilledWindow> out = new ArrayList<>();
        WindowAssembler assembler = new WindowAssembler(CONFIG, out::add);
        SlidingWindows windows = new SlidingWindows(1.0, 0.5, 2);
        for (int k = 0; k < 4; k++) {
            assembler.add(windows.window(k));
        }
        // Midpoints: w0 0.25 0.75, w1 0.75 1.25, w2 1.25 1.75, w3 1.75 2.25.
        // Frames at 0.1 (first), 0.7, 0.75 (shown from 0.75), 1.5 and 2.0.
        int[] asked = new int[5];
        double[] times = {0.1, 0.7, 0.75, 1.5, 2.0};
        for (int f = 0; f < times.length; f++) {
            int id = f;
            assembler.offer(
                    times[f],
                    f,
                    () -> {
                        asked[id]++;
                        return grey(10 * id);
                    });
        }
        assertEquals(3, out.size(), "w0..w2 are filled once 1.75 is passed");
        assertEquals(0, assembler.finish(2.5), "w3 ends at 2.5: whole");
        assertEquals(4, out.size());
        assertArrayEquals(new long[] {0, 2}, out.get(0).frames(), "0.25 before 0.7: frame 0");
        assertArrayEquals(new long[] {2, 2}, out.get(1).frames());
        assertArrayEquals(new long[] {2, 3}, out.get(2).frames());
        assertArrayEquals(new long[] {3, 4}, out.get(3).frames(), "finish gives 2.25 the last");
        assertArrayEquals(new int[] {1, 0, 1, 1, 1}, asked, "frame 1 is never on screen");
        assertEquals(4, assembler.framesTransformed());
        assertEquals(0, assembler.openWindows());
    }

    @Test
    void windowsPastTheEndAreDroppedAndTheFirstFrameCoversEarlyMidpoints() {
        List<FilledWindow> out = new ArrayList<>();
        WindowAssembler assembler = new WindowAssembler(CONFIG, out::add);
        SlidingWindows windows = new SlidingWindows(1.0, 1.0, 2);
        assembler.add(windows.window(0));
        assembler.add(windows.window(1));
        assembler.offer(0.6, 7, () -> grey(1));
        assertEquals(1, assembler.finish(1.2), "window 1 ends at 2.0, after the stream");
        assertEquals(1, out.size());
        assertArrayEquals(new long[] {7, 7}, out.get(0).frames());
    }
}
