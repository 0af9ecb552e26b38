package io.tsam.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.common.cli.CommandLines;
import io.tsam.common.cli.ExitCode;
import io.tsam.common.cli.VerboseOption;
import io.tsam.common.io.AtomicFile;
import io.tsam.common.io.FileTrees;
import io.tsam.config.DataConfig;
import io.tsam.config.LabelNames;
import io.tsam.config.VideoEntry;
import io.tsam.config.VideoList;
import io.tsam.exporter.cli.TsamExport;
import io.tsam.media.cli.ToolMain;
import io.tsam.media.cli.TsamData;
import io.tsam.media.pipeline.DatasetFiles;
import io.tsam.media.synth.SyntheticDataset;
import io.tsam.runtime.cli.TsamRun;
import io.tsam.trainer.cli.TsamTrain;
import io.tsam.trainer.report.EpochRecord;
import io.tsam.trainer.report.MetricsLog;
import io.tsam.trainer.train.RunFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tsam-quickstart}: synthetic data, training, a verified export, predictions on every
 * held-out video, a benchmark and a summary, by running the very tools a user runs, in one process.
 *
 * <p>Every step is kept once it has finished, so a second run (or one after Ctrl-C or a crash)
 * picks up where the first stopped: data is generated aside and moved into place whole, training
 * resumes from its last finished epoch, and every file a step leaves behind is written atomically.
 */
@Command(
        name = "tsam-quickstart",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The whole TSAM story on synthetic data, in one command: clips whose classes differ"
                    + " only in the direction of time or in the tone of their sound; TSAM trained"
                    + " on them; the checkpoint exported to ONNX and verified; every held-out"
                    + " video predicted; a latency benchmark; a summary with where the files are.",
            "Run it again to resume: finished steps are kept."
        })
public final class Quickstart implements Callable<Integer> {

    private static final String SIZE = "64x48";
    private static final String SECONDS = "2";
    private static final String DATA_STAMP = "quickstart-synth.txt";
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The models trained: TSAM always, the two it is compared with under {@code --full}. */
    private enum Variant {
        TSAM("tsam", "synth_tsam.json", "TSAM: shift on, audio"),
        TSN("tsn", "synth_tsn.json", "TSN: shift off, audio"),
        VIDEO_ONLY("video-only", "synth_video_only.json", "TSAM video-only: shift on, no audio");

        final String id;
        final String config;
        final String title;

        Variant(String id, String config, String title) {
            this.id = id;
            this.config = config;
            this.title = title;
        }
    }

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "quickstart-out",
            description = "Where everything goes (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--full",
            description = {
                "Also train TSN (shift off) and video-only TSAM on the same data: the three-way"
                        + " table of what the shift and the sound each add."
            })
    boolean full;

    @Option(
            names = "--per-class",
            paramLabel = "N",
            defaultValue = "64",
            description =
                    "Synthetic videos per class, 3/4 for training (default: ${DEFAULT-VALUE}).")
    int perClass;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            description = "Training epochs (default: the config's, 16).")
    Integer epochs;

    @Mixin VerboseOption verbose;

    @Spec CommandSpec spec;

    private PrintWriter stdout;
    private PrintWriter stderr;
    private int step;
    private int steps;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        CommandLines.offlineAndHeadless();
        ToolMain.run(args, Quickstart::newCommandLine);
    }

    /** A command line writing to {@code out} and {@code err}, for {@link #main} and tests. */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        return CommandLines.newCommandLine(new Quickstart(), out, err);
    }

    @Override
    public Integer call() throws Exception {
        stdout = spec.commandLine().getOut();
        stderr = spec.commandLine().getErr();
        try {
            return quickstart();
        } catch (StepFailed e) {
            stderr.println("error: " + e.getMessage() + "; run tsam-quickstart again to resume");
            stderr.flush();
            return e.status();
        }
    }

    private int quickstart() throws IOException {
        if (perClass < 4) {
            throw new IllegalArgumentException(
                    "--per-class must be >= 4 (3/4 train, 1/4 held out), got " + perClass);
        }
        if (epochs != null && epochs < 2) {
            throw new IllegalArgumentException("--epochs must be >= 2, got " + epochs);
        }
        List<Variant> variants = full ? List.of(Variant.values()) : List.of(Variant.TSAM);
        steps = 4 + variants.size();
        long start = System.nanoTime();
        Files.createDirectories(out);

        Path data = synthesise();
        Map<Variant, Map<String, Object>> training = new LinkedHashMap<>();
        for (Variant variant : variants) {
            training.put(variant, train(variant, data));
        }
        Path model = export(Path.of((String) training.get(Variant.TSAM).get("checkpoint")));
        Map<String, Object> predictions = predict(model, data);
        Map<String, Object> bench = bench(model, data);

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("data", data.toString());
        Map<String, Object> runs = new LinkedHashMap<>();
        training.forEach((variant, row) -> runs.put(variant.id, row));
        summary.put("training", runs);
        summary.put("model", model.toString());
        summary.put("held_out", predictions);
        summary.put("latency", bench);
        summary.put("seconds", (System.nanoTime() - start) / 1e9);
        Path file = out.resolve("summary.json");
        AtomicFile.write(file, JSON.writeValueAsBytes(summary));
        printSummary(training, predictions, bench, file, (System.nanoTime() - start) / 1e9);
        return ExitCode.OK;
    }

    /** Generates the clips aside and moves them into place whole; keeps a finished set. */
    private Path synthesise() throws IOException {
        Path data = out.resolve("data");
        String recipe = "--per-class " + perClass + " --size " + SIZE + " --seconds " + SECONDS;
        Path stamp = data.resolve(DATA_STAMP);
        if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(recipe)) {
            begin("synthetic data: kept " + data);
            return data;
        }
        Path partial = out.resolve("data.partial");
        FileTrees.delete(partial);
        String[] args = ("synth --out " + partial + " " + recipe).split(" ");
        begin("synthetic data", "tsam-data", args);
        check("tsam-data synth", run(TsamData::newCommandLine, args));
        Files.writeString(partial.resolve(DATA_STAMP), recipe, StandardCharsets.UTF_8);
        FileTrees.delete(data);
        Files.move(partial, data, StandardCopyOption.ATOMIC_MOVE);
        return data;
    }

    /** Trains one variant, resuming its run if one was started with the same settings. */
    private Map<String, Object> train(Variant variant, Path data) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(resource(variant.config));
        if (epochs != null) {
            ((ObjectNode) config.get("training_param")).put("epochs", epochs);
        }
        config.put("results_folder", out.resolve("results").toString());
        byte[] text = JSON.writeValueAsBytes(config);
        // Settings name the run, so changed settings start a new run instead of resuming one.
        String runId = variant.id + "-" + sha256(text).substring(0, 8);
        Path configFile = out.resolve("configs").resolve(variant.id + ".json");
        AtomicFile.write(configFile, text);
        RunFolder folder = RunFolder.of(out.resolve("results").toString(), runId);
        int total = config.get("training_param").get("epochs").asInt();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--data",
                                data.resolve(SyntheticDataset.DATA_CONFIG).toString(),
                                "--config",
                                configFile.toString(),
                                "--run_id",
                                runId));
        boolean started = Files.isDirectory(folder.dir());
        List<EpochRecord> done = started ? records(folder) : List.of();
        if (done.size() >= total && Files.isRegularFile(folder.bestCheckpoint())) {
            begin("train " + variant.title + ": kept " + folder.dir());
        } else {
            if (started) {
                args.add("--resume");
            }
            begin("train " + variant.title, "tsam-train", args.toArray(String[]::new));
            check("tsam-train", run(TsamTrain::newCommandLine, args.toArray(String[]::new)));
            done = records(folder);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("config", configFile.toString());
        row.put("run", folder.dir().toString());
        row.put("checkpoint", folder.bestCheckpoint().toString());
        row.put("epochs", done.size());
        row.put(
                "best_val_top1",
                done.stream()
                        .filter(r -> r.validation().isPresent())
                        .mapToDouble(r -> r.validation().get().top1())
                        .max()
                        .orElse(Double.NaN));
        row.put("seconds", done.stream().mapToDouble(EpochRecord::seconds).sum());
        return row;
    }

    /** Exports the checkpoint with verification, unless an export of it is already there. */
    private Path export(Path checkpoint) throws IOException {
        Path model = out.resolve("model").resolve("tsam.onnx");
        if (Files.isRegularFile(model)
                && Files.getLastModifiedTime(model).compareTo(Files.getLastModifiedTime(checkpoint))
                        > 0) {
            begin("export: kept " + model);
            return model;
        }
        Files.createDirectories(model.getParent());
        String[] args = {"--checkpoint", checkpoint.toString(), "--out", model.toString()};
        begin("export to ONNX and verify", "tsam-export", args);
        check("tsam-export", run(TsamExport::newCommandLine, args));
        return model;
    }

    /** Predicts every held-out video and scores the top class against its label, per class. */
    private Map<String, Object> predict(Path model, Path dataDir) throws IOException {
        DataConfig data = DataConfig.load(dataDir.resolve(SyntheticDataset.DATA_CONFIG));
        DatasetFiles files = new DatasetFiles(data);
        LabelNames names = LabelNames.read(data.labelsFile().orElseThrow());
        List<String> args =
                new ArrayList<>(List.of("predict", "--json", "--model", model.toString()));
        Map<String, String> expected = new LinkedHashMap<>();
        for (VideoEntry entry : VideoList.read(data.valList()).entries()) {
            Path video = files.video(entry.id());
            args.add(video.toString());
            expected.put(video.toString(), names.name(entry.label()));
        }
        begin(
                "predict the " + expected.size() + " held-out videos",
                "tsam-run",
                List.of("predict", "--json", "--model", model.toString(), "VIDEO...")
                        .toArray(String[]::new));
        StringWriter captured = new StringWriter();
        int status;
        try (PrintWriter lines = new PrintWriter(captured)) {
            status = TsamRun.newCommandLine(lines, stderr).execute(args.toArray(String[]::new));
        }
        check("tsam-run predict", status);
        List<String> lines = captured.toString().strip().lines().toList();
        AtomicFile.write(
                out.resolve("predictions.jsonl"),
                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        Map<String, int[]> perClass = new LinkedHashMap<>();
        names.names().forEach(name -> perClass.put(name, new int[2]));
        int correct = 0;
        for (String line : lines) {
            JsonNode result = JSON.readTree(line);
            String label = expected.get(result.get("file").asText());
            boolean hit = label.equals(result.get("top").get(0).get("label").asText());
            correct += hit ? 1 : 0;
            int[] counts = perClass.get(label);
            counts[0] += hit ? 1 : 0;
            counts[1]++;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("videos", lines.size());
        result.put("top1", (double) correct / lines.size());
        Map<String, Object> classes = new LinkedHashMap<>();
        perClass.forEach((name, counts) -> classes.put(name, counts[0] + "/" + counts[1]));
        result.put("per_class", classes);
        result.put("file", out.resolve("predictions.jsonl").toString());
        return result;
    }

    /** Latency of the model alone and of a whole prediction, split by stage. */
    private Map<String, Object> bench(Path model, Path dataDir) throws IOException {
        DataConfig data = DataConfig.load(dataDir.resolve(SyntheticDataset.DATA_CONFIG));
        VideoEntry first = VideoList.read(data.valList()).entries().get(0);
        Path video = new DatasetFiles(data).video(first.id());
        Path dir = out.resolve("bench");
        String[] args = {
            "bench",
            "--model",
            model.toString(),
            "--batch",
            "1,8",
            "--iters",
            "30",
            "--video",
            video.toString(),
            "--out",
            dir.toString()
        };
        begin("benchmark", "tsam-run", args);
        check("tsam-run bench", run(TsamRun::newCommandLine, args));
        JsonNode bench = JSON.readTree(dir.resolve("bench.json").toFile());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("file", dir.resolve("bench.json").toString());
        result.put("bench", bench);
        return result;
    }

    private void printSummary(
            Map<Variant, Map<String, Object>> training,
            Map<String, Object> predictions,
            Map<String, Object> bench,
            Path file,
            double seconds) {
        stdout.println();
        stdout.println("== summary ==");
        stdout.printf(Locale.ROOT, "%-40s %8s %8s %9s%n", "model", "epochs", "val top1", "train s");
        training.forEach(
                (variant, row) ->
                        stdout.printf(
                                Locale.ROOT,
                                "%-40s %8d %7.1f%% %9.0f%n",
                                variant.title,
                                (Integer) row.get("epochs"),
                                100 * (Double) row.get("best_val_top1"),
                                (Double) row.get("seconds")));
        stdout.printf(
                Locale.ROOT,
                "held-out top-1 of the exported TSAM (ONNX Runtime, tsam-run predict): %.1f%% of %d"
                        + " videos%n",
                100 * (Double) predictions.get("top1"),
                (Integer) predictions.get("videos"));
        @SuppressWarnings("unchecked")
        Map<String, Object> classes = (Map<String, Object>) predictions.get("per_class");
        classes.forEach((name, count) -> stdout.printf(Locale.ROOT, "  %-24s %s%n", name, count));
        JsonNode endToEnd = ((JsonNode) bench.get("bench")).path("end_to_end");
        if (!endToEnd.isMissingNode()) {
            stdout.println("latency of one prediction, median ms: " + stages(endToEnd));
        }
        stdout.println("files:");
        stdout.println("  summary        " + file);
        stdout.println(
                "  training       " + out.resolve("results") + " (curves.png, confusion.png)");
        stdout.println("  model          " + out.resolve("model").resolve("tsam.onnx"));
        stdout.println("  predictions    " + predictions.get("file"));
        stdout.println("  benchmark      " + bench.get("file") + " (latency.png, throughput.png)");
        stdout.printf(Locale.ROOT, "done in %.0f s%n", seconds);
        stdout.flush();
    }

    /** {@code decode 12.3, audio 4.5, ...} from the benchmark's end-to-end medians. */
    private static String stages(JsonNode endToEnd) {
        List<String> parts = new ArrayList<>();
        endToEnd.fields()
                .forEachRemaining(
                        e -> {
                            JsonNode median = e.getValue().path("p50");
                            if (e.getKey().endsWith("_ms") && median.isNumber()) {
                                parts.add(
                                        String.format(
                                                Locale.ROOT,
                                                "%s %.1f",
                                                e.getKey().replace("_ms", ""),
                                                median.asDouble()));
                            }
                        });
        return String.join(", ", parts);
    }

    private void begin(String what, String tool, String... args) {
        begin(what + "\n    $ " + tool + " " + String.join(" ", args));
    }

    private void begin(String what) {
        step++;
        stdout.printf(Locale.ROOT, "[%d/%d] %s%n", step, steps, what);
        stdout.flush();
    }

    private int run(BiFunction<PrintWriter, PrintWriter, CommandLine> tool, String[] args) {
        return tool.apply(stdout, stderr).execute(args);
    }

    /** A failed step ends the quickstart with its status; its own error line was printed. */
    private static void check(String tool, int status) {
        if (status != ExitCode.OK) {
            throw new StepFailed(tool + " failed with exit status " + status, status);
        }
    }

    private static List<EpochRecord> records(RunFolder folder) throws IOException {
        return Files.isRegularFile(folder.metrics())
                ? MetricsLog.read(folder.metrics())
                : List.of();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Quickstart.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the quickstart's jar");
            }
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A step's tool failed; the quickstart stops with that tool's exit status. */
    static final class StepFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        StepFailed(String message, int status) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
