package io.tsam.runtime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.common.cli.ExitCode;
import io.tsam.media.MediaException;
import io.tsam.media.pipeline.LiveWindows;
import io.tsam.media.pipeline.MediaConfig;
import io.tsam.media.pipeline.SlidingWindows;
import io.tsam.media.pipeline.WindowedVideo.WindowClip;
import io.tsam.media.video.LiveSource;
import io.tsam.runtime.TsamModel;
import io.tsam.runtime.predict.LabelScore;
import io.tsam.runtime.predict.PredictionJson;
import io.tsam.runtime.predict.Predictor;
import io.tsam.runtime.predict.WindowPrediction;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tsam-run watch}: predictions over time on a live source, printed as each window completes.
 * A network source or device that drops is reopened with a growing delay, up to {@code --reconnect}
 * times in a row; a file ends the watch when it ends. SIGINT or SIGTERM stops it after the window
 * in progress, with a summary.
 */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Predict over time on a live source: an RTSP/HTTP/UDP URL, a V4L2 device"
                    + " (/dev/video0) or a file (read at its own frame rate with --realtime),"
                    + " in windows of 4 s every 2 s unless --window/--stride say otherwise."
                    + " Only the frames and sound the sliding windows need are kept; each window is"
                    + " classified as soon as it completes, with its latency. Ctrl-C stops."
        })
final class WatchCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** The window length without {@code --window}. */
    private static final double DEFAULT_WINDOW_S = 4;

    /** The longest wait between reconnection attempts. */
    private static final double MAX_RECONNECT_DELAY_S = 30;

    /** How long a stop signal waits for the watch to finish its summary. */
    private static final long STOP_WAIT_S = 10;

    @Parameters(paramLabel = "SOURCE", description = "URL, V4L2 device or video file.")
    String source;

    @Mixin ModelOptions modelOptions;

    @Mixin WindowOptions windowOptions;

    @Option(
            names = "--realtime",
            description = "Read a file no faster than its frame times, as a live source arrives.")
    boolean realtime;

    @Option(
            names = "--topk",
            paramLabel = "K",
            defaultValue = "3",
            description = "Classes to show per window (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(
            names = "--reconnect",
            paramLabel = "N",
            defaultValue = "5",
            description =
                    "Reopen a dropped stream or device up to N times in a row before giving up"
                            + " (default: ${DEFAULT-VALUE}).")
    int reconnect;

    @Option(
            names = "--reconnect-delay",
            paramLabel = "DURATION",
            converter = SecondsConverter.class,
            defaultValue = "1s",
            description =
                    "Wait before the first reopening, doubled for each further one up to 30 s"
                            + " (default: ${DEFAULT-VALUE}).")
    double reconnectDelay;

    @Option(
            names = "--max-windows",
            paramLabel = "N",
            description = "Stop after N windows (default: run until the source ends or Ctrl-C).")
    Long maxWindows;

    @Option(
            names = "--json",
            description =
                    "One JSON object per line and window: source, window, start, end, top, audio,"
                            + " latency_ms; a last line {\"summary\": {...}}.")
    boolean json;

    @Spec CommandSpec spec;

    private final AtomicBoolean stop = new AtomicBoolean();
    private long windows;
    private double latencyMs;
    private int peakOpen;
    private int peakSamples;

    @Override
    public Integer call() throws InterruptedException {
        if (topK < 1) {
            throw new IllegalArgumentException("--topk must be >= 1, got " + topK);
        }
        if (reconnect < 0) {
            throw new IllegalArgumentException("--reconnect must be >= 0, got " + reconnect);
        }
        if (maxWindows != null && maxWindows < 1) {
            throw new IllegalArgumentException("--max-windows must be >= 1, got " + maxWindows);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            stop.set(true);
                            try {
                                finished.await(STOP_WAIT_S, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "tsam-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (TsamModel model = modelOptions.open(null)) {
            Predictor predictor = model.predictor();
            SlidingWindows slidingWindows = windowOptions.windows(predictor, DEFAULT_WINDOW_S);
            int status = watch(predictor, slidingWindows, out, err);
            summary(out);
            return status;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook is running and the latch lets it go.
            }
        }
    }

    private int watch(
            Predictor predictor, SlidingWindows slidingWindows, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        MediaConfig media = predictor.preprocessor().media();
        int height = media.tsamProfile() ? media.scaleSize() : 0;
        boolean file = LiveSource.isFile(source);
        int failures = 0;
        double offset = 0;
        long connectedAt = System.nanoTime();
        boolean first = true;
        while (!stop.get()) {
            String problem;
            try (LiveSource live = LiveSource.open(source, realtime, height)) {
                if (!first) {
                    offset += (System.nanoTime() - connectedAt) / 1e9;
                    note(out, err, "reconnected to " + source);
                }
                first = false;
                connectedAt = System.nanoTime();
                failures = 0;
                double shift = offset;
                LiveWindows windowsOfSource =
                        new LiveWindows(
                                media,
                                slidingWindows,
                                clip -> predict(predictor, clip, shift, out));
                try {
                    boolean ended = live.read(windowsOfSource, stop::get);
                    problem = ended ? "the source ended" : null;
                } catch (MediaException e) {
                    problem = e.getMessage();
                }
                windowsOfSource.end();
                peakOpen = Math.max(peakOpen, windowsOfSource.peakOpenWindows());
                peakSamples = Math.max(peakSamples, windowsOfSource.peakHeldSamples());
            } catch (MediaException e) {
                problem = e.getMessage();
                if (first && file) {
                    throw e;
                }
            }
            if (stop.get() || (file && problem != null && problem.equals("the source ended"))) {
                return ExitCode.OK;
            }
            if (file) {
                throw new MediaException(Path.of(source), problem);
            }
            failures++;
            if (failures > reconnect) {
                err.println(
                        "error: "
                                + source
                                + ": "
                                + withoutSource(problem)
                                + "; gave up after "
                                + reconnect
                                + " reconnect attempt"
                                + (reconnect == 1 ? "" : "s"));
                err.flush();
                return ExitCode.IO_ERROR;
            }
            double delay =
                    Math.min(MAX_RECONNECT_DELAY_S, reconnectDelay * Math.pow(2, failures - 1));
            note(
                    out,
                    err,
                    withoutSource(problem)
                            + "; reconnecting in "
                            + String.format(Locale.ROOT, "%.1f", delay)
                            + " s");
            sleep(delay);
        }
        return ExitCode.OK;
    }

    private String withoutSource(String message) {
        String prefix = source + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private void sleep(double seconds) throws InterruptedException {
        long until = System.nanoTime() + (long) (seconds * 1e9);
        while (!stop.get() && System.nanoTime() < until) {
            Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    private void predict(Predictor predictor, WindowClip clip, double offset, PrintWriter out) {
        long start = System.nanoTime();
        WindowPrediction w = predictor.classifyWindows(List.of(clip), predictor::logits).get(0);
        double ms = (System.nanoTime() - start) / 1e6;
        windows++;
        latencyMs += ms;
        if (json) {
            ObjectNode row = PredictionJson.window(Path.of(source), w, topK);
            row.remove("file");
            row.put("source", source);
            row.put("start", w.start() + offset);
            row.put("end", w.end() + offset);
            row.put("latency_ms", Math.round(ms * 1000) / 1000.0);
            out.println(write(row));
        } else {
            StringBuilder line =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "%9.2f %9.2f ",
                                    w.start() + offset,
                                    w.end() + offset));
            for (LabelScore score : w.top(topK)) {
                line.append(
                        String.format(Locale.ROOT, " %s %.3f", score.label(), score.probability()));
            }
            line.append(String.format(Locale.ROOT, "  (%.1f ms)", ms));
            out.println(line);
        }
        out.flush();
        if (maxWindows != null && windows >= maxWindows) {
            stop.set(true);
        }
    }

    private void note(PrintWriter out, PrintWriter err, String message) {
        if (json) {
            err.println("note: " + message);
            err.flush();
        } else {
            out.println(message);
            out.flush();
        }
    }

    private void summary(PrintWriter out) {
        double mean = windows == 0 ? 0 : latencyMs / windows;
        if (json) {
            ObjectNode root = JSON.createObjectNode();
            root.putObject("summary")
                    .put("windows", windows)
                    .put("mean_latency_ms", Math.round(mean * 1000) / 1000.0)
                    .put("peak_open_windows", peakOpen)
                    .put("peak_sound_samples", peakSamples);
            out.println(write(root));
        } else {
            out.printf(
                    Locale.ROOT,
                    "%d windows, mean latency %.1f ms; at most %d windows open and %d sound samples"
                            + " held%n",
                    windows,
                    mean,
                    peakOpen,
                    peakSamples);
        }
        out.flush();
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
