package io.tsam.benchmarks;

import io.tsam.config.DataConfig;
import io.tsam.config.TrainingConfig;
import io.tsam.config.TsamConfig;
import io.tsam.trainer.report.EpochRecord;
import io.tsam.trainer.report.MetricsLog;
import io.tsam.trainer.train.RunFolder;
import io.tsam.trainer.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training throughput of {@code tsam-train} for a stated config: clips per second of the training
 * passes (data loading overlapped with forward, backward and the optimizer step), per epoch.
 *
 * <p>Usage: {@code TrainingBenchmark OUT.json DATA.json EPOCHS MODEL.json...}; each model file is
 * trained for {@code EPOCHS} epochs in a temporary run folder.
 */
public final class TrainingBenchmark {
    private TrainingBenchmark() {}

    /** Runs the benchmark; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: TrainingBenchmark OUT.json DATA.json EPOCHS MODEL.json...");
            System.exit(2);
        }
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of(args[0]);
        DataConfig data = DataConfig.load(Path.of(args[1]));
        int epochs = Integer.parseInt(args[2]);
        Path scratch = Files.createTempDirectory("tsam-training-benchmark");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            Path file = Path.of(args[i]);
            TsamConfig loaded = TsamConfig.load(file);
            TrainingConfig t = loaded.trainingParam();
            TsamConfig config =
                    loaded.withTrainingParam(
                                    new TrainingConfig(
                                            epochs,
                                            t.batchSize(),
                                            t.numWorkers(),
                                            t.seed(),
                                            t.labelSmoothing(),
                                            t.clipGradient(),
                                            epochs))
                            .withResultsFolder(scratch.toString());
            RunFolder folder = RunFolder.of(scratch.toString(), "run" + i);
            TrainingRun.builder()
                    .setData(data)
                    .setConfig(config)
                    .setRunFolder(folder)
                    .build()
                    .train();
            List<Double> clipsPerSecond = new ArrayList<>();
            for (EpochRecord record : MetricsLog.read(folder.metrics())) {
                clipsPerSecond.add(record.clipsPerSecond());
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("config", file.getFileName().toString());
            row.put("arch", config.model().arch());
            row.put("video_segments", config.model().videoSegments());
            row.put("audio_segments", config.model().audioSegments());
            row.put("crop_size", config.dataAugmentation().cropSize());
            row.put("batch_size", t.batchSize());
            row.put("num_workers", t.numWorkers());
            row.put("optimizer", config.optimizerParam().optimizer().toString());
            row.put("train_clips_per_s_by_epoch", clipsPerSecond);
            rows.add(row);
            System.out.printf("%s: %s clips/s by epoch%n", file.getFileName(), clipsPerSecond);
        }
        BenchmarkReport.write(
                out,
                "tsam-train training throughput (clips/s of the training passes)",
                Map.of("data", Path.of(args[1]).toAbsolutePath().toString()),
                rows);
    }
}
