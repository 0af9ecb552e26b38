package io.tsam.exporter.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorStatisticsTest {

    @Test
    void minMaxKeepsTheExtremesAndHoldsZero() {
        TensorStatistics stats = new TensorStatistics(CalibrationMethod.MINMAX, 4);
        stats.add(FloatBuffer.wrap(new float[] {0.5f, 2f}));
        stats.add(FloatBuffer.wrap(new float[] {1f, 3f}));
        assertEquals(new ActivationRange(0, 3), stats.range());
        assertEquals(0, stats.range().zeroPoint());
        assertEquals(3 / 255f, stats.range().scale(), 1e-9);
    }

    @Test
    void percentilesCutTheRarestValuesAtEachEnd() {
        // 100 000 values -100 000..-1 and 1..100 000 in a shuffled order, in 4 batches: the tail of
        // 1e-4 is 20 values at each end.
        List<Float> values = new ArrayList<>();
        for (int i = 1; i <= 100_000; i++) {
            values.add((float) i);
            values.add((float) -i);
        }
        Collections.shuffle(values, new Random(3));
        TensorStatistics stats = new TensorStatistics(CalibrationMethod.PERCENTILE, values.size());
        for (int batch = 0; batch < 4; batch++) {
            float[] part = new float[values.size() / 4];
            for (int i = 0; i < part.length; i++) {
                part[i] = values.get(batch * part.length + i);
            }
            stats.add(FloatBuffer.wrap(part));
        }
        assertEquals(200_000, stats.count());
        assertEquals(new ActivationRange(-99_981, 99_981), stats.range());
        assertEquals(
                127,
                stats.range().zeroPoint(),
                "round(99 981 / (199 962 / 255)), just below 127.5");
    }
}
