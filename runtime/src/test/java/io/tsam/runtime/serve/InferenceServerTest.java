package io.tsam.runtime.serve;

import static io.tsam.runtime.serve.HttpTestClient.json;
import static io.tsam.runtime.serve.HttpTestClient.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.backend.InferenceBackend;
import io.tsam.backend.OrtBackend;
import io.tsam.backend.TinyModels;
import io.tsam.config.ModelMetadata;
import io.tsam.media.synth.SynthClass;
import io.tsam.runtime.SynthVideos;
import io.tsam.runtime.predict.LabelScore;
import io.tsam.runtime.predict.Prediction;
import io.tsam.runtime.predict.Predictor;
import io.tsam.runtime.predict.WindowPrediction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceServerTest {

    private static final String NAME = "tiny_tsam";
    private static final String INFER = "/v2/models/" + NAME + "/infer";
    private static final int VIDEO = 3 * 3 * 32 * 32;
    private static final int AUDIO = 3 * 32 * 32;
    private static final int CLASSES = 8;

    @TempDir static Path dir;
    private static Path videos;
    private static OrtBackend reference;
    private static ModelMetadata metadata;
    private static Predictor direct;

    @BeforeAll
    static void setUp() {
        videos = SynthVideos.perClass(dir.resolve("synth"));
        reference = TinyBackends.tsam();
        metadata = ModelMetadata.parse(reference.metadata(), reference.modelFile());
        direct = Predictor.builder().setBackend(reference).setMetadata(metadata).build();
    }

    @AfterAll
    static void tearDown() {
        reference.close();
    }

    private static InferenceServer start(
            InferenceBackend backend, Consumer<ServeConfig.Builder> options) {
        ServeConfig.Builder config =
                ServeConfig.builder()
                        .setModelName(ServeConfig.defaultModelName(TinyModels.tsam()))
                        .optPort(0);
        options.accept(config);
        return InferenceServer.start(backend, metadata, config.build());
    }

    private static Path video(SynthClass c) {
        return videos.resolve(c.videoId(0) + ".mp4");
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Random inputs for {@code n} samples: video then audio, each row-major. */
    private static float[][] randomInputs(int n, long seed) {
        Random random = new Random(seed);
        float[] video = new float[n * VIDEO];
        float[] audio = new float[n * AUDIO];
        for (int i = 0; i < video.length; i++) {
            video[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) random.nextGaussian();
        }
        return new float[][] {video, audio};
    }

    private static float[] referenceLogits(float[][] inputs, int n) {
        return reference.run(
                n,
                Map.of(
                        "video",
                        TinyBackends.direct(inputs[0]),
                        "audio",
                        TinyBackends.direct(inputs[1])));
    }

    /** An inference request body; {@code nested} sends the data as nested arrays. */
    private static String inferBody(float[][] inputs, int n, boolean nested, String id) {
        ObjectNode root = HttpTestClient.JSON.createObjectNode();
        if (id != null) {
            root.put("id", id);
        }
        root.putObject("parameters").put("ignored", true);
        ArrayNode list = root.putArray("inputs");
        tensor(list, "video", new long[] {n, 3, 3, 32, 32}, inputs[0], nested);
        tensor(list, "audio", new long[] {n, 3, 32, 32}, inputs[1], nested);
        root.putArray("outputs").addObject().put("name", "logits");
        return root.toString();
    }

    private static void tensor(
            ArrayNode list, String name, long[] shape, float[] data, boolean nested) {
        ObjectNode tensor = list.addObject();
        tensor.put("name", name);
        ArrayNode dims = tensor.putArray("shape");
        Arrays.stream(shape).forEach(dims::add);
        tensor.put("datatype", "FP32");
        ArrayNode values = tensor.putArray("data");
        if (nested) {
            // Rows of the last dimension, grouped per sample.
            int row = (int) shape[shape.length - 1];
            int perSample = data.length / (int) shape[0];
            for (int s = 0; s < shape[0]; s++) {
                ArrayNode sample = values.addArray();
                for (int r = 0; r < perSample / row; r++) {
                    ArrayNode inner = sample.addArray();
                    for (int k = 0; k < row; k++) {
                        inner.add(data[s * perSample + r * row + k]);
                    }
                }
            }
        } else {
            for (float v : data) {
                values.add(v);
            }
        }
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).floatValue();
        }
        return values;
    }

    private static void assertSamePrediction(Prediction expected, JsonNode actual, String name) {
        assertEquals(name, actual.get("file").asText());
        assertEquals(expected.audio().jsonName(), actual.get("audio").asText());
        assertEquals(expected.clips(), actual.get("clips").asInt());
        List<LabelScore> top = expected.top(5);
        assertEquals(top.size(), actual.get("top").size());
        for (int i = 0; i < top.size(); i++) {
            JsonNode score = actual.get("top").get(i);
            assertEquals(top.get(i).label(), score.get("label").asText(), name + " top " + i);
            assertEquals(
                    top.get(i).probability(), score.get("prob").asDouble(), 1e-6, name + " " + i);
        }
        assertTrue(actual.get("timings_ms").get("total").asDouble() > 0, actual.toString());
    }

    @Test
    void concurrentUploadsGetWhatThePredictorSaysDirectly() throws Exception {
        ControlledBackend backend = new ControlledBackend(TinyBackends.tsam(), 0);
        List<SynthClass> classes = List.of(SynthClass.values());
        List<Prediction> expected = new ArrayList<>();
        for (SynthClass c : classes) {
            expected.add(direct.predict(video(c)));
        }
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (InferenceServer server =
                start(backend, c -> c.optMaxBatch(8).optMaxDelay(Duration.ofMillis(200)))) {
            HttpTestClient http = new HttpTestClient(server.baseUrl());
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (SynthClass c : classes) {
                    String name = c.id() + ".mp4";
                    byte[] file = bytes(video(c));
                    answers.add(
                            clients.submit(
                                    () ->
                                            http.postMultipart(
                                                    "/predict",
                                                    UploadReceiver.FILE_FIELD,
                                                    "some/dir/" + name,
                                                    file)));
                }
            }
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> answer = answers.get(i).get();
                assertEquals(200, answer.statusCode(), answer.body());
                int c = i % classes.size();
                assertSamePrediction(expected.get(c), json(answer), classes.get(c).id() + ".mp4");
            }
        } finally {
            clients.shutdownNow();
        }
        int clips = backend.batches().stream().mapToInt(Integer::intValue).sum();
        assertEquals(16, clips, "every clip ran once: " + backend.batches());
        assertTrue(backend.batches().size() < 16, "some clips ran together: " + backend.batches());
        assertTrue(backend.closed(), "closing the server closes its backend");
    }

    @Test
    void aRawBodyUploadIsNamedUpload() {
        Prediction expected = direct.predict(video(SynthClass.SHRINKING_HIGH));
        try (InferenceServer server = start(TinyBackends.tsam(), c -> {})) {
            HttpResponse<String> answer =
                    new HttpTestClient(server.baseUrl())
                            .postBytes("/predict", bytes(video(SynthClass.SHRINKING_HIGH)));
            assertEquals(200, answer.statusCode(), answer.body());
            assertSamePrediction(expected, json(answer), "upload");
        }
    }

    @Test
    void concurrentInferRequestsAreBatchedIntoOneRun() throws Exception {
        ControlledBackend backend = new ControlledBackend(TinyBackends.tsam(), 0);
        ExecutorService clients = Executors.newFixedThreadPool(7);
        try (InferenceServer server = start(backend, c -> c.optMaxBatch(8))) {
            HttpTestClient http = new HttpTestClient(server.baseUrl());
            backend.hold();
            List<float[][]> inputs = new ArrayList<>();
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                float[][] in = randomInputs(1, i);
                inputs.add(in);
                answers.add(
                        clients.submit(() -> http.postJson(INFER, inferBody(in, 1, false, null))));
                if (i == 0) {
                    assertTrue(backend.awaitRun(10), "the first request runs alone");
                }
            }
            awaitQueueDepth(http, 6);
            backend.release();
            for (int i = 0; i < 7; i++) {
                HttpResponse<String> answer = answers.get(i).get();
                assertEquals(200, answer.statusCode(), answer.body());
                float[] expected = referenceLogits(inputs.get(i), 1);
                float[] actual = floats(json(answer).get("outputs").get(0).get("data"));
                assertEquals(CLASSES, actual.length);
                for (int k = 0; k < CLASSES; k++) {
                    assertEquals(expected[k], actual[k], 1e-5, "request " + i + " logit " + k);
                }
            }
            assertEquals(List.of(1, 6), backend.batches(), "the six queued requests ran as one");
            String metrics = http.get("/metrics").body();
            assertEquals(2, metric(metrics, "tsam_serve_batch_size_count", ""), metrics);
            assertEquals(7, metric(metrics, "tsam_serve_batch_size_sum", ""), metrics);
            assertEquals(7, metric(metrics, "tsam_serve_queue_wait_seconds_count", ""), metrics);
            assertEquals(0, metric(metrics, "tsam_serve_queue_depth", ""), metrics);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void predictOverTimeAnswersWhatThePredictorSaysPerWindow() {
        Path file = video(SynthClass.RIGHT_TO_LEFT_LOW);
        List<WindowPrediction> expected = new ArrayList<>();
        direct.predictWindows(file, direct.windows(0.5, 0.25), expected::add);
        try (InferenceServer server = start(TinyBackends.tsam(), c -> c.optMaxBatch(2))) {
            HttpTestClient http = new HttpTestClient(server.baseUrl());
            HttpResponse<String> answer =
                    http.postMultipart(
                            "/predict?window=0.5&stride=0.25", "file", "clip.mp4", bytes(file));
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode body = json(answer);
            assertEquals("clip.mp4", body.get("file").asText());
            assertEquals(0.5, body.get("window").asDouble());
            assertEquals(0.25, body.get("stride").asDouble());
            JsonNode windows = body.get("windows");
            assertEquals(3, expected.size());
            assertEquals(expected.size(), windows.size(), body.toString());
            for (int k = 0; k < expected.size(); k++) {
                JsonNode window = windows.get(k);
                assertEquals(k, window.get("window").asInt());
                assertEquals(expected.get(k).start(), window.get("start").asDouble(), 1e-9);
                for (int i = 0; i < 5; i++) {
                    LabelScore score = expected.get(k).top(5).get(i);
                    JsonNode top = window.get("top").get(i);
                    assertEquals(score.label(), top.get("label").asText());
                    assertEquals(score.probability(), top.get("prob").asDouble(), 1e-6);
                }
            }
            assertError(
                    http.postMultipart("/predict?window=-1", "file", "clip.mp4", bytes(file)),
                    400,
                    "query parameter 'window' must be seconds > 0, got '-1'");
            assertError(
                    http.postMultipart("/predict?stride=1", "file", "clip.mp4", bytes(file)),
                    400,
                    "query parameter 'stride' needs 'window'");
        }
    }

    @Test
    void inferenceProtocolRoundTrip() {
        try (InferenceServer server = start(TinyBackends.tsam(), c -> c.optMaxBatch(4))) {
            HttpTestClient http = new HttpTestClient(server.baseUrl());
            assertEquals(200, http.get("/v2/health/live").statusCode());
            assertEquals(200, http.get("/v2/health/ready").statusCode());
            assertEquals(200, http.get("/v2/models/" + NAME + "/ready").statusCode());
            assertEquals(200, http.get("/v2/models/" + NAME + "/versions/1/ready").statusCode());

            JsonNode model = json(http.get("/v2/models/" + NAME));
            assertEquals(NAME, model.get("name").asText());
            assertEquals("onnxruntime_onnx", model.get("platform").asText());
            assertEquals("[\"1\"]", model.get("versions").toString());
            assertEquals(
                    "[{\"name\":\"video\",\"datatype\":\"FP32\",\"shape\":[-1,3,3,32,32]},"
                            + "{\"name\":\"audio\",\"datatype\":\"FP32\",\"shape\":[-1,3,32,32]}]",
                    model.get("inputs").toString());
            assertEquals(
                    "[{\"name\":\"logits\",\"datatype\":\"FP32\",\"shape\":[-1,8]}]",
                    model.get("outputs").toString());

            float[][] inputs = randomInputs(3, 42);
            float[] expected = referenceLogits(inputs, 3);
            for (boolean nested : new boolean[] {false, true}) {
                HttpResponse<String> answer =
                        http.postJson(INFER, inferBody(inputs, 3, nested, "req-" + nested));
                assertEquals(200, answer.statusCode(), answer.body());
                JsonNode body = json(answer);
                assertEquals(NAME, body.get("model_name").asText());
                assertEquals("1", body.get("model_version").asText());
                assertEquals("req-" + nested, body.get("id").asText());
                JsonNode output = body.get("outputs").get(0);
                assertEquals("logits", output.get("name").asText());
                assertEquals("FP32", output.get("datatype").asText());
                assertEquals("[3,8]", output.get("shape").toString());
                float[] actual = floats(output.get("data"));
                assertEquals(expected.length, actual.length);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-5, "logit " + i);
                }
            }
            HttpResponse<String> noId =
                    http.postJson(
                            "/v2/models/" + NAME + "/versions/1/infer",
                            inferBody(randomInputs(1, 1), 1, false, null));
            assertEquals(200, noId.statusCode(), noId.body());
            assertFalse(json(noId).has("id"), noId.body());
        }
    }

    @Test
    void badInferenceRequestsAreRefusedWithTheirReason() {
        float[][] one = randomInputs(1, 7);
        String good = inferBody(one, 1, false, null);
        try (InferenceServer server = start(TinyBackends.tsam(), c -> c.optMaxBatch(2))) {
            HttpTestClient http = new HttpTestClient(server.baseUrl());
            assertError(
                    http.postJson(INFER, good.replace("\"name\":\"audio\"", "\"name\":\"sound\"")),
                    400,
                    "unknown input 'sound'; the model's inputs are [video, audio]");
            assertError(
                    http.postJson(
                            INFER,
                            good.replaceFirst("\"datatype\":\"FP32\"", "\"datatype\":\"INT64\"")),
                    400,
                    "input 'video' has datatype INT64; the model takes FP32");
            assertError(
                    http.postJson(INFER, good.replace("[1,3,32,32]", "[1,3,16,64]")),
                    400,
                    "input 'audio' has shape [1, 3, 16, 64]; the model takes [N, 3, 32, 32] with"
                            + " 1 <= N <= 2 (--max-batch)");
            assertError(
                    http.postJson(INFER, good.replace("[1,3,3,32,32]", "[2,3,3,32,32]")),
                    400,
                    "input 'video' has 9216 values; its shape [2, 3, 3, 32, 32] needs 18432");
            float[][] three = randomInputs(3, 8);
            assertError(
                    http.postJson(INFER, inferBody(three, 3, false, null)),
                    400,
                    "inputs[0].data holds more than 18432 values, the most one request of this"
                            + " model may send (--max-batch samples)");
            assertError(
                    http.postJson(INFER, good.replace("\"name\":\"logits\"", "\"name\":\"probs\"")),
                    400,
                    "unknown output 'probs'; the model's only output is 'logits'");
            assertError(
                    http.postJson(INFER, "{\"inputs\": [{\"name\": \"video\", \"shape\": [1"),
                    400,
                    "malformed JSON: Unexpected end-of-input");
            assertError(http.postJson(INFER, "[1, 2]"), 400, "the request body must be a JSON");
            assertError(
                    http.postJson(
                            INFER,
                            "{\"inputs\":[{\"name\":\"video\",\"datatype\":\"FP32\","
                                    + "\"shape\":[1],\"data\":[1,\"x\"]}]}"),
                    400,
                    "inputs[0].data must hold only numbers, found the string \"x\" after 1"
                            + " values");
            assertError(
                    http.postJson(
                            INFER,
                            "{\"inputs\":[{\"name\":\"video\",\"datatype\":\"FP32\","
                                    + "\"shape\":[1,3,3,32,32],\"data\":[1]}]}"),
                    400,
                    "missing input [audio]; the model's inputs are [video, audio]");
            assertError(
                    http.postJson("/v2/models/other/infer", good),
                    404,
                    "unknown model 'other'; this server serves 'tiny_tsam' version 1");
            assertError(
                    http.get("/v2/models/" + NAME + "/versions/2"),
                    404,
                    "unknown model 'tiny_tsam' version '2'");
            assertEquals(404, http.get("/v2/nothing/here").statusCode());

            String metrics = http.get("/metrics").body();
            assertEquals(
                    10,
                    metric(
                            metrics,
                            "tsam_serve_requests_total",
                            "route=\"/v2/models/{name}/infer\",status=\"400\""),
                    metrics);
            assertEquals(
                    10,
                    metric(
                            metrics,
                            "tsam_serve_errors_total",
                            "reason=\"invalid_input\",route=\"/v2/models/{name}/infer\""),
                    metrics);
            assertEquals(
                    1,
                    metric(
                            metrics,
                            "tsam_serve_errors_total",
                            "reason=\"unknown_model\",route=\"/v2/models/{name}/infer\""),
                    metrics);
        }
    }

    /** Waits until {@code depth} requests wait for the batcher, as the metrics say. */
    private static void awaitQueueDepth(HttpTestClient http, int depth)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double seen = -1;
        while (seen != depth && System.nanoTime() < deadline) {
            seen = metric(http.get("/metrics").body(), "tsam_serve_queue_depth", "");
            Thread.sleep(5);
        }
        assertEquals(depth, seen, "requests waiting for the batcher");
    }

    private static void assertError(HttpResponse<String> response, int status, String message) {
        assertEquals(status, response.statusCode(), response.body());
        String error = json(response).get("error").asText();
        assertTrue(error.startsWith(message), "expected '" + message + "...', got: " + error);
    }

    @Test
    void badUploadsGetTheirClientErrorAndAreCounted() throws IOException {
        byte[] good = bytes(video(SynthClass.GROWING_LOW));
        long limit = good.length + 4096L;
        byte[] tooLarge = new byte[(int) limit + 1];
        new Random(3).nextBytes(tooLarge);
        try (InferenceServer server = start(TinyBackends.tsam(), c -> c.optMaxUploadBytes(limit))) {
            HttpTestClient http = new HttpTestClient(server.baseUrl());
            assertError(
                    http.postBytes("/predict", new byte[0]),
                    400,
                    "empty upload: the request body holds no bytes");
            assertError(
                    http.postMultipart("/predict", "file", "empty.mp4", new byte[0]),
                    400,
                    "empty upload: the form field 'file' holds no bytes");
            assertError(
                    http.postMultipart(
                            "/predict", "file", "cut.mp4", Arrays.copyOf(good, good.length / 2)),
                    400,
                    "cut.mp4: ");
            assertError(
                    http.postMultipart(
                            "/predict",
                            "file",
                            "notes.mp4",
                            "not a video".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    400,
                    "notes.mp4: not a");
            assertError(
                    http.postMultipart("/predict", "video", "a.mp4", good),
                    400,
                    "the multipart body has no 'file' field");
            String tooLargeMessage =
                    "the request body exceeds the server's limit of " + limit + " bytes";
            assertError(http.postBytes("/predict", tooLarge), 413, tooLargeMessage);
            assertError(http.postChunked("/predict", tooLarge), 413, tooLargeMessage);
            assertError(
                    http.postMultipart("/predict", "file", "big.mp4", tooLarge),
                    413,
                    tooLargeMessage);
            assertEquals(200, http.postMultipart("/predict", "file", "ok.mp4", good).statusCode());

            String metrics = http.get("/metrics").body();
            assertEquals(
                    5,
                    metric(
                            metrics,
                            "tsam_serve_requests_total",
                            "route=\"/predict\",status=\"400\""),
                    metrics);
            assertEquals(
                    3,
                    metric(
                            metrics,
                            "tsam_serve_requests_total",
                            "route=\"/predict\",status=\"413\""),
                    metrics);
            assertEquals(
                    1,
                    metric(
                            metrics,
                            "tsam_serve_requests_total",
                            "route=\"/predict\",status=\"200\""),
                    metrics);
            assertEquals(
                    2,
                    metric(
                            metrics,
                            "tsam_serve_errors_total",
                            "reason=\"invalid_media\",route=\"/predict\""),
                    metrics);
            assertEquals(
                    3,
                    metric(
                            metrics,
                            "tsam_serve_errors_total",
                            "reason=\"payload_too_large\",route=\"/predict\""),
                    metrics);
            assertEquals(
                    9,
                    metric(
                            metrics,
                            "tsam_serve_request_duration_seconds_count",
                            "route=\"/predict\""),
                    metrics);
            try (var files = Files.list(server.tempDir())) {
                assertEquals(List.of(), files.toList(), "every upload's file was deleted");
            }
        }
    }

    @Test
    void aFloodBeyondTheQueueIsRefusedAtOnceAndTheQueueStaysBounded() throws Exception {
        ControlledBackend backend = new ControlledBackend(TinyBackends.tsam(), 40);
        int clients = 24;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        float[][] in = randomInputs(1, 5);
        String body = inferBody(in, 1, false, null);
        float[] expected = referenceLogits(in, 1);
        try (InferenceServer server =
                start(backend, c -> c.optMaxQueue(4).optMaxBatch(2).optMaxDelay(Duration.ZERO))) {
            HttpTestClient http = new HttpTestClient(server.baseUrl());
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < clients * 2; i++) {
                answers.add(pool.submit(() -> http.postJson(INFER, body)));
            }
            int ok = 0;
            int refused = 0;
            for (Future<HttpResponse<String>> future : answers) {
                HttpResponse<String> answer = future.get();
                if (answer.statusCode() == 429) {
                    refused++;
                    assertEquals("1", answer.headers().firstValue("Retry-After").orElse(""));
                    assertTrue(json(answer).get("error").asText().startsWith("the server is busy"));
                } else {
                    assertEquals(200, answer.statusCode(), answer.body());
                    float[] logits = floats(json(answer).get("outputs").get(0).get("data"));
                    assertEquals(expected[0], logits[0], 1e-5);
                    ok++;
                }
            }
            assertTrue(refused > 0, "a flood of " + answers.size() + " gets some 429s");
            assertTrue(ok >= 4, "the admitted ones are answered: " + ok);
            assertEquals(4, server.peakAdmitted(), "never more than --max-queue admitted");
            assertTrue(server.peakQueued() <= 4, "queue peak " + server.peakQueued());
            String metrics = http.get("/metrics").body();
            assertEquals(
                    refused,
                    metric(
                            metrics,
                            "tsam_serve_errors_total",
                            "reason=\"queue_full\",route=\"/v2/models/{name}/infer\""),
                    metrics);
            assertEquals(0, metric(metrics, "tsam_serve_admitted_requests", ""), metrics);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeAnswersTheRequestsInFlightAndRefusesNewOnes() throws Exception {
        ControlledBackend backend = new ControlledBackend(TinyBackends.tsam(), 0);
        InferenceServer server = start(backend, c -> c.optMaxBatch(1));
        HttpTestClient http = new HttpTestClient(server.baseUrl());
        float[][] in = randomInputs(1, 11);
        String body = inferBody(in, 1, false, null);
        backend.hold();
        CompletableFuture<HttpResponse<String>> running =
                CompletableFuture.supplyAsync(() -> http.postJson(INFER, body));
        assertTrue(backend.awaitRun(10));
        CompletableFuture<HttpResponse<String>> queued =
                CompletableFuture.supplyAsync(() -> http.postJson(INFER, body));
        awaitQueueDepth(http, 1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int ready = 200;
        while (ready == 200 && System.nanoTime() < deadline) {
            ready = http.get("/v2/health/ready").statusCode();
        }
        assertEquals(503, ready, "not ready while closing");
        assertError(http.postJson(INFER, body), 503, "the server is shutting down");
        assertFalse(closing.isDone(), "close waits for the requests in flight");
        assertFalse(backend.closed());

        backend.release();
        float[] expected = referenceLogits(in, 1);
        for (CompletableFuture<HttpResponse<String>> answer : List.of(running, queued)) {
            HttpResponse<String> response = answer.get();
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(
                    expected[3], floats(json(response).get("outputs").get(0).get("data"))[3], 1e-5);
        }
        closing.get();
        assertTrue(backend.closed(), "the backend is closed last");
        assertFalse(Files.exists(server.tempDir()), "the temporary folder is gone");
        assertThrows(UncheckedIOException.class, () -> http.get("/v2/health/live"));
        server.close();
    }
}
