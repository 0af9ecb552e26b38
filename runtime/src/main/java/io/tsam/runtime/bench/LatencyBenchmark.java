package io.tsam.runtime.bench;

import io.tsam.backend.InferenceBackend;
import io.tsam.runtime.predict.AudioState;
import io.tsam.runtime.predict.Prediction;
import io.tsam.runtime.predict.Predictor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures a model: alone on random inputs of its shapes, per batch size, and end to end on a
 * video, split into decode, audio features and inference. Warm-up runs are made first and not
 * counted; the first runs of a session pay for memory planning and kernel selection.
 */
public final class LatencyBenchmark {

    private static final double NANOS_PER_MS = 1e6;
    private static final double NANOS_PER_SECOND = 1e9;

    private LatencyBenchmark() {}

    /**
     * Runs the model on one batch of standard-normal inputs, the same every time.
     *
     * @param backend what runs the model
     * @param batch the batch size, 1 to the backend's largest
     * @param warmup uncounted runs first, >= 0
     * @param iterations measured runs, >= 1
     * @param seed the inputs' seed
     */
    public static BatchResult model(
            InferenceBackend backend, int batch, int warmup, int iterations, long seed) {
        checkCounts(warmup, iterations);
        if (batch < 1 || batch > backend.maxBatch()) {
            throw new IllegalArgumentException(
                    "batch must be in [1, " + backend.maxBatch() + "], got " + batch);
        }
        Map<String, FloatBuffer> inputs = RandomInputs.of(backend, batch, seed);
        for (int i = 0; i < warmup; i++) {
            backend.run(batch, inputs);
        }
        List<Double> samples = new ArrayList<>(iterations);
        long total = 0;
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            backend.run(batch, inputs);
            long elapsed = System.nanoTime() - start;
            total += elapsed;
            samples.add(elapsed / NANOS_PER_MS);
        }
        double clipsPerSecond = (double) batch * iterations * NANOS_PER_SECOND / total;
        return new BatchResult(batch, LatencyStats.of(samples), clipsPerSecond, samples);
    }

    /**
     * Predicts one video repeatedly.
     *
     * @param predictor the predictor, with its clips per video
     * @param video the video
     * @param warmup uncounted predictions first, >= 0
     * @param iterations measured predictions, >= 1
     * @throws io.tsam.media.MediaException naming the file if it cannot be used
     */
    public static EndToEndResult endToEnd(
            Predictor predictor, Path video, int warmup, int iterations) {
        checkCounts(warmup, iterations);
        for (int i = 0; i < warmup; i++) {
            predictor.predict(video);
        }
        List<Double> decode = new ArrayList<>();
        List<Double> audio = new ArrayList<>();
        List<Double> inference = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        AudioState state = AudioState.OFF;
        for (int i = 0; i < iterations; i++) {
            Prediction p = predictor.predict(video);
            decode.add(p.timings().decodeMs());
            audio.add(p.timings().audioMs());
            inference.add(p.timings().inferenceMs());
            total.add(p.timings().totalMs());
            state = p.audio();
        }
        return new EndToEndResult(
                video,
                predictor.clips(),
                state,
                LatencyStats.of(decode),
                LatencyStats.of(audio),
                LatencyStats.of(inference),
                LatencyStats.of(total));
    }

    private static void checkCounts(int warmup, int iterations) {
        if (warmup < 0) {
            throw new IllegalArgumentException("warm-up runs must be >= 0, got " + warmup);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("measured runs must be >= 1, got " + iterations);
        }
    }
}
