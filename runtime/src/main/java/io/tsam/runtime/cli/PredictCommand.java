package io.tsam.runtime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.common.cli.CommandLines;
import io.tsam.common.cli.ExitCode;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.ModelConfig;
import io.tsam.media.MediaException;
import io.tsam.media.pipeline.SlidingWindows;
import io.tsam.media.pipeline.WindowedVideo;
import io.tsam.media.sampling.FrameSampling;
import io.tsam.runtime.TsamModel;
import io.tsam.runtime.predict.LabelScore;
import io.tsam.runtime.predict.Prediction;
import io.tsam.runtime.predict.PredictionJson;
import io.tsam.runtime.predict.Predictor;
import io.tsam.runtime.predict.TimelineChart;
import io.tsam.runtime.predict.Timings;
import io.tsam.runtime.predict.WindowPrediction;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tsam-run predict}: the top classes of each video, with where the time went.
 *
 * <p>A file that cannot be used is reported on its own line (stderr, or a {@code {"file", "error"}}
 * object with {@code --json}) and the others still run; the exit status is then {@link
 * ExitCode#PARTIAL}.
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Classify videos with an exported model: the metadata of the .onnx says how frames"
                    + " are sampled and the audio image is built, the test clips' softmax is"
                    + " averaged, and the top classes are printed with the time spent in decode,"
                    + " audio features and inference."
        })
final class PredictCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Parameters(
            paramLabel = "VIDEO|DIR",
            arity = "1..*",
            description = "Video files, or folders whose video files (sorted) are classified.")
    List<Path> inputs;

    @Mixin ModelOptions modelOptions;

    @Option(
            names = "--topk",
            paramLabel = "K",
            defaultValue = "5",
            description = "Classes to show per video (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(
            names = "--clips",
            paramLabel = "C",
            description =
                    "Test clips per video whose probabilities are averaged (default: the model's"
                            + " model_validation.num_clips).")
    Integer clips;

    @Mixin WindowOptions windowOptions;

    @Option(
            names = "--timeline",
            paramLabel = "PNG",
            description =
                    "With --window: also chart the leading classes' probabilities over time to this"
                            + " PNG (with several videos, one chart each, named PNG's stem-VIDEO.png).")
    Path timeline;

    @Option(
            names = "--json",
            description =
                    "One JSON object per line and video: file, top [{label, prob}], audio, clips,"
                            + " timings_ms {decode, audio, inference, total}, sampling with"
                            + " --sampling latency; or file, error.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (topK < 1) {
            throw new IllegalArgumentException("--topk must be >= 1, got " + topK);
        }
        if (!windowOptions.given() && timeline != null) {
            throw new IllegalArgumentException("--timeline needs --window");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (TsamModel model = modelOptions.open(clips)) {
            Predictor predictor = model.predictor();
            model.providerNote().ifPresent(note -> (json ? err : out).println("provider: " + note));
            if (!json) {
                out.println(header(model, predictor));
            }
            List<MediaException> folderFailures = new ArrayList<>();
            List<Path> videos = VideoInputs.expand(inputs, folderFailures);
            for (MediaException failure : folderFailures) {
                report(out, err, failure.file(), failure);
            }
            int failedVideos = 0;
            SlidingWindows windows = windowOptions.windows(predictor, null);
            for (Path video : videos) {
                if (windows != null) {
                    try {
                        predictOverTime(out, predictor, windows, video, videos.size() > 1);
                    } catch (RuntimeException e) {
                        report(out, err, video, e);
                        failedVideos++;
                    }
                    continue;
                }
                Prediction prediction;
                try {
                    prediction = predictor.predict(video);
                } catch (RuntimeException e) {
                    report(out, err, video, e);
                    failedVideos++;
                    continue;
                }
                if (json) {
                    out.println(write(PredictionJson.of(prediction, topK)));
                } else {
                    print(out, prediction);
                }
                out.flush();
            }
            if (!json && videos.size() > 1) {
                out.printf(
                        "%d of %d videos classified%n",
                        videos.size() - failedVideos, videos.size());
            }
            out.flush();
            err.flush();
            return failedVideos + folderFailures.size() == 0 ? ExitCode.OK : ExitCode.PARTIAL;
        }
    }

    private String header(TsamModel model, Predictor predictor) {
        ModelConfig config = model.metadata().config().model();
        int crop = predictor.preprocessor().media().cropSize();
        return String.format(
                Locale.ROOT,
                "%s: %s T=%d A=%d %dx%d, %d classes, %d clip%s per video%s; %s",
                model.backend().modelFile(),
                config.arch(),
                config.videoSegments(),
                config.audioSegments(),
                crop,
                crop,
                model.metadata().labels().size(),
                predictor.clips(),
                predictor.clips() == 1 ? "" : "s",
                predictor.preprocessor().media().sampling() == FrameSampling.EXACT
                        ? ""
                        : ", "
                                + predictor.preprocessor().media().sampling().cliName()
                                + " sampling",
                model.backend().description());
    }

    private void print(PrintWriter out, Prediction prediction) {
        Timings t = prediction.timings();
        out.printf(
                Locale.ROOT,
                "%s  (audio %s, %d clip%s)%n",
                prediction.file(),
                prediction.audio().jsonName(),
                prediction.clips(),
                prediction.clips() == 1 ? "" : "s");
        List<LabelScore> top = prediction.top(topK);
        int width = top.stream().mapToInt(s -> s.label().length()).max().orElse(0);
        for (int i = 0; i < top.size(); i++) {
            LabelScore score = top.get(i);
            out.printf(
                    Locale.ROOT,
                    "  %d. %-" + width + "s  %.4f%n",
                    i + 1,
                    score.label(),
                    score.probability());
        }
        out.printf(
                Locale.ROOT,
                "  time: decode %.1f ms, audio %.1f ms, inference %.1f ms, total %.1f ms%n",
                t.decodeMs(),
                t.audioMs(),
                t.inferenceMs(),
                t.totalMs());
    }

    /** One line per window as its batch completes, then the chart. */
    private void predictOverTime(
            PrintWriter out,
            Predictor predictor,
            SlidingWindows windows,
            Path video,
            boolean several) {
        List<WindowPrediction> all = new ArrayList<>();
        if (!json) {
            out.printf(
                    Locale.ROOT,
                    "%s  (windows of %s s every %s s)%n  %8s %8s  %s%n",
                    video,
                    seconds(windows.length()),
                    seconds(windows.stride()),
                    "start",
                    "end",
                    "top classes");
        }
        long begin = System.nanoTime();
        WindowedVideo.Stats stats =
                predictor.predictWindows(
                        video,
                        windows,
                        w -> {
                            all.add(w);
                            if (json) {
                                out.println(write(PredictionJson.window(video, w, topK)));
                            } else {
                                out.println(row(w));
                            }
                            out.flush();
                        });
        double ms = (System.nanoTime() - begin) / 1e6;
        if (!json) {
            out.printf(
                    Locale.ROOT,
                    "  %d windows in %.1f ms; %d of %d frames sampled, %d decoded%n",
                    stats.windows(),
                    ms,
                    stats.sampled(),
                    stats.frames(),
                    stats.decode().framesDecoded());
        }
        if (timeline != null) {
            Path chart = several ? chartFor(video) : timeline;
            try {
                AtomicFile.write(chart, TimelineChart.png(video.getFileName().toString(), all));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the timeline " + chart, e);
            }
            if (!json) {
                out.println("  timeline: " + chart);
            }
        }
    }

    private Path chartFor(Path video) {
        String name = timeline.getFileName().toString();
        String stem = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
        String videoName = video.getFileName().toString();
        int dot = videoName.lastIndexOf('.');
        String videoStem = dot > 0 ? videoName.substring(0, dot) : videoName;
        return timeline.resolveSibling(stem + "-" + videoStem + ".png");
    }

    private String row(WindowPrediction w) {
        StringBuilder row =
                new StringBuilder(String.format(Locale.ROOT, "  %8.2f %8.2f ", w.start(), w.end()));
        for (LabelScore score : w.top(topK)) {
            row.append(String.format(Locale.ROOT, " %s %.3f", score.label(), score.probability()));
        }
        return row.toString();
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s).replaceAll("\\.?0+$", "");
    }

    private void report(PrintWriter out, PrintWriter err, Path file, RuntimeException e) {
        String message = CommandLines.describe(e);
        if (json) {
            out.println(write(PredictionJson.error(file, message)));
            out.flush();
        } else {
            err.println("error: " + message);
            err.flush();
        }
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
