package io.tsam.common.cli;

/** Exit statuses shared by every {@code tsam-*} command, so scripts can tell failures apart. */
public final class ExitCode {
    /** Everything asked for was done. */
    public static final int OK = 0;

    /** Some inputs failed (each was reported on its own line); the others were processed. */
    public static final int PARTIAL = 1;

    /** The command line itself was wrong (picocli's own code for usage errors). */
    public static final int USAGE = 2;

    /** A config, list, media file or value given by the user cannot be used. */
    public static final int BAD_INPUT = 3;

    /** Reading or writing a file failed (disk full, permissions, ...). */
    public static final int IO_ERROR = 4;

    /** A bug: an exception nobody expected. */
    public static final int INTERNAL = 70;

    private ExitCode() {}
}
