package io.tsam.benchmarks;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsam.backend.OrtBackend;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.ModelConfig;
import io.tsam.config.ModelMetadata;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.sampling.FrameSampling;
import io.tsam.media.video.FfmpegLogging;
import io.tsam.runtime.bench.BatchResult;
import io.tsam.runtime.bench.BenchCharts;
import io.tsam.runtime.bench.LatencyStats;
import io.tsam.runtime.bench.MachineInfo;
import io.tsam.runtime.predict.Prediction;
import io.tsam.runtime.predict.Predictor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runtime's figures for one exported model on ONNX Runtime's CPU provider: model-only latency
 * per batch size, whole predictions of each video against model-only runs on its clip, and what the
 * HTTP server adds for one client ({@link ServeOverhead}).
 *
 * <p>Made for a shared machine whose load comes and goes: every round runs each model-only batch
 * size once and predicts each video once ({@link Samples#run}), and records how many cores other
 * processes kept busy meanwhile. The medians are the figures, over all rounds and over the quiet
 * and the contended rounds apart; the ratio of a video's end-to-end median to the batch-1 median of
 * the same rounds is what preprocessing costs.
 *
 * <p>Usage: {@code RuntimeBenchmark OUT.json MODEL THREADS WARMUP ROUNDS [--batch N,N...] [--bench
 * BENCH.json]... [--serve-only|--no-serve] [--sampling exact|latency] VIDEO...}. Model-only runs
 * feed the first video's clip, repeated to the batch; {@code --serve-only} measures only what the
 * server adds, {@code --no-serve} all but that; {@code --bench} copies a {@code tsam-run bench}
 * report into the output. The model-only charts of {@code tsam-run bench} ({@link BenchCharts}) go
 * next to {@code OUT.json}, as {@code OUT-latency.png} and {@code OUT-throughput.png}.
 */
public final class RuntimeBenchmark {

    /** The end-to-end goal: a prediction at batch 1 within this factor of the model alone. */
    static final double END_TO_END_GOAL = 1.3;

    private static final double MS_PER_SECOND = 1000;

    private RuntimeBenchmark() {}

    /** Runs the measurements and writes the JSON report and the charts. */
    public static void main(String[] args) throws IOException {
        FfmpegLogging.quietUnlessVerbose(args);
        Path out = Path.of(args[0]);
        Path model = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        List<Integer> batches = List.of(1, 2, 4);
        List<Path> benchReports = new ArrayList<>();
        List<Path> videos = new ArrayList<>();
        boolean serveOnly = false;
        boolean noServe = false;
        FrameSampling sampling = FrameSampling.EXACT;
        for (int i = 5; i < args.length; i++) {
            switch (args[i]) {
                case "--serve-only" -> serveOnly = true;
                case "--no-serve" -> noServe = true;
                case "--sampling" ->
                        sampling = FrameSampling.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--batch" ->
                        batches =
                                List.of(args[++i].split(",")).stream()
                                        .map(Integer::parseInt)
                                        .toList();
                case "--bench" -> benchReports.add(Path.of(args[++i]));
                default -> videos.add(Path.of(args[i]));
            }
        }
        if (videos.isEmpty() || !batches.contains(1)) {
            throw new IllegalArgumentException(
                    "give at least one video, and batch 1 among the batch sizes, got videos "
                            + videos
                            + " and batches "
                            + batches);
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        Map<String, Object> header = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        double loadBefore = MachineLoad.oneMinute();
        try (OrtBackend backend = open(environment, model, threads)) {
            ModelMetadata metadata = ModelMetadata.parse(backend.metadata(), model);
            MachineInfo machine = MachineInfo.detect(environment.getVersion(), backend.provider());
            describe(header, model, metadata, backend, machine, threads, warmup, rounds);
            Predictor predictor =
                    Predictor.builder()
                            .setBackend(backend)
                            .setMetadata(metadata)
                            .optSampling(sampling)
                            .build();
            if (!serveOnly) {
                modelAndEndToEnd(out, backend, predictor, batches, videos, warmup, rounds, rows);
            }
            if (!noServe) {
                rows.addAll(
                        new ServeOverhead(backend, predictor, videos.get(0), warmup, rounds)
                                .measure(open(environment, model, threads)));
            }
        }
        header.put("loadavg_1min_before", loadBefore);
        header.put("loadavg_1min_after", MachineLoad.oneMinute());
        ObjectMapper json = new ObjectMapper();
        List<Object> bench = new ArrayList<>();
        for (Path report : benchReports) {
            bench.add(json.readTree(report.toFile()));
        }
        if (!bench.isEmpty()) {
            header.put("tsam_run_bench", bench);
        }
        BenchmarkReport.write(
                out, "tsam-run: model only, end to end, serve overhead", header, rows);
    }

    private static void modelAndEndToEnd(
            Path out,
            OrtBackend backend,
            Predictor predictor,
            List<Integer> batches,
            List<Path> videos,
            int warmup,
            int rounds,
            List<Map<String, Object>> rows)
            throws IOException {
        ClipTensors clip = predictor.prepare(videos.get(0)).clips().get(0);
        List<ClipInputs> inputs = batches.stream().map(b -> ClipInputs.of(clip, b)).toList();
        Samples s = measure(backend, predictor, inputs, videos, warmup, rounds);
        List<BatchResult> results = new ArrayList<>();
        for (ClipInputs input : inputs) {
            results.add(modelOnly(s, input.batch(), rows));
        }
        for (Path video : videos) {
            rows.add(endToEnd(s, video, predictor.clips()));
        }
        String name = out.getFileName().toString().replaceFirst("\\.json$", "");
        AtomicFile.write(out.resolveSibling(name + "-latency.png"), BenchCharts.latency(results));
        AtomicFile.write(
                out.resolveSibling(name + "-throughput.png"), BenchCharts.throughput(results));
    }

    /** A CPU session of the model with {@code threads} intra-op threads; the caller closes it. */
    static OrtBackend open(OrtEnvironment environment, Path model, int threads) {
        return OrtBackend.builder()
                .setModel(model)
                .setEnvironment(environment)
                .optIntraOpThreads(threads)
                .build();
    }

    /** The rounds: series {@code model_bN_ms} and, per video, {@code VIDEO/...}. */
    private static Samples measure(
            OrtBackend backend,
            Predictor predictor,
            List<ClipInputs> inputs,
            List<Path> videos,
            int warmup,
            int rounds) {
        Samples s = new Samples();
        List<Runnable> actions = new ArrayList<>();
        for (ClipInputs input : inputs) {
            String series = "model_b" + input.batch() + "_ms";
            actions.add(() -> s.add(series, Samples.timeMs(() -> input.run(backend))));
        }
        for (Path video : videos) {
            String key = video.getFileName() + "/";
            actions.add(
                    () -> {
                        long start = System.nanoTime();
                        Prediction p = predictor.predict(video);
                        s.add(key + "end_to_end_ms", (System.nanoTime() - start) / 1e6);
                        s.add(key + "decode_ms", p.timings().decodeMs());
                        s.add(key + "audio_ms", p.timings().audioMs());
                        s.add(key + "inference_ms", p.timings().inferenceMs());
                    });
        }
        s.run(warmup, rounds, actions);
        return s;
    }

    private static void describe(
            Map<String, Object> header,
            Path model,
            ModelMetadata metadata,
            OrtBackend backend,
            MachineInfo machine,
            int threads,
            int warmup,
            int rounds) {
        ModelConfig config = metadata.config().model();
        header.put("model", model.getFileName().toString());
        header.put("arch", config.arch());
        header.put("video_segments", config.videoSegments());
        header.put("audio_segments", config.audioSegments());
        header.put("crop_size", metadata.config().dataAugmentation().cropSize());
        header.put("classes", metadata.labels().size());
        header.put("checkpoint_sha256", metadata.checkpointSha256());
        header.put("backend", backend.description());
        header.put("cpu", machine.cpu());
        header.put("onnxruntime", machine.onnxRuntime());
        header.put("intra_op_threads", threads);
        header.put("warmup_rounds", warmup);
        header.put("rounds", rounds);
    }

    private static BatchResult modelOnly(Samples s, int batch, List<Map<String, Object>> rows) {
        String series = "model_b" + batch + "_ms";
        List<Double> samples = s.values(series);
        LatencyStats latency = LatencyStats.of(samples);
        double clipsPerSecond = batch * MS_PER_SECOND / latency.meanMs();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("measure", "model only, the first video's clip repeated to the batch");
        row.put("batch", batch);
        row.put("p50_ms", latency.p50Ms());
        row.put("p90_ms", latency.p90Ms());
        row.put("max_ms", latency.maxMs());
        row.put("clips_per_second", clipsPerSecond);
        double quiet = s.median(series, s.quietRounds());
        double contended = s.median(series, s.contendedRounds());
        row.put("p50_ms_quiet", quiet);
        row.put("p50_ms_contended", contended);
        row.put("clips_per_second_quiet", batch * MS_PER_SECOND / quiet);
        row.put("clips_per_second_contended", batch * MS_PER_SECOND / contended);
        s.loadInto(row);
        row.put("samples_ms", samples);
        rows.add(row);
        System.out.printf(
                Locale.ROOT,
                "model only, batch %d: p50 %.1f ms (quiet %.1f, contended %.1f), %.2f clips/s%n",
                batch,
                latency.p50Ms(),
                quiet,
                contended,
                clipsPerSecond);
        return new BatchResult(batch, latency, clipsPerSecond, samples);
    }

    private static Map<String, Object> endToEnd(Samples s, Path video, int clips) {
        String key = video.getFileName() + "/";
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("measure", "end to end vs model only, batch 1");
        row.put("video", video.getFileName().toString());
        row.put("clips", clips);
        row.put("goal", END_TO_END_GOAL);
        Map<String, List<Integer>> regimes = new LinkedHashMap<>();
        regimes.put("", s.rounds(c -> true));
        regimes.put("_quiet", s.quietRounds());
        regimes.put("_contended", s.contendedRounds());
        StringBuilder line = new StringBuilder(video.getFileName().toString());
        for (Map.Entry<String, List<Integer>> regime : regimes.entrySet()) {
            String suffix = regime.getKey();
            List<Integer> rounds = regime.getValue();
            double model = s.median("model_b1_ms", rounds);
            double total = s.median(key + "end_to_end_ms", rounds);
            double ratio = total / model;
            row.put("model_ms_median" + suffix, model);
            row.put("end_to_end_ms_median" + suffix, total);
            for (String part : List.of("decode", "audio", "inference")) {
                row.put(part + "_ms_median" + suffix, s.median(key + part + "_ms", rounds));
            }
            row.put("end_to_end_over_model" + suffix, ratio);
            row.put("goal_met" + suffix, ratio <= END_TO_END_GOAL);
            line.append(
                    String.format(
                            Locale.ROOT,
                            "%n  %-11s %2d rounds: end to end %.1f ms (decode %.1f, audio %.1f,"
                                    + " inference %.1f) vs model %.1f ms = %.2fx",
                            suffix.isEmpty() ? "all" : suffix.substring(1),
                            rounds.size(),
                            total,
                            s.median(key + "decode_ms", rounds),
                            s.median(key + "audio_ms", rounds),
                            s.median(key + "inference_ms", rounds),
                            model,
                            ratio));
        }
        s.loadInto(row);
        row.put("model_samples_ms", s.values("model_b1_ms"));
        row.put("end_to_end_samples_ms", s.values(key + "end_to_end_ms"));
        row.put("decode_samples_ms", s.values(key + "decode_ms"));
        row.put("audio_samples_ms", s.values(key + "audio_ms"));
        System.out.println(line);
        return row;
    }
}
