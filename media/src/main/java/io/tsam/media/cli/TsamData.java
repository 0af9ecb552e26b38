package io.tsam.media.cli;

import io.tsam.common.cli.CommandLines;
import io.tsam.common.cli.VerboseOption;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tsam-data}: make, extract and inspect TSAM data. */
@Command(
        name = "tsam-data",
        mixinStandardHelpOptions = true,
        version = "tsam-data 0.1.0",
        description = "Make, extract and inspect TSAM datasets.",
        subcommands = {
            SynthCommand.class,
            FramesCommand.class,
            PreprocessCommand.class,
            CommandLine.HelpCommand.class
        })
public final class TsamData {
    @Mixin VerboseOption verbose;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        ToolMain.run(args, TsamData::newCommandLine);
    }

    /** A command line writing to {@code out} and {@code err}, for {@link #main} and callers. */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        return CommandLines.newCommandLine(new TsamData(), out, err);
    }
}
