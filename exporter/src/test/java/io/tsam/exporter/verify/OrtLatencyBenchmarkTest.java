package io.tsam.exporter.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.TestNets;
import io.tsam.exporter.onnx.OpCensus;
import io.tsam.exporter.onnx.TsamOnnxExporter;
import io.tsam.exporter.onnx.TsamOnnxFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records (does not assert) the ONNX Runtime CPU latency of TSAM-R50 (T=8, A=1, 224x224, batch 1,
 * 400 classes) with the shift on and off, under each ONNX Runtime session setting of {@link
 * Setting}: what the shift costs is TSAM's latency over TSN's under the same setting, and what a
 * runtime gets is TSAM's absolute latency. It asserts only that no setting changes the logits.
 *
 * <p>Every (setting, model) session runs once per round, in a new random order each round and after
 * a {@value #PAUSE_MS} ms pause, so that a change in the machine's load hits all of them alike and
 * no session is favoured by its place: ONNX Runtime's pool threads keep spinning for a while after
 * a run, and a fixed order (or one reversed every round, which runs the first and last sessions
 * twice in a row) hands that contention to the same sessions every time. The figures are medians
 * over the rounds after {@value #WARM_UP} warm-up rounds, of the wall-clock time and of the
 * process's CPU time per run (the work done, which a shared machine stretches far less), with the
 * system load average sampled each round. Skipped unless {@code -Dtsam.benchmark=true}: it takes
 * minutes and CI times nothing. Properties: {@code tsam.benchmark.threads} (intra-op threads,
 * default {@value #DEFAULT_THREADS}), {@code tsam.benchmark.rounds} (default {@value
 * #DEFAULT_ROUNDS}), {@code tsam.benchmark.profile} ({@code true} adds ONNX Runtime's per-operator
 * profile of both models under {@link Setting#ALL}), {@code tsam.benchmark.style}, {@code .fdiv},
 * {@code .depth} and {@code .ninsert} (the shift measured, default {@code tsam}, 8, 1, 1) and
 * {@code tsam.benchmark.out}, a JSON file to write the figures to, with the bar chart beside it as
 * {@code .png}. See {@code benchmarks/README.md} for the command and the recorded figures.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "tsam.benchmark", matches = "true")
class OrtLatencyBenchmarkTest {

    private static final int SIZE = 224;
    private static final int CLASSES = 400;
    private static final int WARM_UP = 3;
    private static final int DEFAULT_ROUNDS = 20;
    private static final int DEFAULT_THREADS = 2;
    private static final int PROFILED_RUNS = 10;
    private static final long ORDER_SEED = 7;
    private static final long PAUSE_MS = 20;

    /** Settings change how ONNX Runtime computes, not what: the logits must agree this closely. */
    private static final double SAME_LOGITS = 1e-3;

    /** An ONNX Runtime session setting, applied on top of two intra-op threads. */
    enum Setting {
        ALL(
                "ORT_ENABLE_ALL (default)",
                "ALL\n(default)",
                o -> o.setOptimizationLevel(OptLevel.ALL_OPT)),
        EXTENDED(
                "ORT_ENABLE_EXTENDED: no layout optimisations, so no NCHWc convolutions",
                "EXTENDED",
                o -> o.setOptimizationLevel(OptLevel.EXTENDED_OPT)),
        ALL_WITHOUT_NCHWC(
                "ORT_ENABLE_ALL with optimization.disable_specified_optimizers=NchwcTransformer",
                "ALL\nno NchwcTransformer",
                o -> {
                    o.setOptimizationLevel(OptLevel.ALL_OPT);
                    o.addConfigEntry(
                            "optimization.disable_specified_optimizers", "NchwcTransformer");
                }),
        ALL_WITHOUT_PREPACKING(
                "ORT_ENABLE_ALL with session.disable_prepacking=1",
                "ALL\nno prepacking",
                o -> {
                    o.setOptimizationLevel(OptLevel.ALL_OPT);
                    o.addConfigEntry("session.disable_prepacking", "1");
                }),
        ALL_BATCH_FIXED(
                "ORT_ENABLE_ALL with the batch fixed to 1 (setSymbolicDimensionValue(\"N\", 1)):"
                        + " every shape static",
                "ALL\nN fixed to 1",
                o -> {
                    o.setOptimizationLevel(OptLevel.ALL_OPT);
                    o.setSymbolicDimensionValue(TsamOnnxFormat.BATCH, 1);
                });

        private final String description;
        private final String chartLabel;
        private final OptionsSetter setter;

        Setting(String description, String chartLabel, OptionsSetter setter) {
            this.description = description;
            this.chartLabel = chartLabel;
            this.setter = setter;
        }

        SessionOptions options(int threads) throws OrtException {
            SessionOptions options = new SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            setter.apply(options);
            return options;
        }
    }

    /** Sets one setting's options. */
    @FunctionalInterface
    private interface OptionsSetter {
        void apply(SessionOptions options) throws OrtException;
    }

    @Test
    void tsamResNet50LatencyWithAndWithoutTheShiftUnderEachSetting()
            throws OrtException, IOException {
        int rounds = Integer.getInteger("tsam.benchmark.rounds", DEFAULT_ROUNDS);
        int threads = Integer.getInteger("tsam.benchmark.threads", DEFAULT_THREADS);
        ShiftConfig shift =
                new ShiftConfig(
                        true,
                        Integer.getInteger("tsam.benchmark.fdiv", 8),
                        Integer.getInteger("tsam.benchmark.depth", 1),
                        Integer.getInteger("tsam.benchmark.ninsert", 1),
                        0,
                        ShiftStyle.valueOf(
                                System.getProperty("tsam.benchmark.style", "tsam")
                                        .toUpperCase(Locale.ROOT)));
        TsamConfig on = TestNets.config("resnet50", 8, 1, shift, SIZE);
        TsamConfig off = on.withShiftTemporal(new ShiftConfig(false, 8, 1, 1, 0, ShiftStyle.TSAM));
        ModelProto tsam = export(on);
        byte[] tsn = export(off).toByteArray();
        byte[] shifted = tsam.toByteArray();
        ParityInput input = ParityInput.random(on.model(), SIZE, 1, 1);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        Setting[] settings = Setting.values();
        List<OrtSession> sessions = new ArrayList<>();
        try (OnnxTensor video =
                        OnnxTensor.createTensor(
                                environment, FloatBuffer.wrap(input.video()), input.videoShape());
                OnnxTensor audio =
                        OnnxTensor.createTensor(
                                environment,
                                FloatBuffer.wrap(input.audio().orElseThrow()),
                                input.audioShape())) {
            // Session i: setting i / 2, TSN when i is even, TSAM when odd.
            for (Setting setting : settings) {
                try (SessionOptions options = setting.options(threads)) {
                    sessions.add(environment.createSession(tsn, options));
                    sessions.add(environment.createSession(shifted, options));
                }
            }
            Map<String, OnnxTensor> feeds = Map.of("video", video, "audio", audio);
            float[][] logits = new float[sessions.size()][];
            for (int i = 0; i < sessions.size(); i++) {
                logits[i] = run(sessions.get(i), feeds);
                assertEquals(CLASSES, logits[i].length);
            }
            for (int i = 2; i < sessions.size(); i++) {
                double difference = maxAbsDifference(logits[i], logits[i % 2]);
                assertTrue(
                        difference < SAME_LOGITS,
                        settings[i / 2] + " changes the logits by " + difference);
            }
            double[][] millis = new double[sessions.size()][rounds];
            double[][] cpuMillis = new double[sessions.size()][rounds];
            double[] loads = new double[rounds];
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < sessions.size(); i++) {
                order.add(i);
            }
            Random shuffle = new Random(ORDER_SEED);
            for (int round = -WARM_UP; round < rounds; round++) {
                Collections.shuffle(order, shuffle);
                for (int i : order) {
                    // Lets the previous session's pool threads stop spinning before the clock runs.
                    pause();
                    long cpuStart = processCpuNanos();
                    long start = System.nanoTime();
                    run(sessions.get(i), feeds);
                    if (round >= 0) {
                        millis[i][round] = (System.nanoTime() - start) / 1e6;
                        cpuMillis[i][round] = (processCpuNanos() - cpuStart) / 1e6;
                    }
                }
                if (round >= 0) {
                    loads[round] =
                            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                }
            }
            Map<String, Map<String, Double>> profiles = new LinkedHashMap<>();
            if (Boolean.getBoolean("tsam.benchmark.profile")) {
                profiles.put("tsn", profile(environment, tsn, threads, feeds));
                profiles.put("tsam", profile(environment, shifted, threads, feeds));
            }
            report(
                    settings,
                    threads,
                    new Timings(millis, cpuMillis, loads),
                    profiles,
                    OpCensus.of(tsam),
                    tsam.getGraph().getValueInfoCount(),
                    shift);
        } finally {
            for (OrtSession session : sessions) {
                session.close();
            }
        }
    }

    /**
     * The measurements, indexed {@code [session][round]} with session {@code 2 * setting} for TSN
     * and {@code 2 * setting + 1} for TSAM.
     *
     * @param millis wall-clock time of each run
     * @param cpuMillis CPU time of the whole process during each run: the work done, which a busy
     *     machine stretches far less than the wall clock (ONNX Runtime's spinning threads add to
     *     it)
     * @param loads the one-minute system load average after each round
     */
    private record Timings(double[][] millis, double[][] cpuMillis, double[] loads) {}

    private void report(
            Setting[] settings,
            int threads,
            Timings timings,
            Map<String, Map<String, Double>> profiles,
            OpCensus census,
            int declared,
            ShiftConfig shift)
            throws IOException {
        double[] loads = timings.loads();
        int rounds = loads.length;
        String version = OrtEnvironment.getEnvironment().getVersion();
        List<Map<String, Object>> results = new ArrayList<>();
        List<LatencyChart.Group> groups = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        table.append(
                String.format(
                        Locale.ROOT,
                        "%-24s %9s %9s %9s %9s %9s %9s %9s%n",
                        "setting",
                        "TSN ms",
                        "TSAM ms",
                        "overhead",
                        "paired",
                        "TSN cpu",
                        "TSAM cpu",
                        "cpu ovh"));
        for (int s = 0; s < settings.length; s++) {
            double[] tsn = timings.millis()[2 * s];
            double[] tsam = timings.millis()[2 * s + 1];
            double[] tsnCpu = timings.cpuMillis()[2 * s];
            double[] tsamCpu = timings.cpuMillis()[2 * s + 1];
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = tsam[r] / tsn[r] - 1;
            }
            double overhead = median(tsam) / median(tsn) - 1;
            double cpuOverhead = median(tsamCpu) / median(tsnCpu) - 1;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("setting", settings[s].name());
            row.put("description", settings[s].description);
            row.put("tsn_ms", summary(tsn));
            row.put("tsam_ms", summary(tsam));
            row.put("overhead_pct", round1(100 * overhead));
            row.put("paired_overhead_pct", round1(100 * median(ratios)));
            row.put("tsn_cpu_ms", summary(tsnCpu));
            row.put("tsam_cpu_ms", summary(tsamCpu));
            row.put("cpu_overhead_pct", round1(100 * cpuOverhead));
            results.add(row);
            groups.add(
                    new LatencyChart.Group(
                            settings[s].chartLabel,
                            median(tsn),
                            median(tsam),
                            String.format(Locale.ROOT, "cpu %+.1f%%", 100 * cpuOverhead)));
            table.append(
                    String.format(
                            Locale.ROOT,
                            "%-24s %9.1f %9.1f %+8.1f%% %+8.1f%% %9.1f %9.1f %+8.1f%%%n",
                            settings[s].name(),
                            median(tsn),
                            median(tsam),
                            100 * overhead,
                            100 * median(ratios),
                            median(tsnCpu),
                            median(tsamCpu),
                            100 * cpuOverhead));
        }
        String machine = cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        table.append(
                String.format(
                        Locale.ROOT,
                        "TSAM-R50 T=8 A=1 %dx%d N=1, ONNX Runtime %s CPU, %d intra-op threads,"
                                + " medians of %d rounds; %s; load average %.2f (%.2f-%.2f)%n",
                        SIZE,
                        SIZE,
                        version,
                        threads,
                        rounds,
                        machine,
                        median(loads),
                        Arrays.stream(loads).min().orElse(0),
                        Arrays.stream(loads).max().orElse(0)));
        profiles.forEach(
                (model, ops) -> {
                    table.append(model).append(" under ALL, ms per run:");
                    ops.forEach(
                            (op, ms) ->
                                    table.append(String.format(Locale.ROOT, " %s %.1f", op, ms)));
                    table.append('\n');
                });
        System.out.print(table);

        String out = System.getProperty("tsam.benchmark.out");
        if (out == null || out.isBlank()) {
            return;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "ONNX Runtime CPU latency of TSAM with the shift on and off");
        json.put(
                "command",
                "mvn -B -o -q -pl exporter test -Dtsam.benchmark=true"
                        + " -Dtest=OrtLatencyBenchmarkTest -Dtsam.benchmark.threads="
                        + threads
                        + " -Dtsam.benchmark.rounds="
                        + rounds
                        + (profiles.isEmpty() ? "" : " -Dtsam.benchmark.profile=true")
                        + " -Dtsam.benchmark.style="
                        + shift.style().jsonName()
                        + " -Dtsam.benchmark.fdiv="
                        + shift.fDiv()
                        + " -Dtsam.benchmark.depth="
                        + shift.shiftDepth()
                        + " -Dtsam.benchmark.ninsert="
                        + shift.nInsert()
                        + " -Dtsam.benchmark.out="
                        + out);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("arch", "resnet50");
        model.put("video_segments", 8);
        model.put("audio_segments", 1);
        model.put("size", SIZE);
        model.put("batch", 1);
        model.put("classes", CLASSES);
        model.put(
                "shift",
                Map.of(
                        "style", shift.style().jsonName(),
                        "f_div", shift.fDiv(),
                        "shift_depth", shift.shiftDepth(),
                        "n_insert", shift.nInsert(),
                        "m_insert", shift.mInsert()));
        json.put("model", model);
        json.put("tsam_census", census.toString());
        json.put("declared_image_batch", declared > 0);
        json.put("onnxruntime", version);
        json.put("java", System.getProperty("java.version"));
        json.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        json.put("cpu", cpuModel());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("intra_op_threads", threads);
        json.put("warm_up_rounds", WARM_UP);
        json.put("rounds", rounds);
        json.put("load_average", summary(loads));
        json.put("results", results);
        if (!profiles.isEmpty()) {
            json.put("profile_all_ms_per_run", profiles);
        }
        Path target = Path.of(out);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFile.write(target, mapper.writeValueAsBytes(json));
        String name = target.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        LatencyChart.write(
                target.resolveSibling(stem + ".png"),
                "TSAM-R50 on ONNX Runtime "
                        + version
                        + " CPU: shift on vs off"
                        + (declared > 0 ? " (image batch declared)" : ""),
                String.format(
                        Locale.ROOT,
                        "T=8 A=1 224x224 batch 1, %d intra-op thread%s, medians of %d rounds;"
                                + " %s; load average %.1f",
                        threads,
                        threads == 1 ? "" : "s",
                        rounds,
                        machine,
                        median(loads)),
                groups);
    }

    /**
     * ONNX Runtime's own account of one model under {@link Setting#ALL}: kernel time summed per
     * operator type, in ms per run, over {@value #PROFILED_RUNS} runs after {@value #WARM_UP}
     * warm-ups, largest first. The profile file is deleted after reading.
     */
    private static Map<String, Double> profile(
            OrtEnvironment environment, byte[] model, int threads, Map<String, OnnxTensor> feeds)
            throws OrtException, IOException {
        Path dir = Files.createTempDirectory("ort-profile");
        Path file;
        try (SessionOptions options = Setting.ALL.options(threads)) {
            options.enableProfiling(dir.resolve("profile").toString());
            try (OrtSession session = environment.createSession(model, options)) {
                for (int i = 0; i < WARM_UP + PROFILED_RUNS; i++) {
                    run(session, feeds);
                }
                file = Path.of(session.endProfiling());
            }
        }
        JsonNode events = new ObjectMapper().readTree(file.toFile());
        Files.delete(file);
        Files.delete(dir);
        List<Long> runStarts = new ArrayList<>();
        for (JsonNode event : events) {
            if (event.path("name").asText().equals("model_run")) {
                runStarts.add(event.path("ts").asLong());
            }
        }
        runStarts.sort(null);
        long measuredFrom = runStarts.get(WARM_UP);
        Map<String, Double> micros = new LinkedHashMap<>();
        for (JsonNode event : events) {
            if (event.path("cat").asText().equals("Node")
                    && event.path("name").asText().endsWith("_kernel_time")
                    && event.path("ts").asLong() >= measuredFrom) {
                micros.merge(
                        event.path("args").path("op_name").asText(),
                        event.path("dur").asDouble(),
                        Double::sum);
            }
        }
        Map<String, Double> perRun = new LinkedHashMap<>();
        micros.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> perRun.put(e.getKey(), round1(e.getValue() / 1000 / PROFILED_RUNS)));
        return perRun;
    }

    private static ModelProto export(TsamConfig config) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            return TsamOnnxExporter.builder()
                    .setNet(TestNets.net(manager, config, CLASSES, 1))
                    .setConfig(config)
                    .setCheckpointSha256("0".repeat(64))
                    .build()
                    .export();
        }
    }

    private static float[] run(OrtSession session, Map<String, OnnxTensor> feeds)
            throws OrtException {
        try (OrtSession.Result result = session.run(feeds)) {
            FloatBuffer buffer = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return values;
        }
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static Map<String, Object> summary(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("median", round1(median(sorted)));
        summary.put("p25", round1(sorted[sorted.length / 4]));
        summary.put("p75", round1(sorted[(3 * sorted.length) / 4]));
        summary.put("min", round1(sorted[0]));
        summary.put("max", round1(sorted[sorted.length - 1]));
        return summary;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while benchmarking", e);
        }
    }

    /** The CPU time of this process so far, or 0 where the JVM does not tell. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
    }

    /** The CPU model name from {@code /proc/cpuinfo}, or the architecture where there is none. */
    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                return lines.filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).strip())
                        .findFirst()
                        .orElse(System.getProperty("os.arch"));
            } catch (IOException e) {
                return System.getProperty("os.arch");
            }
        }
        return System.getProperty("os.arch");
    }
}
