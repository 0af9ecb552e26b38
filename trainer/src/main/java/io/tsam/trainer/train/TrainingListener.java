package io.tsam.trainer.train;

import io.tsam.trainer.report.EpochRecord;

/**
 * What a {@link TrainingRun} reports while it works, so the CLI can draw progress bars and print
 * epoch lines while the library itself writes nothing to the console.
 */
public interface TrainingListener {

    /** A listener that ignores everything, for tests and quiet runs. */
    TrainingListener NONE = new TrainingListener() {};

    /** A pass over {@code clips} clips starts; {@code task} names it (e.g. "epoch 3/12"). */
    default void passStarted(String task, long clips) {}

    /** {@code clips} more clips of the current pass are done; {@code loss} is the batch loss. */
    default void batchDone(int clips, double loss) {}

    /** The current pass is over. */
    default void passFinished() {}

    /** An epoch is over and its files are written; {@code best} if its checkpoint is the best. */
    default void epochFinished(EpochRecord record, int epochs, boolean best) {}

    /** Something the user should read (resume point, pretrained weights loaded, ...). */
    default void info(String message) {}
}
