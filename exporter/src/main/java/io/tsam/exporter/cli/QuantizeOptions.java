package io.tsam.exporter.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtEnvironment;
import io.tsam.backend.OrtBackend;
import io.tsam.common.cli.ProgressBars;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.DataConfig;
import io.tsam.exporter.calibration.ClipCalibrationSource;
import io.tsam.exporter.quantize.ActivationCalibration;
import io.tsam.exporter.quantize.CalibrationMethod;
import io.tsam.exporter.quantize.QdqQuantizer;
import io.tsam.exporter.quantize.QuantizationCheck;
import io.tsam.exporter.source.ExportSource;
import io.tsam.media.pipeline.MediaConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Option;

/**
 * The INT8 step: the verified float model calibrated on real clips and written as a QDQ model
 * beside it ({@code model.onnx} gives {@code model.int8.onnx}), then compared with the float model
 * on clips of the same list.
 */
final class QuantizeOptions {

    /** What {@code --quantize} can make. */
    enum Precision {
        INT8
    }

    static final int DEFAULT_CALIB_CLIPS = 64;
    static final int CHECK_CLIPS = 32;
    private static final double BYTES_PER_MB = 1e6;

    @Option(
            names = "--quantize",
            paramLabel = "int8",
            description = {
                "Also write an INT8 model for ONNX Runtime's CPU kernels (QDQ: convolution weights"
                        + " int8 per output channel, activations uint8 calibrated on --calib clips)"
                        + " as <out>.int8.onnx, compared with the float model on clips of the same"
                        + " list; with --eval it is scored too."
            })
    Precision precision;

    @Option(
            names = "--calib-clips",
            paramLabel = "N",
            description = {"--quantize: calibrate on at most N clips (default: 64)."})
    Integer calibClips;

    @Option(
            names = "--calib-method",
            paramLabel = "METHOD",
            description = {
                "--quantize: minmax or percentile (0.01st to 99.99th; default) for each"
                        + " activation's range."
            })
    CalibrationMethod method;

    /** Whether {@code --quantize} was given. */
    boolean enabled() {
        return precision != null;
    }

    /** Checks the options before any work. */
    void validate(Path calibData) {
        if (precision == null) {
            if (calibClips != null || method != null) {
                throw new IllegalArgumentException(
                        "--calib-clips and --calib-method only apply with --quantize int8");
            }
            return;
        }
        if (calibData == null) {
            throw new IllegalArgumentException(
                    "--quantize int8 needs --calib DATA: a data file whose validation list gives"
                            + " the calibration clips");
        }
        if (calibClips != null && calibClips < 1) {
            throw new IllegalArgumentException("--calib-clips must be >= 1, got " + calibClips);
        }
    }

    /**
     * Calibrates, quantises, checks and writes the INT8 model if {@code --quantize} was given.
     *
     * @param model the verified float model
     * @param floatBytes its bytes
     * @param out where the float model was installed
     * @return the INT8 model's bytes and where they went, or empty without {@code --quantize}
     */
    Optional<Written> run(
            ExportSource source,
            ModelProto model,
            byte[] floatBytes,
            Path out,
            Path calibData,
            PrintWriter stdout)
            throws IOException {
        if (precision == null) {
            return Optional.empty();
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        DataConfig data = DataConfig.load(calibData);
        MediaConfig media = MediaConfig.of(source.config());
        int clips = calibClips != null ? calibClips : DEFAULT_CALIB_CLIPS;
        CalibrationMethod chosen = method != null ? method : CalibrationMethod.PERCENTILE;
        ActivationCalibration calibration;
        try (ProgressBar bar =
                System.console() == null ? null : ProgressBars.start("calibrate", clips, "clips")) {
            calibration =
                    ActivationCalibration.run(
                            environment,
                            model,
                            clipsOf(data, media, clips),
                            clips,
                            chosen,
                            Runtime.getRuntime().availableProcessors(),
                            done -> {
                                if (bar != null) {
                                    bar.stepTo(done);
                                }
                            });
        }
        ModelProto quantised =
                QdqQuantizer.quantize(
                        model,
                        calibration.ranges(),
                        chosen.describe() + " over " + calibration.clips() + " clips");
        byte[] bytes = quantised.toByteArray();
        Path file = int8Path(out);
        QuantizationCheck check;
        try (OrtBackend reference =
                        OrtBackend.builder()
                                .setModel(floatBytes, out)
                                .setEnvironment(environment)
                                .build();
                OrtBackend int8 =
                        OrtBackend.builder()
                                .setModel(bytes, file)
                                .setEnvironment(environment)
                                .build()) {
            check =
                    QuantizationCheck.run(
                            reference, int8, clipsOf(data, media, CHECK_CLIPS), CHECK_CLIPS);
        }
        AtomicFile.write(file, bytes);
        stdout.printf(
                Locale.ROOT,
                "wrote %s (%.1f MB): int8 QDQ, %d activation ranges (%s over %d clips); %s%n",
                file,
                bytes.length / BYTES_PER_MB,
                calibration.ranges().size(),
                chosen.cliName(),
                calibration.clips(),
                check.summary());
        stdout.flush();
        return Optional.of(new Written(file, bytes, check));
    }

    /** The INT8 model as written. */
    record Written(Path file, byte[] bytes, QuantizationCheck check) {}

    private static ClipCalibrationSource clipsOf(DataConfig data, MediaConfig media, int clips) {
        return ClipCalibrationSource.builder()
                .setData(data)
                .setMedia(media)
                .setBatchSize(1)
                .optMaxBatches(clips)
                .build();
    }

    /** {@code model.onnx} becomes {@code model.int8.onnx}. */
    static Path int8Path(Path out) {
        return ModelFileNames.beside(out, ".int8.onnx");
    }
}
