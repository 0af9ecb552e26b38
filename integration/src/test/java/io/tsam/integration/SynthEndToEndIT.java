package io.tsam.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.DataConfig;
import io.tsam.config.LabelNames;
import io.tsam.config.TrainingConfig;
import io.tsam.config.TsamConfig;
import io.tsam.config.VideoEntry;
import io.tsam.config.VideoList;
import io.tsam.exporter.cli.TsamExport;
import io.tsam.media.pipeline.DatasetFiles;
import io.tsam.media.synth.SynthClass;
import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SyntheticDataset;
import io.tsam.runtime.cli.TsamRun;
import io.tsam.trainer.report.EpochRecord;
import io.tsam.trainer.report.MetricsLog;
import io.tsam.trainer.train.RunFolder;
import io.tsam.trainer.train.TrainingRun;
import io.tsam.trainer.train.TrainingSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's path on synthetic data, end to end: the model learns time and sound (TSAM reaches
 * 90% where TSN and video-only TSAM stay near the 50% they can reach), and the TSAM checkpoint,
 * exported to ONNX, predicts the validation videos' classes through {@code tsam-run predict}.
 *
 * <p>The classes differ only in the direction of time or in the tone of the audio. Trains with the
 * repository's {@code config/synth_*.json} on the data of {@code tsam-data synth --per-class 64
 * --size 64x48 --seconds 2} and writes the figures to {@code target/synth-e2e/summary.json}. All
 * three train for {@code tsam.it.epochs} epochs (10 in CI; the profile {@code learning-full} runs
 * the configs' own 16, the README's three-way table).
 */
class SynthEndToEndIT {
    private static final Path CONFIGS = Path.of(System.getProperty("tsam.config.dir", "../config"));
    private static final Path OUT =
            Path.of(System.getProperty("tsam.it.out", "target/synth-e2e")).toAbsolutePath();
    private static final Map<String, Object> SUMMARY = new LinkedHashMap<>();

    /** Epochs of every run; absent: the configs' own. */
    private static final String EPOCHS = System.getProperty("tsam.it.epochs", "");

    /** TSAM's bar: 95% after the configs' 16 epochs, 90% after CI's 10. */
    private static final double TSAM_BAR = EPOCHS.isEmpty() ? 0.95 : 0.90;

    private static DataConfig data;
    private static double tsamTop1;

    @BeforeAll
    static void synthesiseAndTrainTsam() throws IOException {
        // A previous build's runs would make TrainingRun refuse the run ids: start clean.
        if (Files.exists(OUT)) {
            try (Stream<Path> files = Files.walk(OUT)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        SynthSpec spec = SynthSpec.defaults().withPerClass(64).withSize(64, 48).withSeconds(2.0);
        SyntheticDataset.generate(OUT.resolve("synth"), spec, done -> {});
        data = DataConfig.load(OUT.resolve("synth").resolve(SyntheticDataset.DATA_CONFIG));
        tsamTop1 = train("synth_tsam.json", "tsam");
    }

    private static RunFolder folder(String runId) {
        return RunFolder.of(OUT.resolve("results").toString(), runId);
    }

    private static double train(String config, String runId) throws IOException {
        TsamConfig model =
                TsamConfig.load(CONFIGS.resolve(config))
                        .withResultsFolder(OUT.resolve("results").toString());
        if (!EPOCHS.isEmpty()) {
            TrainingConfig t = model.trainingParam();
            model =
                    model.withTrainingParam(
                            new TrainingConfig(
                                    Integer.parseInt(EPOCHS),
                                    t.batchSize(),
                                    t.numWorkers(),
                                    t.seed(),
                                    t.labelSmoothing(),
                                    t.clipGradient(),
                                    t.evalFreq()));
        }
        RunFolder folder = folder(runId);
        TrainingSummary summary =
                TrainingRun.builder()
                        .setData(data)
                        .setConfig(model)
                        .setRunFolder(folder)
                        .build()
                        .train();
        List<EpochRecord> records = MetricsLog.read(folder.metrics());
        double top1 = summary.bestTop1().orElseThrow();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("config", config);
        row.put("best_val_top1", top1);
        row.put("last_val_top1", records.get(records.size() - 1).validation().get().top1());
        row.put("epochs", summary.epochs());
        row.put(
                "train_clips_per_s_median",
                records.stream()
                        .mapToDouble(EpochRecord::clipsPerSecond)
                        .sorted()
                        .skip(records.size() / 2)
                        .findFirst()
                        .orElse(0));
        row.put("seconds", records.stream().mapToDouble(EpochRecord::seconds).sum());
        record(runId, row);
        return top1;
    }

    private static synchronized void record(String key, Object value) throws IOException {
        SUMMARY.put(key, value);
        AtomicFile.write(
                OUT.resolve("summary.json"),
                new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsBytes(SUMMARY));
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(boolean export, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        int exit =
                export
                        ? TsamExport.newCommandLine(o, e).execute(args)
                        : TsamRun.newCommandLine(o, e).execute(args);
        o.flush();
        e.flush();
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void tsamLearnsAllEightClasses() {
        assertTrue(
                tsamTop1 >= TSAM_BAR,
                String.format(Locale.ROOT, "TSAM top-1 %.3f < %.2f", tsamTop1, TSAM_BAR));
    }

    @Test
    void tsnCannotOrderFrames() throws IOException {
        double top1 = train("synth_tsn.json", "tsn");
        assertTrue(top1 <= 0.60, String.format(Locale.ROOT, "TSN top-1 %.3f > 0.60", top1));
    }

    @Test
    void videoOnlyTsamCannotHearTheTone() throws IOException {
        double top1 = train("synth_video_only.json", "video-only");
        assertTrue(top1 <= 0.60, String.format(Locale.ROOT, "video-only top-1 %.3f > 0.60", top1));
    }

    /** The best TSAM checkpoint exported to ONNX, once for every test that needs it. */
    private static synchronized Path exportedTsam() {
        Path onnx = OUT.resolve("tsam.onnx");
        if (!Files.exists(onnx)) {
            Run export =
                    run(
                            true,
                            "--checkpoint",
                            folder("tsam").bestCheckpoint().toString(),
                            "--out",
                            onnx.toString());
            assertEquals(0, export.exit(), export.out() + export.err());
        }
        return onnx;
    }

    @Test
    void predictionsOverTimeFollowTheClassesOfALongVideo() throws IOException {
        List<SynthClass> sequence =
                List.of(
                        SynthClass.LEFT_TO_RIGHT_LOW,
                        SynthClass.SHRINKING_HIGH,
                        SynthClass.RIGHT_TO_LEFT_HIGH,
                        SynthClass.GROWING_LOW,
                        SynthClass.LEFT_TO_RIGHT_HIGH);
        Path video = OUT.resolve("sequence.mp4");
        SyntheticDataset.writeSequence(
                video,
                SynthSpec.defaults().withSize(64, 48).withSeconds(2.0).withSeed(11),
                sequence);
        Path chart = OUT.resolve("sequence-timeline.png");
        Run predict =
                run(
                        false,
                        "predict",
                        "--json",
                        "--model",
                        exportedTsam().toString(),
                        "--window",
                        "2s",
                        "--stride",
                        "1s",
                        "--timeline",
                        chart.toString(),
                        video.toString());
        assertEquals(0, predict.exit(), predict.err());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> windows = new ArrayList<>();
        for (String line : predict.out().strip().lines().toList()) {
            windows.add(json.readTree(line));
        }
        // 10 s, windows of 2 s every second: starts 0..8.
        assertEquals(9, windows.size(), predict.out());
        int aligned = 0;
        int right = 0;
        List<String> seen = new ArrayList<>();
        for (JsonNode window : windows) {
            double start = window.get("start").asDouble();
            assertEquals(start + 2, window.get("end").asDouble(), 1e-9);
            String top = window.get("top").get(0).get("label").asText();
            seen.add(start + ":" + top);
            if (start % 2 == 0) {
                aligned++;
                if (top.equals(sequence.get((int) start / 2).id())) {
                    right++;
                }
            }
        }
        record("timeline", Map.of("windows", seen, "aligned_right", right, "aligned", aligned));
        assertEquals(5, aligned);
        assertTrue(right >= 4, "windows over one class follow it: " + seen);
        byte[] png = Files.readAllBytes(chart);
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
    }

    @Test
    void theExportedModelPredictsTheValidationVideosClasses() throws IOException {
        Path onnx = exportedTsam();

        DatasetFiles files = new DatasetFiles(data);
        LabelNames names = LabelNames.read(data.labelsFile().orElseThrow());
        List<String> args =
                new ArrayList<>(List.of("predict", "--json", "--model", onnx.toString()));
        Map<String, String> expected = new LinkedHashMap<>();
        for (VideoEntry entry : VideoList.read(data.valList()).entries()) {
            Path video = files.video(entry.id());
            args.add(video.toString());
            expected.put(video.toString(), names.name(entry.label()));
        }
        Run predict = run(false, args.toArray(String[]::new));
        assertEquals(0, predict.exit(), predict.err());

        ObjectMapper json = new ObjectMapper();
        List<String> lines = predict.out().strip().lines().toList();
        assertEquals(expected.size(), lines.size());
        Map<String, Integer> wrongByClass = new LinkedHashMap<>();
        double inferenceMs = 0;
        for (String line : lines) {
            JsonNode result = json.readTree(line);
            String file = result.get("file").asText();
            String label = expected.get(file);
            assertEquals("present", result.get("audio").asText(), file);
            if (!label.equals(result.get("top").get(0).get("label").asText())) {
                wrongByClass.merge(label, 1, Integer::sum);
            }
            inferenceMs += result.get("timings_ms").get("inference").asDouble();
        }
        record(
                "predict",
                Map.of(
                        "videos",
                        lines.size(),
                        "wrong",
                        wrongByClass,
                        "mean_inference_ms",
                        inferenceMs / lines.size()));
        int wrong = wrongByClass.values().stream().mapToInt(Integer::intValue).sum();
        double top1 = 1 - (double) wrong / lines.size();
        assertTrue(
                top1 >= TSAM_BAR,
                String.format(
                        Locale.ROOT,
                        "exported TSAM top-1 %.3f < %.2f; wrong per class: %s",
                        top1,
                        TSAM_BAR,
                        wrongByClass));
    }

    /**
     * The INT8 export keeps the float model's decisions on the synthetic validation set: top-1
     * within 2 points of the float export's (the goal is 1; one video is 0.8 points here)
     * and the same top-1 class on at least 95 % of the videos.
     */
    @Test
    void theInt8ExportKeepsTheFloatModelsTop1() throws IOException {
        Path onnx = OUT.resolve("int8/tsam.onnx");
        Path dataFile = OUT.resolve("synth").resolve(SyntheticDataset.DATA_CONFIG);
        Run export =
                run(
                        true,
                        "--checkpoint",
                        folder("tsam").bestCheckpoint().toString(),
                        "--out",
                        onnx.toString(),
                        "--quantize",
                        "int8",
                        "--calib",
                        dataFile.toString(),
                        "--eval",
                        dataFile.toString());
        assertEquals(0, export.exit(), export.out() + export.err());
        ObjectMapper json = new ObjectMapper();
        JsonNode float32 = json.readTree(OUT.resolve("int8/tsam.eval.json").toFile());
        JsonNode int8 = json.readTree(OUT.resolve("int8/tsam.int8.eval.json").toFile());
        double floatTop1 = float32.get("onnx").get("top1").asDouble();
        double int8Top1 = int8.get("onnx").get("top1").asDouble();
        double agreement = int8.get("top1_agreement").asDouble();
        record(
                "int8",
                Map.of(
                        "float_top1",
                        floatTop1,
                        "int8_top1",
                        int8Top1,
                        "top1_agreement_with_checkpoint",
                        agreement,
                        "max_abs_logit_difference",
                        int8.get("max_abs_logit_difference").asDouble()));
        assertTrue(
                Math.abs(int8Top1 - floatTop1) <= 0.02,
                String.format(Locale.ROOT, "int8 top-1 %.4f, float %.4f", int8Top1, floatTop1));
        assertTrue(agreement >= 0.95, "int8 top-1 agreement " + agreement);
    }
}
