package io.tsam.runtime.cli;

import ai.onnxruntime.OrtEnvironment;
import io.tsam.common.cli.ExitCode;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.ModelConfig;
import io.tsam.runtime.TsamModel;
import io.tsam.runtime.bench.BatchResult;
import io.tsam.runtime.bench.BenchCharts;
import io.tsam.runtime.bench.BenchReport;
import io.tsam.runtime.bench.EndToEndResult;
import io.tsam.runtime.bench.LatencyBenchmark;
import io.tsam.runtime.bench.LatencyStats;
import io.tsam.runtime.bench.MachineInfo;
import io.tsam.runtime.bench.ModelComparison;
import io.tsam.runtime.predict.Predictor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tsam-run bench}: model-only latency percentiles and throughput per batch size on random
 * inputs, optionally the end-to-end split on a video, written as {@code bench.json} with PNG charts
 * and the machine they were measured on.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Benchmark an exported model: latency p50/p90/p99/max and throughput per batch size on"
                    + " random inputs, and with --video the end-to-end split into decode, audio"
                    + " features and inference. Writes bench.json, latency.png and"
                    + " throughput.png. With --compare A.onnx B.onnx ...: the models side by side"
                    + " in one process, rounds interleaved in a shuffled order, medians, spread,"
                    + " ratios to the first and GFLOP/s against a MatMul measured in the same run;"
                    + " writes compare.json and compare.png."
        })
final class BenchCommand implements Callable<Integer> {

    private static final long SEED = 0;

    /** Warm-up rounds of --compare without --warmup. */
    private static final int COMPARE_WARMUP = 3;

    private static final String COMPARE_JSON = "compare.json";
    private static final String COMPARE_PNG = "compare.png";

    @Mixin ModelOptions modelOptions;

    @Option(
            names = "--batch",
            split = ",",
            paramLabel = "N[,N...]",
            defaultValue = "1,2,4,8",
            description = "Batch sizes to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            defaultValue = "10",
            description = "Uncounted runs before each measurement (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--iters",
            paramLabel = "N",
            defaultValue = "100",
            description = "Measured runs per batch size (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(
            names = "--video",
            paramLabel = "FILE",
            description = "Also measure whole predictions of this video, split by stage.")
    Path video;

    @Option(
            names = "--video-iters",
            paramLabel = "N",
            defaultValue = "10",
            description =
                    "Measured predictions of --video, after one uncounted one when --warmup > 0"
                            + " (default: ${DEFAULT-VALUE}).")
    int videoIterations;

    @Option(
            names = "--compare",
            arity = "2..*",
            paramLabel = "MODEL.onnx[@LEVEL]",
            description =
                    "Compare these models (instead of --model) at one batch size; @LEVEL runs one"
                            + " at another --ort-opt-level, e.g. tsam.onnx@ort_all.")
    List<String> compare;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            defaultValue = "20",
            description = "With --compare: counted rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--gemm",
            paramLabel = "N",
            defaultValue = "2048",
            description =
                    "With --compare: the side of the reference MatMul's matrices (default:"
                            + " ${DEFAULT-VALUE}).")
    int gemm;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "bench",
            description = "Where bench.json and the charts go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        validate();
        if (compare != null) {
            return compare();
        }
        PrintWriter stdout = spec.commandLine().getOut();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (TsamModel model = modelOptions.open(null)) {
            model.providerNote().ifPresent(note -> stdout.println("provider: " + note));
            int largest = model.backend().maxBatch();
            for (int batch : batches) {
                if (batch > largest) {
                    throw new IllegalArgumentException(
                            "--batch "
                                    + batch
                                    + ": the backend runs batches of at most "
                                    + largest);
                }
            }
            MachineInfo machine =
                    MachineInfo.detect(environment.getVersion(), model.backend().provider());
            ModelConfig config = model.metadata().config().model();
            int crop = model.metadata().config().dataAugmentation().cropSize();
            stdout.printf(
                    Locale.ROOT,
                    "%s: %s T=%d A=%d %dx%d; %s%nmachine: %s, %d cores, %s, Java %s%s%n",
                    model.backend().modelFile(),
                    config.arch(),
                    config.videoSegments(),
                    config.audioSegments(),
                    crop,
                    crop,
                    model.backend().description(),
                    machine.cpu(),
                    machine.cores(),
                    machine.os(),
                    machine.java(),
                    machine.gpus().isEmpty() ? "" : ", GPU " + String.join(", ", machine.gpus()));
            stdout.printf(
                    Locale.ROOT,
                    "%6s %10s %10s %10s %10s %10s%n",
                    "batch",
                    "p50 ms",
                    "p90 ms",
                    "p99 ms",
                    "max ms",
                    "clips/s");
            stdout.flush();
            List<BatchResult> results = new ArrayList<>();
            for (int batch : batches) {
                BatchResult result =
                        LatencyBenchmark.model(model.backend(), batch, warmup, iterations, SEED);
                results.add(result);
                LatencyStats l = result.latency();
                stdout.printf(
                        Locale.ROOT,
                        "%6d %10.3f %10.3f %10.3f %10.3f %10.1f%n",
                        batch,
                        l.p50Ms(),
                        l.p90Ms(),
                        l.p99Ms(),
                        l.maxMs(),
                        result.clipsPerSecond());
                stdout.flush();
            }
            Optional<EndToEndResult> endToEnd = Optional.empty();
            if (video != null) {
                Predictor predictor = model.predictor();
                EndToEndResult e =
                        LatencyBenchmark.endToEnd(
                                predictor, video, Math.min(warmup, 1), videoIterations);
                endToEnd = Optional.of(e);
                stdout.printf(
                        Locale.ROOT,
                        "end to end (%s, %d clip%s, audio %s, %d runs), p50: decode %.1f ms,"
                                + " audio %.1f ms, inference %.1f ms, total %.1f ms%n",
                        video,
                        e.clips(),
                        e.clips() == 1 ? "" : "s",
                        e.audio().jsonName(),
                        e.total().count(),
                        e.decode().p50Ms(),
                        e.audioFeatures().p50Ms(),
                        e.inference().p50Ms(),
                        e.total().p50Ms());
            }
            BenchReport report =
                    new BenchReport(
                            model.backend().modelFile(),
                            model.metadata(),
                            model.backend().description(),
                            machine,
                            warmup,
                            iterations,
                            results,
                            endToEnd);
            AtomicFile.write(
                    out.resolve(BenchReport.FILE_NAME),
                    report.toJson().getBytes(StandardCharsets.UTF_8));
            BenchCharts.write(out, results);
            stdout.printf(
                    "wrote %s, %s and %s%n",
                    out.resolve(BenchReport.FILE_NAME),
                    out.resolve(BenchCharts.LATENCY_FILE),
                    out.resolve(BenchCharts.THROUGHPUT_FILE));
            stdout.flush();
        }
        return ExitCode.OK;
    }

    private int compare() throws IOException {
        if (modelOptions.model != null || modelOptions.engine != null) {
            throw new IllegalArgumentException("--compare takes the models itself; drop --model");
        }
        boolean batchGiven = spec.commandLine().getParseResult().hasMatchedOption("--batch");
        if (batchGiven && batches.size() != 1) {
            throw new IllegalArgumentException("--compare measures one batch size, got " + batches);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        }
        if (gemm < 1) {
            throw new IllegalArgumentException("--gemm must be >= 1, got " + gemm);
        }
        List<ModelComparison.Model> models = new ArrayList<>();
        for (String argument : compare) {
            ModelComparison.Model model = ModelComparison.Model.parse(argument);
            if (!Files.isRegularFile(model.file())) {
                throw new IllegalArgumentException("--compare " + model.file() + ": no such file");
            }
            models.add(model);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        int batch = batchGiven ? batches.get(0) : 1;
        boolean warmupGiven = spec.commandLine().getParseResult().hasMatchedOption("--warmup");
        int threads =
                modelOptions.threads != null
                        ? modelOptions.threads
                        : Runtime.getRuntime().availableProcessors();
        ModelComparison.Result result =
                ModelComparison.run(
                        models,
                        batch,
                        warmupGiven ? warmup : COMPARE_WARMUP,
                        rounds,
                        threads,
                        modelOptions.optimization,
                        gemm,
                        SEED,
                        line -> {
                            stdout.println(line);
                            stdout.flush();
                        });
        MachineInfo machine = result.machine();
        stdout.printf(
                Locale.ROOT,
                "machine: %s, %d cores, %s%n",
                machine.cpu(),
                machine.cores(),
                String.join(" ", machine.simd()));
        stdout.printf(
                Locale.ROOT,
                "%-32s %10s %10s %10s %8s %8s %9s %8s%n",
                "model",
                "median ms",
                "p10 ms",
                "p90 ms",
                "ratio",
                "GFLOP",
                "GFLOP/s",
                "of GEMM");
        double first = result.models().get(0).stats().p50Ms();
        List<ModelComparison.Entry> rows = new ArrayList<>(result.models());
        rows.add(result.gemm());
        for (ModelComparison.Entry entry : rows) {
            stdout.printf(
                    Locale.ROOT,
                    "%-32s %10.2f %10.2f %10.2f %8s %8.2f %9.1f %7.0f%%%n",
                    entry.name(),
                    entry.stats().p50Ms(),
                    entry.percentile(10),
                    entry.percentile(90),
                    entry == result.gemm()
                            ? "-"
                            : String.format(Locale.ROOT, "%.3f", entry.stats().p50Ms() / first),
                    entry.flops() / 1e9,
                    entry.gflops(),
                    100 * entry.gflops() / result.gemm().gflops());
        }
        AtomicFile.write(out.resolve(COMPARE_JSON), ModelComparison.json(result));
        AtomicFile.write(out.resolve(COMPARE_PNG), ModelComparison.chart(result));
        stdout.printf("wrote %s and %s%n", out.resolve(COMPARE_JSON), out.resolve(COMPARE_PNG));
        stdout.flush();
        return ExitCode.OK;
    }

    private void validate() {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("--batch needs at least one batch size");
        }
        for (int batch : batches) {
            if (batch < 1) {
                throw new IllegalArgumentException("--batch sizes must be >= 1, got " + batch);
            }
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("--iters must be >= 1, got " + iterations);
        }
        if (videoIterations < 1) {
            throw new IllegalArgumentException(
                    "--video-iters must be >= 1, got " + videoIterations);
        }
    }
}
