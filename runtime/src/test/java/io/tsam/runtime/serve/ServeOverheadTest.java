package io.tsam.runtime.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tsam.backend.OrtBackend;
import io.tsam.config.ModelMetadata;
import io.tsam.media.synth.SynthClass;
import io.tsam.runtime.SynthVideos;
import io.tsam.runtime.predict.Predictor;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records (does not assert) what the server adds to one client's requests: the median of {@value
 * #RUNS} uploads to {@code /predict} against {@link Predictor#predict} on the same synthetic clip,
 * and of {@value #RUNS} one-sample {@code infer} requests against the backend's own run. The log
 * line is the record; the figures vary with the machine's load.
 */
class ServeOverheadTest {

    private static final Logger logger = LoggerFactory.getLogger(ServeOverheadTest.class);
    private static final int WARMUP = 20;
    private static final int RUNS = 50;

    @TempDir Path dir;

    /**
     * The median wall times in ms of {@code first} and {@code second}, run alternately after a
     * warm-up so that the load of a shared machine weighs on both alike; each must return 200.
     */
    private static double[] medianMs(IntSupplier first, IntSupplier second) {
        for (int i = 0; i < WARMUP; i++) {
            assertEquals(200, first.getAsInt());
            assertEquals(200, second.getAsInt());
        }
        double[][] ms = new double[2][RUNS];
        for (int i = 0; i < RUNS; i++) {
            ms[0][i] = timeMs(first);
            ms[1][i] = timeMs(second);
        }
        return new double[] {median(ms[0]), median(ms[1])};
    }

    private static double timeMs(IntSupplier action) {
        long start = System.nanoTime();
        assertEquals(200, action.getAsInt());
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return (sorted[RUNS / 2 - 1] + sorted[RUNS / 2]) / 2;
    }

    @Test
    void recordTheServersOverheadForOneClient() throws IOException {
        Path video = SynthVideos.perClass(dir).resolve(SynthClass.GROWING_HIGH.videoId(0) + ".mp4");
        byte[] upload = Files.readAllBytes(video);
        float[] videoInput = new float[3 * 3 * 32 * 32];
        float[] audioInput = new float[3 * 32 * 32];
        Arrays.fill(videoInput, 0.25f);
        String inferBody =
                "{\"inputs\":["
                        + tensor("video", "[1,3,3,32,32]", videoInput)
                        + ","
                        + tensor("audio", "[1,3,32,32]", audioInput)
                        + "]}";
        try (OrtBackend reference = TinyBackends.tsam()) {
            ModelMetadata metadata =
                    ModelMetadata.parse(reference.metadata(), reference.modelFile());
            Predictor direct =
                    Predictor.builder().setBackend(reference).setMetadata(metadata).build();
            Map<String, FloatBuffer> buffers =
                    Map.of(
                            "video",
                            TinyBackends.direct(videoInput),
                            "audio",
                            TinyBackends.direct(audioInput));
            ServeConfig config = ServeConfig.builder().setModelName("tiny_tsam").optPort(0).build();
            try (InferenceServer server =
                    InferenceServer.start(TinyBackends.tsam(), metadata, config)) {
                HttpTestClient http = new HttpTestClient(server.baseUrl());
                double[] predict =
                        medianMs(
                                () -> {
                                    direct.predict(video);
                                    return 200;
                                },
                                () ->
                                        status(
                                                http.postMultipart(
                                                        "/predict", "file", "v.mp4", upload)));
                double[] infer =
                        medianMs(
                                () -> {
                                    buffers.values().forEach(FloatBuffer::rewind);
                                    reference.run(1, buffers);
                                    return 200;
                                },
                                () ->
                                        status(
                                                http.postJson(
                                                        "/v2/models/tiny_tsam/infer", inferBody)));
                IntSupplier live = () -> status(http.get("/v2/health/live"));
                double[] empty = medianMs(live, live);
                logger.info(
                        String.format(
                                Locale.ROOT,
                                "one client, median of %d: /predict %.2f ms vs Predictor.predict"
                                        + " %.2f ms (+%.2f ms); infer N=1 %.2f ms vs backend run"
                                        + " %.3f ms (+%.2f ms, %d-byte JSON body); GET"
                                        + " /v2/health/live %.2f ms (the HTTP round trip alone)",
                                RUNS,
                                predict[1],
                                predict[0],
                                predict[1] - predict[0],
                                infer[1],
                                infer[0],
                                infer[1] - infer[0],
                                inferBody.length(),
                                empty[0]));
            }
        }
    }

    private static int status(HttpResponse<String> response) {
        return response.statusCode();
    }

    private static String tensor(String name, String shape, float[] data) {
        StringBuilder json =
                new StringBuilder("{\"name\":\"" + name + "\",\"datatype\":\"FP32\",\"shape\":")
                        .append(shape)
                        .append(",\"data\":[");
        for (int i = 0; i < data.length; i++) {
            json.append(i == 0 ? "" : ",").append(data[i]);
        }
        return json.append("]}").toString();
    }
}
