package io.tsam.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.backend.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ServeCommandTest {

    /** What one command printed and returned. */
    private record Run(int status, String out, List<String> errLines) {}

    private static Run serve(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all =
                Stream.concat(Stream.of("serve"), Stream.of(args).map(Object::toString))
                        .toArray(String[]::new);
        int status =
                TsamRun.newCommandLine(new PrintWriter(out), new PrintWriter(err)).execute(all);
        return new Run(status, out.toString(), err.toString().lines().toList());
    }

    @Test
    void helpListsTheServersOptions() {
        Run r = serve("--help");

        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("Usage: tsam-run serve"), r.out());
        for (String option :
                List.of(
                        "--model",
                        "--name",
                        "--host",
                        "--port",
                        "--max-batch",
                        "--max-delay-ms",
                        "--max-queue",
                        "--max-upload-mb",
                        "--threads")) {
            assertTrue(r.out().contains(option), option + " in " + r.out());
        }
        assertTrue(r.out().contains("(default: 127.0.0.1"), r.out());
    }

    @Test
    void badOptionsAreOneLineErrorsBeforeTheModelIsLoaded() {
        Path model = TinyModels.tsam();
        Path missing = model.resolveSibling("missing.onnx");

        assertEquals(
                new Run(3, "", List.of("error: max batch (--max-batch) must be >= 1, got 0")),
                serve("--model", missing, "--max-batch", 0));
        assertEquals(
                new Run(3, "", List.of("error: --max-delay-ms must be >= 0, got -1")),
                serve("--model", missing, "--max-delay-ms", -1));
        assertEquals(
                new Run(
                        3,
                        "",
                        List.of(
                                "error: model name (--name) 'a b' may hold only letters, digits,"
                                        + " '.', '_' and '-'")),
                serve("--model", missing, "--name", "a b"));
        assertEquals(
                new Run(3, "", List.of("error: " + missing + ": no such file")),
                serve("--model", missing));
    }
}
