package io.tsam.runtime.cli;

import io.tsam.common.cli.CommandLines;
import io.tsam.common.cli.VerboseOption;
import io.tsam.media.cli.ToolMain;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tsam-run}: run exported TSAM models with ONNX Runtime; nothing but the {@code .onnx} file
 * is needed.
 */
@Command(
        name = "tsam-run",
        mixinStandardHelpOptions = true,
        version = "tsam-run 0.1.0",
        description = "Predict, preprocess and benchmark with an exported TSAM model (.onnx).",
        subcommands = {
            PredictCommand.class,
            PreprocessCommand.class,
            BenchCommand.class,
            ServeCommand.class,
            WatchCommand.class,
            DoctorCommand.class,
            CommandLine.HelpCommand.class
        })
public final class TsamRun {

    @Mixin VerboseOption verbose;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        ToolMain.run(args, TsamRun::newCommandLine);
    }

    /** A command line writing to {@code out} and {@code err}, for {@code main} and tests. */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        return CommandLines.newCommandLine(new TsamRun(), out, err);
    }
}
