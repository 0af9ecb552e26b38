package io.tsam.trainer.cli;

import io.tsam.common.cli.CommandLines;
import io.tsam.common.cli.ExitCode;
import io.tsam.common.cli.VerboseOption;
import io.tsam.config.DataConfig;
import io.tsam.config.TsamConfig;
import io.tsam.media.cli.AutorotateOption;
import io.tsam.media.cli.ToolMain;
import io.tsam.trainer.metrics.ClassificationMetrics;
import io.tsam.trainer.train.CheckpointValidation;
import io.tsam.trainer.train.ComputeDevice;
import io.tsam.trainer.train.RunFolder;
import io.tsam.trainer.train.TrainingRun;
import io.tsam.trainer.train.TrainingSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tsam-train}: trains or validates a TSAM model, with the flags of TSAM's main.py. */
@Command(
        name = "tsam-train",
        mixinStandardHelpOptions = true,
        version = "tsam-train 0.1.0",
        sortOptions = false,
        description = {
            "Train a TSAM model on the data of --data with the model file --config, writing"
                    + " results_folder/RUN_ID/: config copies, metrics.jsonl, last/best"
                    + " checkpoints, curves.png and confusion.png.",
            "With --validate, score a checkpoint on the validation list instead (scores.json)."
        })
public final class TsamTrain implements Callable<Integer> {
    @Mixin VerboseOption verbose;
    @Spec CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DATA.json", description = "Data file.")
    Path data;

    @Option(
            names = "--config",
            required = true,
            paramLabel = "MODEL.json",
            description = "Model file (network, augmentation, optimizer, schedule).")
    Path config;

    @Option(
            names = "--run_id",
            paramLabel = "ID",
            description =
                    "Name of the run's folder under results_folder (required for training; for"
                            + " --validate it defaults to validate-<checkpoint name>).")
    String runId;

    @Option(
            names = "--device",
            defaultValue = "cpu",
            paramLabel = "DEVICE",
            description = "cpu (default), gpu, gpu:N or a GPU index.")
    String device;

    @Option(
            names = "--resume",
            description = "Continue the run in results_folder/RUN_ID from its last finished epoch.")
    boolean resume;

    @Option(
            names = "--validate",
            paramLabel = "CHECKPOINT",
            description =
                    "Validate this checkpoint (.safetensors with sidecar, or a TSM/TSAM .pth)"
                            + " instead of training.")
    Path validate;

    @Option(
            names = "--pretrained",
            paramLabel = "FILE",
            description =
                    "Initial weights: a torchvision/timm ResNet state dict (backbone) or a TSM/TSAM"
                            + " checkpoint; overrides model.backbone_weights.")
    Path pretrained;

    @Mixin AutorotateOption autorotate;

    @Option(names = "--no-progress", description = "No progress bars (epoch lines only).")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DataConfig dataConfig = DataConfig.load(data);
        TsamConfig modelConfig = autorotate.applyTo(TsamConfig.load(config));
        ConsoleProgress progress = new ConsoleProgress(out, !noProgress);
        if (validate != null) {
            if (resume || pretrained != null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--validate cannot be combined with --resume or --pretrained");
            }
            String id = runId != null ? runId : "validate-" + baseName(validate);
            RunFolder folder = RunFolder.of(modelConfig.resultsFolder(), id);
            ClassificationMetrics m =
                    CheckpointValidation.run(
                            dataConfig,
                            modelConfig,
                            validate,
                            folder,
                            ComputeDevice.parse(device),
                            progress);
            out.printf(
                    Locale.ROOT,
                    "%s: %d videos, top1 %.2f%%  top%d %.2f%%  mean-class %.2f%%%n"
                            + "wrote %s, %s, %s%n",
                    validate,
                    m.count(),
                    100 * m.top1(),
                    ClassificationMetrics.topK(m.classes()),
                    100 * m.top5(),
                    100 * m.meanClassAccuracy(),
                    folder.scores(),
                    folder.validation(),
                    folder.confusion());
            return ExitCode.OK;
        }
        if (runId == null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "Missing required option: '--run_id=ID' (training)");
        }
        List<String> unsupported = modelConfig.dataAugmentation().unsupportedForTraining();
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException(
                    config
                            + ": tsam-train does not implement "
                            + String.join(", ", unsupported)
                            + "; turn it off to train here (export and predict are unaffected)");
        }
        TrainingRun.Builder run =
                TrainingRun.builder()
                        .setData(dataConfig)
                        .setConfig(modelConfig)
                        .setRunFolder(RunFolder.of(modelConfig.resultsFolder(), runId))
                        .optDevice(ComputeDevice.parse(device))
                        .optResume(resume)
                        .optListener(progress);
        if (pretrained != null) {
            run.optPretrained(pretrained);
        }
        TrainingSummary summary = run.build().train();
        out.printf(
                Locale.ROOT,
                "done: %d epochs, %d steps%s%nresults in %s%n",
                summary.epochs(),
                summary.optimizerSteps(),
                summary.bestTop1().isPresent()
                        ? String.format(
                                Locale.ROOT,
                                ", best val top1 %.2f%% (epoch %d)",
                                100 * summary.bestTop1().getAsDouble(),
                                summary.bestEpoch().getAsInt() + 1)
                        : "",
                summary.folder().dir());
        return ExitCode.OK;
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** A command line writing to {@code out} and {@code err}, for {@link #main} and tests. */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        return CommandLines.newCommandLine(new TsamTrain(), out, err);
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        CommandLines.offlineAndHeadless();
        ToolMain.run(args, TsamTrain::newCommandLine);
    }
}
