package io.tsam.trainer.train;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * How a finished {@link TrainingRun} ended.
 *
 * @param folder where its files are
 * @param epochs the number of epochs trained in total
 * @param bestTop1 the best validation top-1 (a fraction), if any epoch was validated
 * @param bestEpoch the 0-based epoch of {@code bestTop1}
 * @param optimizerSteps the number of optimizer steps taken in total
 */
public record TrainingSummary(
        RunFolder folder,
        int epochs,
        OptionalDouble bestTop1,
        OptionalInt bestEpoch,
        long optimizerSteps) {}
