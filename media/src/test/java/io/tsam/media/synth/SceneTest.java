package io.tsam.media.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SceneTest {
    private static final int WIDTH = 48;
    private static final int HEIGHT = 32;
    private static final int FRAMES = 9;

    @Test
    void reversedMotionIsTheForwardMotionBackwards() {
        // The same draws give frame i of the reversed motion = frame FRAMES-1-i of the forward
        // one, which is why order pairs share their distribution of single frames.
        for (long seed = 0; seed < 4; seed++) {
            assertReversed(SynthClass.Motion.LEFT_TO_RIGHT, SynthClass.Motion.RIGHT_TO_LEFT, seed);
            assertReversed(SynthClass.Motion.GROWING, SynthClass.Motion.SHRINKING, seed);
        }
    }

    @Test
    void objectMovesBetweenFirstAndLastFrame() {
        Scene scene =
                Scene.draw(SynthClass.Motion.LEFT_TO_RIGHT, new SplittableRandom(3), WIDTH, HEIGHT);
        byte[] first = render(scene, 0, 11);
        byte[] last = render(scene, FRAMES - 1, 11);
        assertFalse(Arrays.equals(first, last));
    }

    private static void assertReversed(
            SynthClass.Motion forward, SynthClass.Motion backward, long seed) {
        Scene a = Scene.draw(forward, new SplittableRandom(seed), WIDTH, HEIGHT);
        Scene b = Scene.draw(backward, new SplittableRandom(seed), WIDTH, HEIGHT);
        for (int i = 0; i < FRAMES; i++) {
            assertArrayEquals(
                    render(a, FRAMES - 1 - i, 100 + i),
                    render(b, i, 100 + i),
                    forward + " seed " + seed + " frame " + i);
        }
    }

    private static byte[] render(Scene scene, int index, long noiseSeed) {
        byte[] rgb = new byte[WIDTH * HEIGHT * 3];
        scene.render(index, FRAMES, rgb, new SplittableRandom(noiseSeed));
        return rgb;
    }
}
