package io.tsam.media.cli;

import io.tsam.media.video.FfmpegLogging;
import java.io.PrintWriter;
import java.util.function.BiFunction;
import picocli.CommandLine;

/** The {@code main} of the {@code tsam-*} tools, which all decode media. */
public final class ToolMain {
    private ToolMain() {}

    /**
     * Quiets FFmpeg unless {@code --verbose}, runs the command line on the console and exits with
     * its status.
     */
    public static void run(
            String[] args, BiFunction<PrintWriter, PrintWriter, CommandLine> commandLine) {
        FfmpegLogging.quietUnlessVerbose(args);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(commandLine.apply(out, err).execute(args));
    }
}
