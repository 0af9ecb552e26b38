package io.tsam.trainer.data;

/** Which list a dataset serves, which decides how its clips are sampled and batched. */
public enum Split {
    /**
     * Random frame per segment, random crop and flip; shuffled each epoch; the last incomplete
     * batch is dropped, as TSM does.
     */
    TRAINING,
    /** {@code num_clips} test clips per video in list order; the last batch may be smaller. */
    VALIDATION
}
