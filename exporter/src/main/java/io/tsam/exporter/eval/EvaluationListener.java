package io.tsam.exporter.eval;

import io.tsam.exporter.eval.EvaluationReport.FailedVideo;

/**
 * Hears how an {@link ExportEvaluation} gets on, video by video, on the thread that runs it: a
 * command line shows progress and names each skipped video as it happens.
 */
public interface EvaluationListener {

    /** A listener that does nothing. */
    EvaluationListener NONE = new EvaluationListener() {};

    /**
     * A video was scored.
     *
     * @param id its list-file id
     * @param done the videos handled so far, this one included
     * @param total the videos of the list
     */
    default void videoScored(String id, int done, int total) {}

    /**
     * A video could not be decoded and was skipped.
     *
     * @param video its id and the reason
     * @param done the videos handled so far, this one included
     * @param total the videos of the list
     */
    default void videoFailed(FailedVideo video, int done, int total) {}
}
