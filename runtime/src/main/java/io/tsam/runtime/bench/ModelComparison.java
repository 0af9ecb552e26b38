package io.tsam.runtime.bench;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.backend.GraphOptimization;
import io.tsam.backend.OrtBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;

/**
 * Several models side by side in one process, so that their ratios hold on a machine whose speed
 * drifts: every round runs each model and a reference matrix multiply once, in a new random order,
 * after a pause that lets the previous run's pool threads stop spinning; the medians and spread of
 * the counted rounds, each model's ratio to the first, and the GFLOP/s it achieves (FLOPs counted
 * from its graph, {@link GraphFlops}) against the multiply's.
 */
public final class ModelComparison {

    /** The pause before each run. */
    private static final long PAUSE_MS = 20;

    private static final int PERCENT = 100;

    /**
     * One thing measured.
     *
     * @param name what it is called in the report
     * @param flops per run
     * @param samplesMs the counted rounds' times
     */
    public record Entry(String name, double flops, List<Double> samplesMs) {
        public Entry {
            samplesMs = List.copyOf(samplesMs);
        }

        public LatencyStats stats() {
            return LatencyStats.of(samplesMs);
        }

        /** The {@code p}-th percentile, {@code 0 <= p <= 100}, by nearest rank. */
        public double percentile(double p) {
            List<Double> sorted = samplesMs.stream().sorted().toList();
            int rank = (int) Math.ceil(p / PERCENT * sorted.size());
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
        }

        /** GFLOP/s at the median. */
        public double gflops() {
            return flops / stats().p50Ms() / 1e6;
        }
    }

    /**
     * What a comparison measured.
     *
     * @param gemm the reference multiply
     * @param models the models, in the order given
     */
    public record Result(
            int batch,
            int warmup,
            int rounds,
            int threads,
            GraphOptimization optimization,
            MachineInfo machine,
            Entry gemm,
            List<Entry> models) {}

    /**
     * A model to compare and the optimisation level it runs at.
     *
     * @param name what the report calls it: the file name, with {@code @level} when one was given
     */
    public record Model(Path file, Optional<GraphOptimization> level, String name) {

        /**
         * Reads {@code FILE} or {@code FILE@LEVEL}, e.g. {@code tsam.onnx@ort_all}.
         *
         * @throws IllegalArgumentException naming the argument for an unknown level
         */
        public static Model parse(String argument) {
            int at = argument.lastIndexOf('@');
            if (at < 0) {
                Path file = Path.of(argument);
                return new Model(file, Optional.empty(), String.valueOf(file.getFileName()));
            }
            String level = argument.substring(at + 1);
            for (GraphOptimization candidate : GraphOptimization.values()) {
                if (candidate.cliName().equalsIgnoreCase(level)) {
                    Path file = Path.of(argument.substring(0, at));
                    return new Model(
                            file,
                            Optional.of(candidate),
                            file.getFileName() + "@" + candidate.cliName());
                }
            }
            throw new IllegalArgumentException(
                    "--compare "
                            + argument
                            + ": unknown optimisation level '"
                            + level
                            + "'; one of "
                            + Arrays.stream(GraphOptimization.values())
                                    .map(GraphOptimization::cliName)
                                    .toList());
        }
    }

    private ModelComparison() {}

    /**
     * Measures the models.
     *
     * @param gemmSize the side of the reference multiply's matrices
     * @param progress told how far it got, a line at a time
     */
    public static Result run(
            List<Model> models,
            int batch,
            int warmup,
            int rounds,
            int threads,
            GraphOptimization optimization,
            int gemmSize,
            long seed,
            Consumer<String> progress) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        List<OrtBackend> backends = new ArrayList<>();
        try (GemmReference gemm = new GemmReference(environment, gemmSize, threads)) {
            List<Runnable> runs = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<Double> flops = new ArrayList<>();
            runs.add(gemm::run);
            names.add("MatMul " + gemmSize + "³");
            flops.add(gemm.flops());
            for (Model compared : models) {
                Path model = compared.file();
                OrtBackend backend =
                        OrtBackend.builder()
                                .setModel(model)
                                .setEnvironment(environment)
                                .optIntraOpThreads(threads)
                                .optOptimization(compared.level().orElse(optimization))
                                .build();
                backends.add(backend);
                if (batch > backend.maxBatch()) {
                    throw new IllegalArgumentException(
                            model + ": runs batches of at most " + backend.maxBatch());
                }
                Map<String, FloatBuffer> inputs = RandomInputs.of(backend, batch, seed);
                runs.add(() -> backend.run(batch, inputs));
                names.add(compared.name());
                flops.add(GraphFlops.count(environment, backend, model, batch));
                progress.accept(
                        String.format(
                                "%s: %.2f GFLOP a batch of %d; %s",
                                compared.name(),
                                flops.get(flops.size() - 1) / 1e9,
                                batch,
                                backend.description()));
            }
            List<List<Double>> samples = new ArrayList<>();
            runs.forEach(r -> samples.add(new ArrayList<>()));
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                order.add(i);
            }
            Random random = new Random(seed);
            for (int round = 0; round < warmup + rounds; round++) {
                Collections.shuffle(order, random);
                for (int i : order) {
                    pause();
                    long start = System.nanoTime();
                    runs.get(i).run();
                    double ms = (System.nanoTime() - start) / 1e6;
                    if (round >= warmup) {
                        samples.get(i).add(ms);
                    }
                }
                progress.accept(
                        round < warmup
                                ? "warm-up round " + (round + 1) + " of " + warmup
                                : "round " + (round - warmup + 1) + " of " + rounds);
            }
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                entries.add(new Entry(names.get(i), flops.get(i), samples.get(i)));
            }
            return new Result(
                    batch,
                    warmup,
                    rounds,
                    threads,
                    optimization,
                    MachineInfo.detect(environment.getVersion(), "cpu"),
                    entries.get(0),
                    entries.subList(1, entries.size()));
        } finally {
            backends.forEach(OrtBackend::close);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The report: settings, machine, and per entry the medians, spread, ratio and GFLOP/s. */
    public static byte[] json(Result result) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("benchmark", "models side by side, interleaved rounds in a shuffled order");
        root.put("batch", result.batch());
        root.put("warmup_rounds", result.warmup());
        root.put("rounds", result.rounds());
        root.put("intra_op_threads", result.threads());
        root.put("optimization", result.optimization().cliName());
        result.machine().writeTo(root.putObject("machine"));
        ObjectNode gemm = root.putObject("gemm");
        write(gemm, result.gemm(), result);
        ArrayNode models = root.putArray("models");
        double first = result.models().get(0).stats().p50Ms();
        for (Entry entry : result.models()) {
            ObjectNode node = models.addObject();
            write(node, entry, result);
            node.put("ratio_to_first", entry.stats().p50Ms() / first);
        }
        return mapper.writeValueAsBytes(root);
    }

    private static void write(ObjectNode node, Entry entry, Result result) {
        node.put("name", entry.name());
        node.put("gflop", entry.flops() / 1e9);
        node.put("median_ms", entry.stats().p50Ms());
        node.put("p10_ms", entry.percentile(10));
        node.put("p90_ms", entry.percentile(90));
        node.put("gflops_per_s", entry.gflops());
        node.put("of_gemm", entry.gflops() / result.gemm().gflops());
        ArrayNode samples = node.putArray("samples_ms");
        entry.samplesMs().forEach(samples::add);
    }

    /** The models' times as box plots, PNG bytes. */
    public static byte[] chart(Result result) throws IOException {
        BoxChart chart =
                new BoxChartBuilder()
                        .width(Math.max(900, 230 * result.models().size()))
                        .height(600)
                        .title(
                                String.format(
                                        "batch %d, %d interleaved rounds, %d threads; (GFLOP/s);"
                                                + " %s: %.0f GFLOP/s",
                                        result.batch(),
                                        result.rounds(),
                                        result.threads(),
                                        result.gemm().name(),
                                        result.gemm().gflops()))
                        .yAxisTitle("ms")
                        .build();
        for (Entry entry : result.models()) {
            chart.addSeries(
                    String.format(
                            "%s (%.0f)",
                            entry.name().replaceFirst("\\.onnx(@|$)", "$1"), entry.gflops()),
                    entry.samplesMs().stream().mapToDouble(Double::doubleValue).toArray());
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
        return png.toByteArray();
    }
}
