package io.tsam.exporter.cli;

import io.tsam.backend.tensorrt.BatchProfile;
import io.tsam.backend.tensorrt.EngineInfo;
import io.tsam.backend.tensorrt.EnginePlan;
import io.tsam.backend.tensorrt.GpuInfo;
import io.tsam.backend.tensorrt.GpuProbe;
import io.tsam.backend.tensorrt.GpuStatus;
import io.tsam.backend.tensorrt.TensorRtPrecision;
import io.tsam.config.DataConfig;
import io.tsam.exporter.calibration.ClipCalibrationSource;
import io.tsam.exporter.source.ExportSource;
import io.tsam.exporter.trt.CalibrationCache;
import io.tsam.exporter.trt.TensorRtExporter;
import io.tsam.media.pipeline.MediaConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of the TensorRT engine step: precision, batch profile, INT8 calibration and caches.
 *
 * <p>The engine is built after the ONNX model is installed, so that a machine without a usable GPU
 * still gets the ONNX model; the step then fails with one line naming what is missing, and the exit
 * status is {@link io.tsam.common.cli.ExitCode#BAD_INPUT}: {@code --tensorrt} cannot be honoured on
 * this machine, and the same command works on one with a GPU.
 */
final class TensorRtOptions {

    private static final double BYTES_PER_MB = 1e6;
    private static final String PLAN_EXTENSION = ".plan";
    private static final String TIMING_CACHE = "tensorrt-timing.cache";

    @Option(
            names = "--tensorrt",
            paramLabel = "PRECISION",
            description = {
                "Also build a TensorRT engine for this machine's GPU, allowed to compute in fp32,"
                        + " fp16 or int8 (int8 needs --calib). Needs an NVIDIA GPU with a CUDA 13"
                        + " driver and TensorRT 10.15; without them the ONNX model is still written"
                        + " and the exit status is 3."
            })
    TensorRtPrecision precision;

    @Option(
            names = "--batch",
            paramLabel = "MIN,OPT,MAX",
            converter = BatchProfileConverter.class,
            description = {
                "The engine's batch sizes: tuned for OPT, runs MIN to MAX (default: 1,1,8)."
            })
    BatchProfile batch;

    @Option(
            names = "--plan",
            paramLabel = "FILE",
            description = {
                "Where to write the engine (default: --out with .plan for .onnx); its description"
                        + " goes to FILE.json."
            })
    Path plan;

    @Option(
            names = "--calib-batches",
            paramLabel = "N",
            description = {"int8: at most N calibration batches of MAX clips (default: 16)."})
    Integer calibBatches;

    @Option(
            names = "--calib-cache",
            paramLabel = "FILE",
            description = {
                "int8: the calibration table, reused while the model and the data are the same"
                        + " (default: the plan's path + .calib)."
            })
    Path calibCache;

    @Option(
            names = "--timing-cache",
            paramLabel = "FILE",
            description = {
                "TensorRT's timing cache: loaded if present, saved after the build; makes"
                        + " rebuilds on the same GPU faster (default: "
                        + TIMING_CACHE
                        + " beside the plan)."
            })
    Path timingCache;

    private Path calibData;

    /**
     * Checks the options before any work.
     *
     * @param calibData {@code --calib}, shared with {@code --quantize}
     * @param calibUsedElsewhere whether {@code --quantize} takes {@code --calib}
     */
    void validate(Path calibData, boolean calibUsedElsewhere) {
        this.calibData = calibData;
        if (precision == null) {
            List<String> given = new ArrayList<>();
            addIf(given, batch != null, "--batch");
            addIf(given, plan != null, "--plan");
            addIf(given, timingCache != null, "--timing-cache");
            addIf(given, calibData != null && !calibUsedElsewhere, "--calib");
            addIf(given, calibBatches != null, "--calib-batches");
            addIf(given, calibCache != null, "--calib-cache");
            if (!given.isEmpty()) {
                throw new IllegalArgumentException(
                        String.join(", ", given)
                                + (given.size() == 1 ? " only applies" : " only apply")
                                + " with --tensorrt");
            }
            return;
        }
        if (precision != TensorRtPrecision.INT8
                && ((calibData != null && !calibUsedElsewhere)
                        || calibBatches != null
                        || calibCache != null)) {
            throw new IllegalArgumentException(
                    "--calib, --calib-batches and --calib-cache only apply with --tensorrt int8");
        }
        if (precision == TensorRtPrecision.INT8 && calibData == null) {
            throw new IllegalArgumentException(
                    "--tensorrt int8 needs --calib DATA: a data file whose validation list gives"
                            + " the calibration clips");
        }
        if (calibBatches != null && calibBatches < 1) {
            throw new IllegalArgumentException("--calib-batches must be >= 1, got " + calibBatches);
        }
    }

    /** The largest batch of the engine that will be built, if one will. */
    OptionalInt maxBatch() {
        return precision == null ? OptionalInt.empty() : OptionalInt.of(profile().max());
    }

    /**
     * Builds, writes and reports the engine if {@code --tensorrt} was given.
     *
     * @param onnx the installed ONNX model
     * @param out where the ONNX model was installed
     * @return the engine, or empty without {@code --tensorrt}
     * @throws IllegalArgumentException with one line if there is no usable GPU, or the calibration
     *     data or model cannot be used
     */
    Optional<EnginePlan> build(ExportSource source, byte[] onnx, Path out, PrintWriter stdout)
            throws IOException {
        if (precision == null) {
            return Optional.empty();
        }
        GpuStatus status = GpuProbe.probe();
        GpuInfo gpu =
                status.gpu()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "--tensorrt needs "
                                                        + GpuProbe.REQUIREMENT
                                                        + ": "
                                                        + status.problem()));
        Path planFile = plan != null ? plan : planBeside(out);
        TensorRtExporter.Builder exporter =
                TensorRtExporter.builder()
                        .setOnnx(onnx)
                        .setGpu(gpu)
                        .optPrecision(precision)
                        .optProfile(profile())
                        .optTimingCache(
                                timingCache != null
                                        ? timingCache
                                        : planFile.resolveSibling(TIMING_CACHE));
        if (precision == TensorRtPrecision.INT8) {
            ClipCalibrationSource calibration =
                    ClipCalibrationSource.builder()
                            .setData(DataConfig.load(calibData))
                            .setMedia(MediaConfig.of(source.config()))
                            .setBatchSize(profile().max())
                            .optMaxBatches(
                                    calibBatches != null
                                            ? calibBatches
                                            : ClipCalibrationSource.DEFAULT_MAX_BATCHES)
                            .build();
            Path table =
                    calibCache != null
                            ? calibCache
                            : planFile.resolveSibling(planFile.getFileName() + ".calib");
            exporter.optCalibration(calibration)
                    .optCalibrationCache(
                            new CalibrationCache(
                                    table,
                                    "onnx sha256 "
                                            + EnginePlan.sha256(onnx)
                                            + "; "
                                            + calibration.description()));
        }
        EnginePlan engine = exporter.build().export();
        engine.write(planFile);
        EngineInfo info = engine.info();
        stdout.printf(
                Locale.ROOT,
                "wrote %s (%.1f MB): TensorRT %s %s engine for %s (compute capability %s),"
                        + " batch %d..%d tuned for %d%s%n",
                planFile,
                engine.bytes().length / BYTES_PER_MB,
                gpu.tensorRtVersion(),
                info.precision().jsonName(),
                gpu.name(),
                gpu.computeCapability(),
                info.profile().min(),
                info.profile().max(),
                info.profile().opt(),
                info.calibration().map(c -> "; calibration: " + c).orElse(""));
        stdout.flush();
        return Optional.of(engine);
    }

    private BatchProfile profile() {
        return batch != null ? batch : BatchProfile.DEFAULT;
    }

    /** {@code model.onnx} becomes {@code model.plan}. */
    private static Path planBeside(Path out) {
        return ModelFileNames.beside(out, PLAN_EXTENSION);
    }

    private static void addIf(List<String> given, boolean present, String option) {
        if (present) {
            given.add(option);
        }
    }

    /** Parses {@code MIN,OPT,MAX} with {@link BatchProfile#parse}; errors are usage errors. */
    static final class BatchProfileConverter implements ITypeConverter<BatchProfile> {
        @Override
        public BatchProfile convert(String value) {
            try {
                return BatchProfile.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
