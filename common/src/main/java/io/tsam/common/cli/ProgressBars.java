package io.tsam.common.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bar every long-running command shows on stderr: count, rate and ETA. */
public final class ProgressBars {
    private ProgressBars() {}

    /**
     * A bar for {@code total} units of {@code unit} (e.g. "videos"); the caller closes it to print
     * the final state.
     */
    public static ProgressBar start(String task, long total, String unit) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .build();
    }
}
