package io.tsam.common.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Builds the picocli command lines of all {@code tsam-*} tools with one error policy: a failure
 * prints one line naming what failed and why, the stack trace only with {@code --verbose}, and the
 * exit status says which kind of failure it was ({@link ExitCode}).
 */
public final class CommandLines {
    private CommandLines() {}

    /**
     * A command line for {@code command} that writes to {@code out} and {@code err}; tests pass
     * string writers, {@code main} passes the console.
     */
    public static CommandLine newCommandLine(Object command, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(command);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setExecutionExceptionHandler(CommandLines::report);
        return cmd;
    }

    /**
     * What a tool that loads libtorch through DJL sets before DJL starts: libtorch comes from the
     * pytorch-native-cpu jar and is never downloaded at run time (unless the caller said
     * otherwise), and charts are drawn without a display.
     */
    public static void offlineAndHeadless() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        System.setProperty("java.awt.headless", "true");
    }

    /** Exit status for an exception escaping a command. */
    public static int exitCodeOf(Throwable e) {
        if (e instanceof IllegalArgumentException) {
            return ExitCode.BAD_INPUT;
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            return ExitCode.IO_ERROR;
        }
        return ExitCode.INTERNAL;
    }

    /** The one line a user sees for a failure. */
    public static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return describe(u.getCause());
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        return switch (exitCodeOf(e)) {
            case ExitCode.BAD_INPUT -> message;
            case ExitCode.IO_ERROR -> "I/O error: " + message;
            default ->
                    "internal error: "
                            + e.getClass().getName()
                            + (message.isEmpty() ? "" : ": " + message)
                            + " (rerun with --verbose for the stack trace)";
        };
    }

    private static int report(Exception e, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText("error: " + describe(e)));
        if (verbose(parseResult)) {
            e.printStackTrace(err);
        }
        err.flush();
        return exitCodeOf(e);
    }

    private static boolean verbose(ParseResult result) {
        for (ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
