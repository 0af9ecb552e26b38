package io.tsam.media.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SegmentSamplerTest {

    @Test
    void shortVideoRepeatsFramesInEveryMode() {
        int[] expected = {0, 0, 0, 1, 1, 1, 2, 2}; // floor(i * 3 / 8)
        assertArrayEquals(expected, SegmentSampler.test(3, 8, 0, 1));
        assertArrayEquals(expected, SegmentSampler.test(3, 8, 1, 3));
        assertArrayEquals(expected, SegmentSampler.train(3, 8, new SplittableRandom(1)));
        assertArrayEquals(new int[] {0, 0, 0, 0}, SegmentSampler.test(1, 4, 0, 1));
    }

    @Test
    void asManyFramesAsSegmentsTakesEachFrameOnce() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, SegmentSampler.test(8, 8, 0, 1));
        assertArrayEquals(
                new int[] {0, 1, 2, 3, 4, 5, 6, 7},
                SegmentSampler.train(8, 8, new SplittableRandom(7)));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, SegmentSampler.test(8, 8, 1, 2));
    }

    @Test
    void singleClipIsTsmMiddleFrame() {
        // TSM's _get_test_indices: tick = F / T; int(tick / 2.0 + tick * x).
        assertArrayEquals(
                new int[] {18, 56, 93, 131, 168, 206, 243, 281}, SegmentSampler.test(300, 8, 0, 1));
        for (int frames = 8; frames <= 400; frames++) {
            for (int segments : new int[] {1, 3, 8, 16}) {
                if (frames < segments) {
                    continue;
                }
                double tick = (double) frames / segments;
                int[] actual = SegmentSampler.test(frames, segments, 0, 1);
                for (int x = 0; x < segments; x++) {
                    assertEquals(
                            (int) (tick / 2.0 + tick * x),
                            actual[x],
                            "F=" + frames + " T=" + segments + " segment " + x);
                }
            }
        }
    }

    @Test
    void multiClipFollowsSpecFormulaExactly() {
        for (int clips : new int[] {2, 3, 10}) {
            for (int frames : new int[] {8, 30, 97, 250, 301, 1000}) {
                int segments = 8;
                for (int c = 0; c < clips; c++) {
                    int[] actual = SegmentSampler.test(frames, segments, c, clips);
                    for (int i = 0; i < segments; i++) {
                        assertEquals(
                                specIndex(frames, segments, i, c, clips),
                                actual[i],
                                "F=" + frames + " C=" + clips + " clip " + c + " segment " + i);
                    }
                }
            }
        }
        // F = 16, T = 8, C = 2: segments are 2 frames long, clips take offsets 0.5 and 1.5.
        assertArrayEquals(new int[] {0, 2, 4, 6, 8, 10, 12, 14}, SegmentSampler.test(16, 8, 0, 2));
        assertArrayEquals(new int[] {1, 3, 5, 7, 9, 11, 13, 15}, SegmentSampler.test(16, 8, 1, 2));
    }

    @Test
    void exactArithmeticSurvivesHugeFrameCounts() {
        int frames = Integer.MAX_VALUE;
        int[] indices = SegmentSampler.test(frames, 7, 9, 10);
        for (int i = 0; i < 7; i++) {
            assertEquals(specIndex(frames, 7, i, 9, 10), indices[i]);
        }
    }

    @Test
    void trainIndicesStayInTheirSegmentsAndCoverThem() {
        int frames = 50;
        int segments = 8;
        Set<Integer> seen = new HashSet<>();
        Random rng = new Random(42);
        for (int draw = 0; draw < 2000; draw++) {
            int[] indices = SegmentSampler.train(frames, segments, rng);
            assertEquals(segments, indices.length);
            for (int i = 0; i < segments; i++) {
                int first = i * frames / segments;
                int end = (i + 1) * frames / segments;
                assertTrue(
                        indices[i] >= first && indices[i] < end,
                        "segment "
                                + i
                                + " took "
                                + indices[i]
                                + ", outside ["
                                + first
                                + ", "
                                + end
                                + ")");
                seen.add(indices[i]);
            }
        }
        assertEquals(frames, seen.size(), "every frame is drawn at some point");
    }

    @Test
    void seededGeneratorReproducesTheSample() {
        int[] a = SegmentSampler.train(1234, 16, new SplittableRandom(99));
        int[] b = SegmentSampler.train(1234, 16, new SplittableRandom(99));
        int[] c = SegmentSampler.train(1234, 16, new SplittableRandom(100));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c), "another seed gives another sample");
    }

    @Test
    void badArgumentsAreRejectedWithTheValue() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SegmentSampler.test(0, 8, 0, 1));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SegmentSampler.test(10, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SegmentSampler.test(10, 8, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> SegmentSampler.test(10, 8, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> SegmentSampler.test(10, 8, 0, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> SegmentSampler.train(-5, 8, new SplittableRandom(1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> SegmentSampler.train(10, -1, new SplittableRandom(1)));
    }

    /** SPEC §2 literally, in exact decimal arithmetic: floor(i * len + len * (c + 0.5) / C). */
    private static int specIndex(int frames, int segments, int i, int c, int clips) {
        BigDecimal len =
                BigDecimal.valueOf(frames)
                        .divide(BigDecimal.valueOf(segments), 60, RoundingMode.HALF_EVEN);
        BigDecimal start = len.multiply(BigDecimal.valueOf(i));
        BigDecimal offset =
                len.multiply(BigDecimal.valueOf(c).add(new BigDecimal("0.5")))
                        .divide(BigDecimal.valueOf(clips), 60, RoundingMode.HALF_EVEN);
        // Nudge by far less than one frame so that a 60-digit division landing just under an
        // integer still floors to it.
        return start.add(offset)
                .add(new BigDecimal("1e-40"))
                .setScale(0, RoundingMode.FLOOR)
                .intValueExact();
    }

    @Test
    void latencySamplingTakesTheKeyframeNearestTheTestFrameElseTheSegmentStart() {
        // 100 frames, 4 segments of 25, test frames 12, 37, 62, 87.
        int[] exact = SegmentSampler.test(100, 4, 0, 1);
        assertArrayEquals(new int[] {12, 37, 62, 87}, exact);
        // Keyframes 0, 20 (segment 0: 20 is nearer 12), 30 and 45 (segment 1: 30 is nearer 37),
        // none in segment 2 (its first frame, 50), 90 in segment 3.
        assertArrayEquals(
                new int[] {20, 30, 50, 90},
                SegmentSampler.cheapest(exact, 100, new int[] {0, 20, 30, 45, 90}));
        // A tie goes to the earlier keyframe.
        assertArrayEquals(
                new int[] {10, 25, 50, 75},
                SegmentSampler.cheapest(exact, 100, new int[] {10, 14, 25}));
        // Nothing known: the exact frames.
        assertArrayEquals(exact, SegmentSampler.cheapest(exact, 100, new int[0]));
        // Fewer frames than segments: repeated frames stay.
        int[] repeated = SegmentSampler.test(3, 4, 0, 1);
        assertArrayEquals(repeated, SegmentSampler.cheapest(repeated, 3, new int[] {0}));
    }
}
