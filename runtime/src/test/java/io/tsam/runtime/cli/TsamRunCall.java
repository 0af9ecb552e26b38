package io.tsam.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one {@code tsam-run} command printed and returned, run in this JVM.
 *
 * @param status the exit status
 * @param out standard output
 * @param err standard error
 */
record TsamRunCall(int status, String out, String err) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs {@code tsam-run} with the arguments' string forms. */
    static TsamRunCall run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] strings = Arrays.stream(args).map(Object::toString).toArray(String[]::new);
        int status =
                TsamRun.newCommandLine(new PrintWriter(out), new PrintWriter(err)).execute(strings);
        return new TsamRunCall(status, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    /** Standard output as JSON lines. */
    List<JsonNode> json() throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : out.strip().lines().toList()) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }
}
