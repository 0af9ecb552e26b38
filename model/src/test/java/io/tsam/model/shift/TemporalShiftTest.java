package io.tsam.model.shift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.tsam.config.ShiftStyle;
import java.util.Arrays;
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
    void handCheckedTsmTableDepthOne() {
        // T=3, C=4, f_div=2: fold=2, channels 0-1 read t+1, channels 2-3 read t-1, 3 is the zero.
        int[] expected = {
            1, 1, 3, 3,
            2, 2, 0, 0,
            3, 3, 1, 1
        };
        assertArrayEquals(expected, TemporalShift.gatherIndices(ShiftStyle.TSM, 3, 4, 2, 1));
    }

    @Test
    void handCheckedTsmTableDepthTwo() {
        // k=2 splits each fold of 2 into groups of 1: channels 0 and 2 move by 1, 1 and 3 by 2.
        int[] expected = {
            1, 2, 3, 3,
            2, 3, 0, 3,
            3, 3, 1, 0
        };
        assertArrayEquals(expected, TemporalShift.gatherIndices(ShiftStyle.TSM, 3, 4, 2, 2));
    }

    @Test
    void tsamLayoutOfItsOwnConfigWrittenOutByHand() {
        // TSAM's configs: k=4, f_div=4; C=64 gives f = (64 / 4) / 4 = 4 channels per group:
        // [0,4) t+1, [4,8) t-1, [8,12) t+2, [12,16) t-2, [16,20) t+3, [20,24) t-3, [24,28) t+4,
        // [28,32) t-4, [32,64) unchanged. Reads past the clip keep the frame's own value.
        int segments = 8;
        ShiftTable table = TemporalShift.table(ShiftStyle.TSAM, segments, 64, 4, 4);
        int[] offsetOfGroup = {1, -1, 2, -2, 3, -3, 4, -4};
        for (int t = 0; t < segments; t++) {
            for (int c = 0; c < 64; c++) {
                int offset = c < 32 ? offsetOfGroup[c / 4] : 0;
                int source = t + offset;
                int expected = source < 0 || source >= segments ? t : source;
                assertEquals(expected, table.sourceTime(t, c), "t=" + t + " c=" + c);
            }
        }
        assertEquals(5, table.sourceTime(1, 24));
        assertEquals(1, table.sourceTime(5, 28));
        assertEquals(6, table.sourceTime(6, 24), "t+4 past the end keeps its own frame");
        assertFalse(table.readsPadding());
    }

    @Test
    void tsamShiftsNothingForOneFrameAndTsmReadsZeros() {
        ShiftTable tsam = TemporalShift.table(ShiftStyle.TSAM, 1, 16, 2, 2);
        assertArrayEquals(new int[16], tsam.sourceTime());
        ShiftTable tsm = TemporalShift.table(ShiftStyle.TSM, 1, 16, 2, 2);
        assertTrue(tsm.readsPadding());
    }

    @Test
    void remainderGoesToTheLastTsmGroup() {
        // C=16, f_div=2: fold=8, k=3: groups [0,2) d=1, [2,4) d=2, [4,8) d=3 (remainder).
        ShiftTable table = TemporalShift.table(ShiftStyle.TSM, 8, 16, 2, 3);
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
    void moreTsmGroupsThanFoldChannelsPutTheWholeFoldInTheLastGroup() {
        // C=8, f_div=4: fold=2, k=3: fold // k = 0, so both channels of each range use d=3.
        ShiftTable table = TemporalShift.table(ShiftStyle.TSM, 4, 8, 4, 3);
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

    @ParameterizedTest(name = "{0} T={1}, A={2}")
    @CsvSource({
        "TSAM,1,0",
        "TSAM,1,1",
        "TSAM,2,0",
        "TSAM,2,1",
        "TSAM,3,0",
        "TSAM,3,1",
        "TSAM,8,0",
        "TSAM,8,1",
        "TSAM,16,0",
        "TSAM,16,1",
        "TSM,1,0",
        "TSM,1,1",
        "TSM,2,0",
        "TSM,2,1",
        "TSM,3,0",
        "TSM,3,1",
        "TSM,8,0",
        "TSM,8,1",
        "TSM,16,0",
        "TSM,16,1",
    })
    void forwardAndGradientMatchTheDefinitionLoop(ShiftStyle style, int segments, int audio) {
        Random random = new Random(1000L * segments + audio + 31L * style.ordinal());
        int cases = 0;
        int refused = 0;
        for (int channels : new int[] {16, 20, 24, 64}) {
            for (int foldDiv : new int[] {2, 3, 4, 8}) {
                for (int depth = 1; depth <= 5; depth++) {
                    String label =
                            style + " T=" + segments + " A=" + audio + " C=" + channels + " f_div="
                                    + foldDiv + " k=" + depth;
                    Shape shape = new Shape(BATCH * (segments + audio), channels, HEIGHT, WIDTH);
                    Definition definition =
                            style == ShiftStyle.TSAM
                                    ? new TsamDefinition(channels, foldDiv, depth)
                                    : new TsmDefinition(channels, foldDiv, depth);
                    if (!definition.valid()) {
                        int c = channels;
                        int f = foldDiv;
                        int k = depth;
                        IllegalArgumentException error =
                                assertThrows(
                                        IllegalArgumentException.class,
                                        () -> TemporalShift.table(style, segments, c, f, k),
                                        label);
                        assertTrue(error.getMessage().contains("f_div"), error.getMessage());
                        refused++;
                        continue;
                    }
                    ShiftTable table =
                            TemporalShift.table(style, segments, channels, foldDiv, depth);
                    float[] x = randomValues(random, (int) shape.size());
                    float[] w = randomValues(random, x.length);
                    float[] expected = new float[x.length];
                    float[] expectedGradient = new float[x.length];
                    definition.forEachRead(
                            segments,
                            audio,
                            (dst, src) -> {
                                expected[dst] = x[src];
                                expectedGradient[src] += w[dst];
                            });
                    assertShiftAndGradient(
                            table, audio, shape, x, w, expected, expectedGradient, label);
                    cases++;
                }
            }
        }
        // TSAM's layout needs (C / f_div) / k >= 1: 9 of the 80 combinations shift nothing.
        assertEquals(style == ShiftStyle.TSAM ? 71 : 80, cases);
        assertEquals(80 - cases, refused);
    }

    @Test
    void tsmDepthOneFoldEightIsTsm() {
        int segments = 8;
        int channels = 24;
        Random random = new Random(7);
        float[] x = randomValues(random, BATCH * segments * channels * PIXELS);
        float[] expected = tsmShift(x, segments, channels, 8);
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(x, new Shape(BATCH * segments, channels, HEIGHT, WIDTH));
            NDArray output =
                    TemporalShift.shift(input, TemporalShift.table(ShiftStyle.TSM, 8, 24, 8, 1), 0);
            assertArrayEquals(expected, output.toFloatArray(), 0f);
        }
    }

    @ParameterizedTest
    @CsvSource({"TSAM", "TSM"})
    void audioImagePassesUnchangedAndIsNeverRead(ShiftStyle style) {
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
            NDArray output = TemporalShift.shift(input, TemporalShift.table(style, 3, 8, 2, 2), 1);
            assertArrayEquals(x, output.toFloatArray(), 0f);
        }
    }

    @Test
    void tableValidationNamesTheField() {
        IllegalArgumentException depth =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TemporalShift.gatherIndices(ShiftStyle.TSAM, 8, 64, 8, 0));
        assertTrue(depth.getMessage().contains("shift_temporal.shift_depth"), depth.getMessage());
        assertTrue(depth.getMessage().contains("0"), depth.getMessage());
        IllegalArgumentException foldDiv =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TemporalShift.gatherIndices(ShiftStyle.TSAM, 8, 64, 1, 1));
        assertTrue(foldDiv.getMessage().contains("shift_temporal.f_div"), foldDiv.getMessage());
        assertTrue(foldDiv.getMessage().contains("1"), foldDiv.getMessage());
        IllegalArgumentException segments =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TemporalShift.gatherIndices(ShiftStyle.TSAM, 0, 64, 8, 1));
        assertTrue(segments.getMessage().contains("model.video_segments"), segments.getMessage());
        IllegalArgumentException empty =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TemporalShift.gatherIndices(ShiftStyle.TSAM, 8, 64, 8, 16));
        assertEquals(
                "shift_temporal: a conv with 64 input channels shifts no channel with f_div 8 and"
                        + " shift_depth 16 (style tsam needs (C / f_div) / shift_depth >= 1);"
                        + " lower f_div or shift_depth",
                empty.getMessage());
    }

    @Test
    void inputShapeMustFitTheTable() {
        ShiftTable table = TemporalShift.table(ShiftStyle.TSM, 3, 8, 2, 1);
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

    private void assertShiftAndGradient(
            ShiftTable table,
            int audio,
            Shape shape,
            float[] x,
            float[] w,
            float[] expected,
            float[] expectedGradient,
            String label) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(x, shape);
            NDArray weight = scope.create(w, shape);
            input.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getEngine(ENGINE).newGradientCollector()) {
                NDArray output = TemporalShift.shift(input, table, audio);
                assertEquals(shape, output.getShape(), label);
                assertArrayEquals(expected, output.toFloatArray(), 0f, label);
                collector.backward(output.mul(weight).sum());
            }
            assertArrayEquals(
                    expectedGradient, input.getGradient().toFloatArray(), 0f, label + " gradient");
        }
    }

    /** An element read by the shift: output offset {@code dst} takes input offset {@code src}. */
    private interface Read {
        void at(int dst, int src);
    }

    /** One style's definition, written as loops over [N, T + A, C, H * W] without the table. */
    private interface Definition {
        boolean valid();

        void forEachRead(int segments, int audio, Read read);
    }

    /**
     * TSAM's shift_temporal as its slices say: out = x.clone(); for d in 1..k: out[:, 0:T-d,
     * f1:f1+f] = x[:, d:T, f1:f1+f] with f1 = 2(d-1)f; out[:, d:T, f2:f2+f] = x[:, 0:T-d, f2:f2+f]
     * with f2 = f1 + f. Audio images are outside the shifted range [0, T).
     */
    private record TsamDefinition(int channels, int foldDiv, int depth) implements Definition {
        @Override
        public boolean valid() {
            return (channels / foldDiv) / depth >= 1;
        }

        @Override
        public void forEachRead(int segments, int audio, Read read) {
            int images = segments + audio;
            int f = (channels / foldDiv) / depth;
            int[][] source = new int[images][channels];
            for (int t = 0; t < images; t++) {
                Arrays.fill(source[t], t);
            }
            for (int d = 1; d <= depth; d++) {
                int f1 = 2 * (d - 1) * f;
                int f2 = f1 + f;
                for (int t = 0; t < segments - d; t++) {
                    for (int c = f1; c < f1 + f; c++) {
                        source[t][c] = t + d;
                    }
                }
                for (int t = d; t < segments; t++) {
                    for (int c = f2; c < f2 + f; c++) {
                        source[t][c] = t - d;
                    }
                }
            }
            for (int n = 0; n < BATCH; n++) {
                for (int t = 0; t < images; t++) {
                    for (int c = 0; c < channels; c++) {
                        for (int p = 0; p < PIXELS; p++) {
                            read.at(
                                    offset(n, t, c, images, channels) + p,
                                    offset(n, source[t][c], c, images, channels) + p);
                        }
                    }
                }
            }
        }
    }

    /**
     * TSM's rule with depth: a future and a past fold, each cut into k groups from explicit
     * boundaries; reads outside [0, T) are zeros and so are not visited.
     */
    private record TsmDefinition(int channels, int foldDiv, int depth) implements Definition {
        @Override
        public boolean valid() {
            return channels / foldDiv >= 1;
        }

        @Override
        public void forEachRead(int segments, int audio, Read read) {
            int images = segments + audio;
            for (int n = 0; n < BATCH; n++) {
                for (int t = 0; t < images; t++) {
                    for (int c = 0; c < channels; c++) {
                        int source = t < segments ? source(t, c) : t;
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

        private int source(int t, int c) {
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
