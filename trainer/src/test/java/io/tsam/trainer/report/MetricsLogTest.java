package io.tsam.trainer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @TempDir Path dir;

    static EpochRecord validated(int epoch) {
        return new EpochRecord(
                epoch,
                0.01 / (epoch + 1),
                2.0 - 0.1 * epoch,
                0.3 + 0.05 * epoch,
                Optional.of(new ValidationResult(1.9 - 0.1 * epoch, 0.25, 0.75, 0.2)),
                123.5,
                60.25);
    }

    static EpochRecord notValidated(int epoch) {
        return new EpochRecord(epoch, 0.001, 1.5, 0.5, Optional.empty(), 100, 30);
    }

    @Test
    void roundTripsThroughTheFile() throws IOException {
        Path file = dir.resolve(MetricsLog.FILE_NAME);
        MetricsLog log = MetricsLog.open(file);
        assertTrue(log.records().isEmpty());
        assertFalse(Files.exists(file));
        List<EpochRecord> written = List.of(validated(0), notValidated(1), validated(2));
        for (EpochRecord record : written) {
            log.append(record);
        }
        assertEquals(written, MetricsLog.read(file));
        assertEquals(written, MetricsLog.open(file).records());
        assertEquals(Optional.of(validated(2)), log.last());

        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals(0, first.get("epoch").intValue());
        assertEquals(0.75, first.get("val_top5").doubleValue());
        assertEquals(123.5, first.get("clips_per_s").doubleValue());
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertTrue(second.get("val_loss").isNull());
        assertTrue(Files.readString(file).endsWith("}\n"));
        // Atomic rewrites leave no temporary file behind.
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void nonFiniteValuesSurviveTheRoundTrip() throws IOException {
        Path file = dir.resolve(MetricsLog.FILE_NAME);
        MetricsLog log = MetricsLog.open(file);
        EpochRecord diverged =
                new EpochRecord(
                        0,
                        0.1,
                        Double.NaN,
                        0.0,
                        Optional.of(new ValidationResult(Double.POSITIVE_INFINITY, 0.1, 0.5, 0.1)),
                        10,
                        1);
        log.append(diverged);
        assertTrue(Files.readString(file).contains("\"train_loss\":\"NaN\""));
        EpochRecord back = MetricsLog.read(file).get(0);
        assertTrue(Double.isNaN(back.trainLoss()));
        assertEquals(Double.POSITIVE_INFINITY, back.validation().orElseThrow().loss());
    }

    @Test
    void keepBeforeTruncatesForResume() throws IOException {
        Path file = dir.resolve(MetricsLog.FILE_NAME);
        MetricsLog log = MetricsLog.open(file);
        for (int epoch = 0; epoch < 4; epoch++) {
            log.append(validated(epoch));
        }
        MetricsLog resumed = MetricsLog.open(file);
        assertEquals(2, resumed.keepBefore(2));
        assertEquals(List.of(validated(0), validated(1)), resumed.records());
        assertEquals(List.of(validated(0), validated(1)), MetricsLog.read(file));
        assertEquals(0, resumed.keepBefore(5));
        resumed.append(validated(2));
        assertEquals(3, MetricsLog.read(file).size());
        assertThrows(IllegalArgumentException.class, () -> resumed.append(validated(2)));
    }

    @Test
    void malformedLinesAreErrorsNamingFileAndLine() throws IOException {
        String good = MetricsLog.format(validated(0));
        assertMalformed(good + "\n{\"epoch\": 1, \"lr\": \n", 2, "not a JSON object");
        assertMalformed(good + "\n\n", 2, "expected a JSON object");
        assertMalformed(good.replace("\"lr\"", "\"learning_rate\""), 1, "unknown key");
        assertMalformed(good.replace("\"seconds\":60.25", "\"other\":1"), 1, "unknown key");
        assertMalformed(good.replace(",\"seconds\":60.25", ""), 1, "missing key 'seconds'");
        assertMalformed(good.replace("\"lr\":0.01", "\"lr\":\"fast\""), 1, "lr: expected a number");
        assertMalformed(good.replace("\"val_top1\":0.25", "\"val_top1\":null"), 1, "all null");
        assertMalformed(good.replace("\"epoch\":0", "\"epoch\":1.5"), 1, "epoch");
        assertMalformed(good + "\n" + good + "\n", 2, "epochs must increase");
        assertMalformed(good + " 7\n", 1, "not a JSON object");
        // A half-written last line (no newline) is not skipped either.
        assertMalformed(good + "\n{\"epoch\"", 2, "not a JSON object");
    }

    @Test
    void readingAMissingFileFailsButOpeningItIsEmpty() throws IOException {
        Path file = dir.resolve("absent.jsonl");
        assertThrows(NoSuchFileException.class, () -> MetricsLog.read(file));
        assertTrue(MetricsLog.open(file).records().isEmpty());
    }

    private void assertMalformed(String text, int line, String reason) throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, text);
        MalformedLogException e =
                assertThrows(MalformedLogException.class, () -> MetricsLog.read(file));
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertEquals(line, e.line());
        assertEquals(file, e.file());
        assertThrows(MalformedLogException.class, () -> MetricsLog.open(file));
    }
}
