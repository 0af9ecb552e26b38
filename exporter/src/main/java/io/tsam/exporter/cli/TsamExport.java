package io.tsam.exporter.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.tsam.backend.tensorrt.EnginePlan;
import io.tsam.common.cli.CommandLines;
import io.tsam.common.cli.ExitCode;
import io.tsam.common.cli.VerboseOption;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.ModelConfig;
import io.tsam.exporter.onnx.OnnxOp;
import io.tsam.exporter.onnx.OpCensus;
import io.tsam.exporter.onnx.TsamOnnxExporter;
import io.tsam.exporter.source.ExportSource;
import io.tsam.exporter.verify.ParityReport;
import io.tsam.media.cli.ToolMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tsam-export}: a checkpoint to the ONNX model of SPEC §5.
 *
 * <p>The steps run in order, each one a method, so a later target (a TensorRT engine, a Triton
 * model repository, an evaluation on a video list) is one more option group and one more step after
 * {@link #install}: load the checkpoint into the DJL net, lower the net to ONNX, verify it against
 * the net in ONNX Runtime, install it at {@code --out} (atomically) and print a summary. A model
 * that fails verification is written to {@code <out>.rejected.onnx} instead, and the exit status is
 * {@link ExportExitCode#VERIFICATION_FAILED}.
 */
@Command(
        name = "tsam-export",
        mixinStandardHelpOptions = true,
        version = "tsam-export 0.1.0",
        sortOptions = false,
        description = {
            "Export a TSAM checkpoint to ONNX (opset "
                    + OnnxOp.OPSET_VERSION
                    + ") and check"
                    + " it against the checkpoint's net."
        })
public final class TsamExport implements Callable<Integer> {

    private static final double BYTES_PER_MB = 1e6;

    @Mixin CheckpointOptions checkpoint;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "Where to write the ONNX model, e.g. model.onnx.")
    Path out;

    @Mixin VerifyOptions verification;

    @Mixin CalibrationOption calibration;

    @Mixin QuantizeOptions quantize;

    @Mixin TensorRtOptions tensorRt;

    @Mixin TritonOptions triton;

    @Mixin EvalOptions evaluation;

    @Mixin VerboseOption verbose;

    @Spec CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        CommandLines.offlineAndHeadless();
        ToolMain.run(args, TsamExport::newCommandLine);
    }

    /** A command line writing to {@code out} and {@code err}, for {@code main} and tests. */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        return CommandLines.newCommandLine(new TsamExport(), out, err);
    }

    @Override
    public Integer call() throws IOException {
        verification.validate();
        quantize.validate(calibration.data);
        tensorRt.validate(calibration.data, quantize.enabled());
        triton.validate(tensorRt.maxBatch());
        evaluation.validate();
        try (ExportSource source = checkpoint.load()) {
            PrintWriter notes = spec.commandLine().getOut();
            source.notes().forEach(note -> notes.println("note: " + note));
            ModelProto model = lower(source);
            byte[] bytes = model.toByteArray();
            if (verification.enabled && !verify(source, model, bytes)) {
                Path rejected = rejectedPath();
                AtomicFile.write(rejected, bytes);
                PrintWriter err = spec.commandLine().getErr();
                err.println(
                        "error: the ONNX model does not compute what the checkpoint's net"
                                + " computes (logits within "
                                + verification.tolerance()
                                + ", every shift exact); it was kept as "
                                + rejected
                                + " and "
                                + out
                                + " was left as it was");
                err.flush();
                return ExportExitCode.VERIFICATION_FAILED;
            }
            install(bytes);
            summarise(source, model, bytes.length);
            PrintWriter stdout = spec.commandLine().getOut();
            Optional<QuantizeOptions.Written> int8 =
                    quantize.run(source, model, bytes, out, calibration.data, stdout);
            Optional<EnginePlan> engine = tensorRt.build(source, bytes, out, stdout);
            triton.write(bytes, engine, out, stdout);
            boolean complete =
                    evaluation.run(
                            source,
                            bytes,
                            out,
                            Optional.of(verification.tolerance()),
                            spec.commandLine());
            if (int8.isPresent()) {
                complete &=
                        evaluation.run(
                                source,
                                int8.get().bytes(),
                                int8.get().file(),
                                Optional.empty(),
                                spec.commandLine());
            }
            if (!complete) {
                return ExitCode.PARTIAL;
            }
        }
        return ExitCode.OK;
    }

    private ModelProto lower(ExportSource source) {
        return TsamOnnxExporter.builder()
                .setNet(source.net())
                .setConfig(source.config())
                .optLabels(source.labels())
                .setCheckpointSha256(source.checkpointSha256())
                .build()
                .export();
    }

    private boolean verify(ExportSource source, ModelProto model, byte[] bytes) {
        ParityReport report = verification.run(source, model, bytes, out);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(report.table());
        stdout.flush();
        return report.passed();
    }

    private void install(byte[] model) throws IOException {
        AtomicFile.write(out, model);
    }

    private void summarise(ExportSource source, ModelProto model, long bytes) {
        ModelConfig config = source.config().model();
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(
                Locale.ROOT,
                "wrote %s (%.1f MB): %s T=%d A=%d, %d classes, %dx%d, opset %d; %s%n",
                out,
                bytes / BYTES_PER_MB,
                config.arch(),
                config.videoSegments(),
                config.audioSegments(),
                source.labels().size(),
                source.config().dataAugmentation().cropSize(),
                source.config().dataAugmentation().cropSize(),
                OnnxOp.OPSET_VERSION,
                OpCensus.of(model));
        stdout.flush();
    }

    /** Where a rejected model goes: {@code model.onnx} becomes {@code model.rejected.onnx}. */
    private Path rejectedPath() {
        return ModelFileNames.beside(out, ".rejected.onnx");
    }
}
