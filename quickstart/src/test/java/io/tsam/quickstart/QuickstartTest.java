package io.tsam.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsam.common.cli.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart end to end at toy size (learning is the integration test's job): every step runs,
 * the summary names real files, and a second run keeps what the first finished.
 */
class QuickstartTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit =
                Quickstart.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                        .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void runsEveryStepAndResumesWithoutRedoingThem(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("qs");
        String[] args = {"--out", out.toString(), "--per-class", "4", "--epochs", "2"};

        Run first = run(args);

        assertEquals(ExitCode.OK, first.exit(), first.out() + first.err());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(8, summary.get("held_out").get("videos").asInt());
        double top1 = summary.get("held_out").get("top1").asDouble();
        assertTrue(top1 >= 0 && top1 <= 1, "top-1 " + top1);
        assertEquals(8, summary.get("held_out").get("per_class").size());
        assertEquals(2, summary.get("training").get("tsam").get("epochs").asInt());
        Path model = Path.of(summary.get("model").asText());
        assertTrue(Files.size(model) > 0);
        assertTrue(Files.isRegularFile(out.resolve("bench").resolve("latency.png")));
        assertEquals(8, Files.readAllLines(out.resolve("predictions.jsonl")).size());
        assertTrue(first.out().contains("held-out top-1"), first.out());
        assertTrue(first.out().contains("$ tsam-train"), "the steps show their commands");
        assertFalse(Files.exists(out.resolve("data.partial")));

        FileTime exported = Files.getLastModifiedTime(model);
        Run second = run(args);

        assertEquals(ExitCode.OK, second.exit(), second.out() + second.err());
        assertTrue(second.out().contains("synthetic data: kept"), second.out());
        assertTrue(second.out().contains("kept " + out.resolve("results")), second.out());
        assertTrue(second.out().contains("export: kept"), second.out());
        assertEquals(exported, Files.getLastModifiedTime(model));
    }

    @Test
    void badSizesAreOneLineErrors(@TempDir Path dir) {
        Run run = run("--out", dir.toString(), "--per-class", "2");

        assertEquals(ExitCode.BAD_INPUT, run.exit());
        assertEquals(
                "error: --per-class must be >= 4 (3/4 train, 1/4 held out), got 2",
                run.err().strip());
    }
}
