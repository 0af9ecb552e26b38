package io.tsam.trainer.train;

import io.tsam.trainer.report.EpochRecord;
import io.tsam.trainer.report.MetricsLog;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** The best validation top-1 of a run so far and its epoch; ties keep the earlier epoch. */
final class Best {
    private OptionalDouble top1 = OptionalDouble.empty();
    private OptionalInt epoch = OptionalInt.empty();

    /** The best of the epochs already in {@code log}, as a resumed run must continue from. */
    static Best of(MetricsLog log) {
        Best best = new Best();
        log.records().forEach(best::offer);
        return best;
    }

    /** Takes {@code record} into account; returns whether it is the new best. */
    boolean offer(EpochRecord record) {
        if (record.validation().isEmpty()) {
            return false;
        }
        double value = record.validation().get().top1();
        if (top1.isPresent() && !(value > top1.getAsDouble())) {
            return false;
        }
        top1 = OptionalDouble.of(value);
        epoch = OptionalInt.of(record.epoch());
        return true;
    }

    OptionalDouble top1() {
        return top1;
    }

    OptionalInt epoch() {
        return epoch;
    }
}
