package io.tsam.exporter.cli;

/**
 * The exit status {@code tsam-export} adds to the shared ones of {@link
 * io.tsam.common.cli.ExitCode}.
 */
public final class ExportExitCode {

    /**
     * The model was exported but does not compute what the checkpoint's net computes within the
     * tolerance; it was kept aside, not installed.
     */
    public static final int VERIFICATION_FAILED = 5;

    private ExportExitCode() {}
}
