package io.tsam.model.shift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemporalShiftTest {

    private static final String ENGINE = "PyTorch";
    private static final int BATCH = 2;
    private static final int HEIGHT = 2;
    private static final int WIDTH = 3;
    private static final int PIXELS = HEIGHT * WIDTH;

    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), ENGINE);
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Test
    void handCheckedTableDepthOne() {
        // T=3, C=4, f_div=2: fold=2, channels 0-1 read t+1, channels 2-3 read t-1, 3 is the zero.
        int[] expected = {
            1, 1, 3, 3,
            2, 2, 0, 0,
            3, 3, 1, 1
        };
        assertArrayEquals(expected, TemporalShift.gatherIndices(3, 4, 2, 1));
    }

    @Test
    void handCheckedTableDepthTwo() {
        // k=2 splits each fold of 2 into groups of 1: channels 0 and 2 move by 1, 1 and 3 by 2.
        int[] expected = {
            1, 2, 3, 3,
            2, 3, 0, 3,
            3, 3, 1, 0
        };
        assertArrayEquals(expected, TemporalShift.gatherIndices(3, 4, 2, 2));
    }

    @Test
    void remainderGoesToTheLastGroup() {
        // C=16, f_div=2: fold=8, k=3: groups [0,2) d=1, [2,4) d=2, [4,8) d=3 (remainder).
        ShiftTable table = TemporalShift.table(8, 16, 2, 3);
        int[] future = new int[8];
        int[] past = new int[8];
        for (int c = 0; c < 8; c++) {
            future[c] = table.sourceTime(0, c);
            past[c] = table.sourceTime(7, 8 + c);
        }
        assertArrayEquals(new int[] {1, 1, 2, 2, 3, 3, 3, 3}, future);
        assertArrayEquals(new int[] {6, 6, 5, 5, 4, 4, 4, 4}, past);
        // Frame 0 has no past: it reads the zero frame, index T.
        assertEquals(8, table.sourceTime(0, 15));
    }

    @Test
    void moreGroupsThanFoldChannelsPutTheWholeFoldInTheLastGroup() {
        // C=8, f_div=4: fold=2, k=3: fold // k = 0, so both channels of each range use d=3.
        ShiftTable table = TemporalShift.table(4, 8, 4, 3);
        assertArrayEquals(
                new int[] {3, 3, 4, 4, 0, 0, 0, 0},
                new int[] {
                    table.sourceTime(0, 0),
                    table.sourceTime(0, 1),
                    table.sourceTime(1, 0),
                    table.sourceTime(0, 2),
                    table.sourceTime(3, 2),
                    table.sourceTime(3, 3),
                    table.sourceTime(0, 4),
                    table.sourceTime(0, 7)
                });
    }

    @ParameterizedTest(name = "T={0}, A={1}")
    @CsvSource({
        "1,0", "1,1", "2,0", "2,1", "3,0", "3,1", "8,0", "8,1", "16,0", "16,1",
    })
    void forwardAndGradientMatchTheSpecLoop(int segments, int audio) {
        Random random = new Random(1000L * segments + audio);
        int cases = 0;
        for (int channels : new int[] {16, 20, 24}) {
            for (int foldDiv : new int[] {2, 4, 8}) {
                for (int depth = 1; depth <= 4; depth++) {
                    String label =
                            "T=" + segments + " A=" + audio + " C=" + channels + " f_div=" + foldDiv
                                    + " k=" + depth;
                    ShiftTable table = TemporalShift.table(segments, channels, foldDiv, depth);
                    int images = segments + audio;
                    float[] x = randomValues(random, BATCH * images * channels * PIXELS);
                    float[] w = randomValues(random, x.length);
                    float[] expected = referenceShift(x, segments, audio, channels, foldDiv, depth);
                    float[] expectedGradient =
                            referenceGradient(w, segments, audio, channels, foldDiv, depth);
                    try (NDManager scope = manager.newSubManager()) {
                        Shape shape = new Shape(BATCH * images, channels, HEIGHT, WIDTH);
                        NDArray input = scope.create(x, shape);
                        NDArray weight = scope.create(w, shape);
                        input.setRequiresGradient(true);
                        try (GradientCollector collector =
                                Engine.getEngine(ENGINE).newGradientCollector()) {
                            NDArray output = TemporalShift.shift(input, table, audio);
                            assertEquals(shape, output.getShape(), label);
                            assertArrayEquals(expected, output.toFloatArray(), 0f, label);
                            collector.backward(output.mul(weight).sum());
                        }
                        assertArrayEquals(
                                expectedGradient,
                                input.getGradient().toFloatArray(),
                                0f,
                                label + " gradient");
                    }
                    cases++;
                }
            }
        }
        assertEquals(36, cases);
    }

    @Test
    void depthOneFoldEightIsTsm() {
        int segments = 8;
        int channels = 24;
        Random random = new Random(7);
        float[] x = randomValues(random, BATCH * segments * channels * PIXELS);
        float[] expected = tsmShift(x, segments, channels, 8);
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(x, new Shape(BATCH * segments, channels, HEIGHT, WIDTH));
            NDArray output = TemporalShift.shift(input, TemporalShift.table(8, 24, 8, 1), 0);
            assertArrayEquals(expected, output.toFloatArray(), 0f);
        }
    }

    @Test
    void audioImagePassesUnchangedAndIsNeverRead() {
        int segments = 3;
        int channels = 8;
        float[] x = new float[BATCH * (segments + 1) * channels * PIXELS];
        // Only the audio images are non-zero: any video output that read them would be non-zero.
        for (int n = 0; n < BATCH; n++) {
            for (int i = 0; i < channels * PIXELS; i++) {
                x[((n * (segments + 1) + segments) * channels) * PIXELS + i] = 1f + i;
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray input =
                    scope.create(x, new Shape(BATCH * (segments + 1), channels, HEIGHT, WIDTH));
            NDArray output = TemporalShift.shift(input, TemporalShift.table(3, 8, 2, 2), 1);
            assertArrayEquals(x, output.toFloatArray(), 0f);
        }
    }

    @Test
    void tableValidationNamesTheField() {
        IllegalArgumentException depth =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TemporalShift.gatherIndices(8, 64, 8, 0));
        assertTrue(depth.getMessage().contains("shift_temporal.shift_depth"), depth.getMessage());
        assertTrue(depth.getMessage().contains("0"), depth.getMessage());
        IllegalArgumentException foldDiv =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TemporalShift.gatherIndices(8, 64, 1, 1));
        assertTrue(foldDiv.getMessage().contains("shift_temporal.f_div"), foldDiv.getMessage());
        assertTrue(foldDiv.getMessage().contains("1"), foldDiv.getMessage());
        IllegalArgumentException segments =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TemporalShift.gatherIndices(0, 64, 8, 1));
        assertTrue(segments.getMessage().contains("model.video_segments"), segments.getMessage());
    }

    @Test
    void inputShapeMustFitTheTable() {
        ShiftTable table = TemporalShift.table(3, 8, 2, 1);
        try (NDManager scope = manager.newSubManager()) {
            NDArray wrongChannels = scope.zeros(new Shape(6, 4, HEIGHT, WIDTH));
            IllegalArgumentException error =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> TemporalShift.shift(wrongChannels, table, 0));
            assertTrue(error.getMessage().contains("(6, 4, 2, 3)"), error.getMessage());
            NDArray wrongImages = scope.zeros(new Shape(6, 8, HEIGHT, WIDTH));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> TemporalShift.shift(wrongImages, table, 1));
        }
    }

    /** SPEC section 1 written as a direct loop over [N, T + A, C, H * W]. */
    private static float[] referenceShift(
            float[] x, int segments, int audio, int channels, int foldDiv, int depth) {
        float[] out = new float[x.length];
        forEachRead(segments, audio, channels, foldDiv, depth, (dst, src) -> out[dst] = x[src]);
        return out;
    }

    /** The adjoint of {@link #referenceShift}: each read becomes an add into its source. */
    private static float[] referenceGradient(
            float[] w, int segments, int audio, int channels, int foldDiv, int depth) {
        float[] grad = new float[w.length];
        forEachRead(segments, audio, channels, foldDiv, depth, (dst, src) -> grad[src] += w[dst]);
        return grad;
    }

    /** An element read by the shift: output offset {@code dst} takes input offset {@code src}. */
    private interface Read {
        void at(int dst, int src);
    }

    /**
     * Visits every element the shift copies; audio images (t >= T) read themselves and video reads
     * outside [0, T) are zeros, so they are not visited.
     */
    private static void forEachRead(
            int segments, int audio, int channels, int foldDiv, int depth, Read read) {
        int images = segments + audio;
        for (int n = 0; n < BATCH; n++) {
            for (int t = 0; t < images; t++) {
                for (int c = 0; c < channels; c++) {
                    int source = t < segments ? specSource(t, c, channels, foldDiv, depth) : t;
                    if (t < segments && (source < 0 || source >= segments)) {
                        continue;
                    }
                    for (int p = 0; p < PIXELS; p++) {
                        read.at(
                                offset(n, t, c, images, channels) + p,
                                offset(n, source, c, images, channels) + p);
                    }
                }
            }
        }
    }

    /** The unclipped time that frame t, channel c reads, from explicit group boundaries. */
    private static int specSource(int t, int c, int channels, int foldDiv, int depth) {
        int fold = channels / foldDiv;
        int groupSize = fold / depth;
        for (int g = 0; g < depth; g++) {
            int start = g * groupSize;
            int end = g == depth - 1 ? fold : (g + 1) * groupSize;
            if (c >= start && c < end) {
                return t + (g + 1);
            }
            if (c >= fold + start && c < fold + end) {
                return t - (g + 1);
            }
        }
        return t;
    }

    /** TSM's shift(): out[:, :-1, :fold] = x[:, 1:, :fold]; out[:, 1:, fold:2fold] = x[:, :-1]. */
    private static float[] tsmShift(float[] x, int segments, int channels, int foldDiv) {
        int fold = channels / foldDiv;
        float[] out = new float[x.length];
        for (int n = 0; n < BATCH; n++) {
            for (int t = 0; t < segments; t++) {
                for (int c = 0; c < channels; c++) {
                    for (int p = 0; p < PIXELS; p++) {
                        int dst = offset(n, t, c, segments, channels) + p;
                        if (c < fold) {
                            if (t < segments - 1) {
                                out[dst] = x[offset(n, t + 1, c, segments, channels) + p];
                            }
                        } else if (c < 2 * fold) {
                            if (t > 0) {
                                out[dst] = x[offset(n, t - 1, c, segments, channels) + p];
                            }
                        } else {
                            out[dst] = x[dst];
                        }
                    }
                }
            }
        }
        return out;
    }

    private static int offset(int n, int t, int c, int images, int channels) {
        return ((n * images + t) * channels + c) * PIXELS;
    }

    private static float[] randomValues(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
