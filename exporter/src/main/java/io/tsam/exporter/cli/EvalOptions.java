package io.tsam.exporter.cli;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tsam.backend.OrtBackend;
import io.tsam.common.cli.ExitCode;
import io.tsam.common.cli.ProgressBars;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.DataConfig;
import io.tsam.config.VideoList;
import io.tsam.exporter.eval.EvaluationListener;
import io.tsam.exporter.eval.EvaluationReport;
import io.tsam.exporter.eval.EvaluationReport.FailedVideo;
import io.tsam.exporter.eval.ExportEvaluation;
import io.tsam.exporter.source.ExportSource;
import io.tsam.exporter.verify.Tolerance;
import io.tsam.media.sampling.FrameSampling;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The option that scores the exported model and the checkpoint's net on a validation list. */
final class EvalOptions {

    @Option(
            names = "--eval",
            paramLabel = "DATA",
            description = {
                "After export, score the ONNX model (ONNX Runtime, CPU) and the checkpoint's net"
                        + " (DJL) on the validation list of this data file (JSON, as for"
                        + " training): model_validation.num_clips test clips per video,"
                        + " probabilities averaged per video. Prints top-1/top-5 of both, their"
                        + " drift and top-1 agreement, and writes them to <model>.eval.json. A"
                        + " video that cannot be decoded is named, skipped and counted, and the"
                        + " exit status is then "
                        + ExitCode.PARTIAL
                        + "."
            })
    Path data;

    @Option(
            names = "--eval-sampling",
            paramLabel = "MODE",
            defaultValue = "exact",
            description = {
                "--eval: which test frames: exact (default) or latency, the runtime's opt-in"
                        + " --sampling latency (keyframes near the test frames), to measure what it"
                        + " costs in accuracy."
            })
    FrameSampling sampling;

    private DataConfig dataConfig;
    private VideoList videos;

    /** Reads the data file and its validation list before any work, so a typo fails at once. */
    void validate() {
        if (data == null && sampling != FrameSampling.EXACT) {
            throw new IllegalArgumentException("--eval-sampling only applies with --eval");
        }
        if (data != null) {
            dataConfig = DataConfig.load(data);
            videos = VideoList.read(dataConfig.valList());
        }
    }

    /**
     * Scores the installed model when {@code --eval} was given: prints the table, writes {@code
     * <model>.eval.json} next to {@code out} and names every skipped video on the error stream.
     *
     * @param tolerance how close the model's logits should be to the net's, warned about when they
     *     are not; empty for a quantised model, which is not expected to be that close
     * @return false if some videos were skipped, true otherwise (or without {@code --eval})
     */
    boolean run(
            ExportSource source,
            byte[] model,
            Path out,
            Optional<Tolerance> tolerance,
            CommandLine commandLine)
            throws IOException {
        if (data == null) {
            return true;
        }
        PrintWriter stdout = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        EvaluationReport report;
        // A bar only where someone watches: piped output and tests get the lines alone.
        try (OrtBackend backend =
                        OrtBackend.builder()
                                .setModel(model, out)
                                .setEnvironment(OrtEnvironment.getEnvironment())
                                .build();
                ProgressBar bar =
                        System.console() == null
                                ? null
                                : ProgressBars.start("evaluate", videos.size(), "videos")) {
            report =
                    ExportEvaluation.builder()
                            .setBackend(backend)
                            .setNet(source.net())
                            .setConfig(source.config())
                            .setData(dataConfig)
                            .setVideos(videos)
                            .optListener(listener(err, bar))
                            .optTolerance(tolerance.orElse(Tolerance.FP32))
                            .optSampling(sampling)
                            .build()
                            .run();
        }
        stdout.print(report.table());
        Path json = evalPath(out);
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("model", out.toString());
        content.put("checkpoint", source.checkpoint().toString());
        content.put("checkpoint_sha256", source.checkpointSha256());
        content.put("data", data.toString());
        content.put("sampling", sampling.cliName());
        content.putAll(report.toMap());
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFile.write(json, mapper.writeValueAsBytes(content));
        stdout.println("wrote " + json);
        stdout.flush();
        if (tolerance.isPresent() && report.outsideTolerance() > 0) {
            err.println(
                    "warning: on "
                            + report.outsideTolerance()
                            + " of "
                            + report.scored()
                            + " videos the ONNX model's logits are not within "
                            + tolerance.get()
                            + " of the net's");
            err.flush();
        }
        if (report.partial()) {
            err.println(
                    "error: "
                            + report.failed().size()
                            + " of "
                            + report.videos()
                            + " videos could not be decoded and were skipped");
            err.flush();
        }
        return !report.partial();
    }

    private static EvaluationListener listener(PrintWriter err, ProgressBar bar) {
        return new EvaluationListener() {
            @Override
            public void videoScored(String id, int done, int total) {
                if (bar != null) {
                    bar.stepTo(done);
                }
            }

            @Override
            public void videoFailed(FailedVideo video, int done, int total) {
                err.println("error: video '" + video.id() + "': " + video.reason() + "; skipped");
                err.flush();
                if (bar != null) {
                    bar.stepTo(done);
                }
            }
        };
    }

    /** Where the scores go: {@code model.onnx} becomes {@code model.eval.json}. */
    static Path evalPath(Path out) {
        return ModelFileNames.beside(out, ".eval.json");
    }
}
