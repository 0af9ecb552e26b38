package io.tsam.trainer.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tsam.config.DataConfig;
import io.tsam.config.TsamConfig;
import io.tsam.media.io.AtomicFile;
import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SyntheticDataset;
import io.tsam.trainer.report.EpochRecord;
import io.tsam.trainer.report.MetricsLog;
import io.tsam.trainer.train.RunFolder;
import io.tsam.trainer.train.TrainingRun;
import io.tsam.trainer.train.TrainingSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The evidence that the model learns time and sound: on synthetic clips whose classes differ only
 * in the direction of time or in the tone of the audio, TSAM (shift + audio) learns all eight
 * classes while TSN (no shift) and video-only TSAM stay near the 50% they can reach.
 *
 * <p>Trains with the repository's {@code config/synth_*.json} on the data of {@code tsam-data synth
 * --per-class 64 --size 64x48 --seconds 2}, exactly the README's commands, and writes the figures
 * to {@code target/learning/summary.json}.
 */
class TsamLearnsTimeAndSoundIT {
    private static final Path CONFIGS = Path.of(System.getProperty("tsam.config.dir", "../config"));
    private static final Path OUT =
            Path.of(System.getProperty("tsam.it.out", "target/learning")).toAbsolutePath();
    private static final Map<String, Object> SUMMARY = new LinkedHashMap<>();

    private static DataConfig data;

    @BeforeAll
    static void generate() throws IOException {
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
    }

    private static double bestTop1(String config, String runId) throws IOException {
        TsamConfig model =
                TsamConfig.load(CONFIGS.resolve(config))
                        .withResultsFolder(OUT.resolve("results").toString());
        RunFolder folder = RunFolder.of(model.resultsFolder(), runId);
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
        SUMMARY.put(runId, row);
        AtomicFile.write(
                OUT.resolve("summary.json"),
                new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsBytes(SUMMARY));
        return top1;
    }

    @Test
    void tsamLearnsAllEightClasses() throws IOException {
        double top1 = bestTop1("synth_tsam.json", "tsam");
        assertTrue(top1 >= 0.95, String.format(Locale.ROOT, "TSAM top-1 %.3f < 0.95", top1));
    }

    @Test
    void tsnCannotOrderFrames() throws IOException {
        double top1 = bestTop1("synth_tsn.json", "tsn");
        assertTrue(top1 <= 0.60, String.format(Locale.ROOT, "TSN top-1 %.3f > 0.60", top1));
    }

    @Test
    void videoOnlyTsamCannotHearTheTone() throws IOException {
        double top1 = bestTop1("synth_video_only.json", "video-only");
        assertTrue(top1 <= 0.60, String.format(Locale.ROOT, "video-only top-1 %.3f > 0.60", top1));
    }
}
