package io.tsam.trainer.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EpochMeterTest {
    @Test
    void weighsBatchesBySize() {
        EpochMeter meter = new EpochMeter();
        assertTrue(Double.isNaN(meter.meanLoss()));
        assertTrue(Double.isNaN(meter.top1()));
        // Batch of 2: both right, loss 1.0. Batch of 1: wrong, loss 4.0.
        meter.add(new float[] {2, 1, 0, 3}, 2, new int[] {0, 1}, 1.0);
        meter.add(new float[] {5, 1}, 2, new int[] {1}, 4.0);
        assertEquals(3, meter.count());
        assertEquals((2 * 1.0 + 4.0) / 3, meter.meanLoss(), 1e-12);
        assertEquals(2 / 3.0, meter.top1(), 1e-12);
    }

    @Test
    void rejectsMismatchedBatches() {
        EpochMeter meter = new EpochMeter();
        assertThrows(
                IllegalArgumentException.class,
                () -> meter.add(new float[3], 2, new int[] {0, 1}, 0));
        assertThrows(
                IllegalArgumentException.class, () -> meter.add(new float[2], 2, new int[] {2}, 0));
    }
}
