package io.tsam.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void percentilesInterpolateAsNumpyDoes() {
        List<Double> samples = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            samples.add((double) i);
        }
        Collections.shuffle(samples, new Random(1));

        LatencyStats stats = LatencyStats.of(samples);

        // numpy.percentile(range(1, 101), [50, 90, 99]) == [50.5, 90.1, 99.01]
        assertEquals(100, stats.count());
        assertEquals(50.5, stats.meanMs(), 1e-12);
        assertEquals(50.5, stats.p50Ms(), 1e-12);
        assertEquals(90.1, stats.p90Ms(), 1e-12);
        assertEquals(99.01, stats.p99Ms(), 1e-12);
        assertEquals(100, stats.maxMs());
    }

    @Test
    void oneSampleIsEveryPercentileAndNoneIsAnError() {
        LatencyStats one = LatencyStats.of(List.of(2.5));
        assertEquals(new LatencyStats(1, 2.5, 2.5, 2.5, 2.5, 2.5), one);
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(List.of()));
    }
}
