package io.tsam.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.config.LrScheduler;
import io.tsam.config.OptimizerConfig;
import io.tsam.config.OptimizerType;
import java.util.List;
import org.junit.jupiter.api.Test;

class LrScheduleTest {

    private static final double TOLERANCE = 1e-12;

    private static OptimizerConfig config(
            LrScheduler scheduler, List<Integer> steps, int warmupEpochs, double minLr) {
        return new OptimizerConfig(
                OptimizerType.SGD,
                0.1,
                0.9,
                5e-4,
                scheduler,
                steps,
                0.1,
                List.of(),
                warmupEpochs,
                minLr);
    }

    @Test
    void stepScheduleWithWarmup() {
        // 6 epochs of 4 iterations, 1 warm-up epoch, decay by 0.1 from epochs 2 and 4.
        LrSchedule schedule = new LrSchedule(config(LrScheduler.STEP, List.of(2, 4), 1, 0), 6, 4);
        double[] warmup = {0.025, 0.05, 0.075, 0.1};
        for (int i = 0; i < 4; i++) {
            assertEquals(warmup[i], schedule.lr(0, i), TOLERANCE, "warm-up iteration " + i);
        }
        double[] byEpoch = {0.1, 0.1, 0.01, 0.01, 0.001, 0.001};
        for (int epoch = 1; epoch < 6; epoch++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(byEpoch[epoch], schedule.lr(epoch, i), TOLERANCE, "epoch " + epoch);
            }
        }
    }

    @Test
    void warmupScalesTheDecayedRate() {
        // A step inside the warm-up: t=1 is epoch 1, already decayed, at warm-up factor 2/2.
        LrSchedule schedule = new LrSchedule(config(LrScheduler.STEP, List.of(1), 2, 0), 3, 1);
        assertEquals(0.05, schedule.lr(0, 0), TOLERANCE);
        assertEquals(0.01, schedule.lr(1, 0), TOLERANCE);
        assertEquals(0.01, schedule.lr(2, 0), TOLERANCE);
    }

    @Test
    void cosineScheduleWithWarmup() {
        // 3 epochs of 2 iterations, 1 warm-up epoch: cosine over t = 2..5, p = (t - 2) / 4.
        LrSchedule schedule = new LrSchedule(config(LrScheduler.COSINE, List.of(), 1, 0.01), 3, 2);
        double halfRootTwo = Math.sqrt(2) / 2;
        assertEquals(0.05, schedule.lr(0, 0), TOLERANCE);
        assertEquals(0.1, schedule.lr(0, 1), TOLERANCE);
        assertEquals(0.1, schedule.lr(1, 0), TOLERANCE);
        assertEquals(0.01 + 0.045 * (1 + halfRootTwo), schedule.lr(1, 1), TOLERANCE);
        assertEquals(0.055, schedule.lr(2, 0), TOLERANCE);
        assertEquals(0.01 + 0.045 * (1 - halfRootTwo), schedule.lr(2, 1), TOLERANCE);
    }

    @Test
    void cosineWithoutWarmupStartsAtTheBaseRate() {
        LrSchedule schedule = new LrSchedule(config(LrScheduler.COSINE, List.of(), 0, 0), 2, 1);
        assertEquals(0.1, schedule.lr(0, 0), TOLERANCE);
        assertEquals(0.05, schedule.lr(1, 0), TOLERANCE);
    }

    @Test
    void rejectsWarmupAsLongAsTrainingAndOutOfRangeIterations() {
        IllegalArgumentException warmup =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new LrSchedule(config(LrScheduler.COSINE, List.of(), 3, 0), 3, 10));
        assertTrue(warmup.getMessage().contains("warmup_epochs (3)"), warmup.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new LrSchedule(config(LrScheduler.STEP, List.of(), 0, 0), 3, 0));
        LrSchedule schedule = new LrSchedule(config(LrScheduler.STEP, List.of(), 0, 0), 3, 10);
        assertThrows(IllegalArgumentException.class, () -> schedule.lr(3, 0));
        assertThrows(IllegalArgumentException.class, () -> schedule.lr(0, 10));
        assertThrows(IllegalArgumentException.class, () -> schedule.lr(-1, 0));
    }
}
