package io.tsam.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tsam.common.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON file every benchmark writes: what was measured, on which machine, and the rows. */
final class BenchmarkReport {
    private BenchmarkReport() {}

    /**
     * Writes {@code rows} under a header naming the benchmark and the machine, atomically.
     *
     * @param extra benchmark-specific header fields, written after the name
     */
    static void write(
            Path out, String benchmark, Map<String, Object> extra, List<Map<String, Object>> rows)
            throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", benchmark);
        report.putAll(extra);
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("java", System.getProperty("java.version"));
        report.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        report.put("results", rows);
        AtomicFile.write(
                out,
                new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsBytes(report));
    }
}
