package io.tsam.benchmarks;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.tsam.backend.InferenceBackend;
import io.tsam.config.ModelMetadata;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.pipeline.MediaConfig;
import io.tsam.runtime.predict.Predictor;
import io.tsam.runtime.serve.InferenceServer;
import io.tsam.runtime.serve.ServeConfig;
import io.tsam.runtime.serve.grpc.GRPCInferenceServiceGrpc;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ModelInferRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the server adds for one client: {@code POST /predict} of a video against {@link
 * Predictor#predict} of the same file, and a one-sample {@code infer} request (the video's own
 * clip) against the backend's run, sent as the Open Inference Protocol's JSON, with Triton's binary
 * tensor data extension (as {@code tritonclient.http} sends by default), and over gRPC with {@code
 * raw_input_contents} (as {@code tritonclient.grpc} does), each pair alternated; plus the bare HTTP
 * round trip of {@code GET /v2/health/live}.
 */
final class ServeOverhead {

    /** The serving goal: one client's request within this fraction above the direct call. */
    static final double GOAL = 0.05;

    private static final String BOUNDARY = "tsam-benchmark-boundary";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final InferenceBackend backend;
    private final Predictor predictor;
    private final Path video;
    private final int warmup;
    private final int rounds;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /**
     * A measurement of the server against {@code predictor} and {@code backend}, the direct side.
     *
     * @param predictor predicts on {@code backend}
     * @param video the video uploaded and decoded; its first test clip is the infer request's
     */
    ServeOverhead(
            InferenceBackend backend, Predictor predictor, Path video, int warmup, int rounds) {
        this.backend = backend;
        this.predictor = predictor;
        this.video = video;
        this.warmup = warmup;
        this.rounds = rounds;
    }

    /**
     * Starts a server in this process, as {@code tsam-run serve} does with its defaults, and
     * measures it. In the same process, the server's CPU time is not counted as other processes'
     * when rounds are told apart as quiet or contended.
     *
     * @param serverBackend a second session of the same model, which the server owns and closes
     */
    List<Map<String, Object>> measure(InferenceBackend serverBackend) {
        ServeConfig config =
                ServeConfig.builder()
                        .setModelName(ServeConfig.defaultModelName(serverBackend.modelFile()))
                        .optPort(0)
                        .optGrpcPort(0)
                        .build();
        try (InferenceServer server =
                InferenceServer.start(serverBackend, predictor.metadata(), config)) {
            ManagedChannel channel =
                    ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                            .usePlaintext()
                            .maxInboundMessageSize(Integer.MAX_VALUE)
                            .build();
            try {
                return measure(server.baseUrl(), config.modelName(), channel);
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private List<Map<String, Object>> measure(String baseUrl, String name, ManagedChannel channel) {
        ClipTensors clip = predictor.prepare(video).clips().get(0);
        ClipInputs inputs = ClipInputs.of(clip, 1);
        byte[] upload = multipart(video);
        byte[] infer = inferBody(clip, predictor.preprocessor().media());
        HttpRequest predictRequest =
                request(baseUrl + "/predict")
                        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(upload))
                        .build();
        HttpRequest inferRequest =
                request(baseUrl + "/v2/models/" + name + "/infer")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(infer))
                        .build();
        BinaryInfer binary = binaryInfer(clip, predictor.preprocessor().media());
        HttpRequest binaryRequest =
                request(baseUrl + "/v2/models/" + name + "/infer")
                        .header(
                                "Inference-Header-Content-Length",
                                Integer.toString(binary.header()))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(binary.body()))
                        .build();
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub =
                GRPCInferenceServiceGrpc.newBlockingStub(channel);
        ModelInferRequest grpcRequest = grpcInfer(name, clip, predictor.preprocessor().media());
        HttpRequest live = request(baseUrl + "/v2/health/live").GET().build();
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(
                pair(
                        "POST /predict (multipart upload) vs Predictor.predict",
                        upload.length,
                        () -> predictor.predict(video),
                        () -> send(predictRequest)));
        rows.add(
                pair(
                        "POST infer, N=1 JSON vs backend run",
                        infer.length,
                        () -> inputs.run(backend),
                        () -> send(inferRequest)));
        rows.add(
                pair(
                        "POST infer, N=1 binary tensor data vs backend run",
                        binary.body().length,
                        () -> inputs.run(backend),
                        () -> send(binaryRequest)));
        rows.add(
                pair(
                        "gRPC ModelInfer, N=1 raw_input_contents vs backend run",
                        grpcRequest.getSerializedSize(),
                        () -> inputs.run(backend),
                        () -> {
                            if (stub.withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                                            .modelInfer(grpcRequest)
                                            .getRawOutputContentsCount()
                                    != 1) {
                                throw new IllegalStateException("ModelInfer answered no logits");
                            }
                        }));
        Samples s = new Samples();
        s.run(warmup, rounds, List.of(() -> s.add("http_ms", Samples.timeMs(() -> send(live)))));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("measure", "GET /v2/health/live, the HTTP round trip alone");
        row.put("http_ms_median", s.median("http_ms"));
        // Rounds of a millisecond are too short for the CPU counters to tell who was busy.
        row.put("loadavg_1min_median", s.median(Samples.LOADAVG));
        rows.add(row);
        System.out.printf(Locale.ROOT, "GET /v2/health/live: %.2f ms%n", s.median("http_ms"));
        return rows;
    }

    private Map<String, Object> pair(
            String measure, long bodyBytes, Runnable direct, Runnable server) {
        Samples s = new Samples();
        s.run(
                warmup,
                rounds,
                List.of(
                        () -> s.add("direct_ms", Samples.timeMs(direct)),
                        () -> s.add("http_ms", Samples.timeMs(server))));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("measure", measure);
        row.put("video", video.getFileName().toString());
        row.put("body_bytes", bodyBytes);
        row.put("goal", GOAL);
        Map<String, List<Integer>> regimes = new LinkedHashMap<>();
        regimes.put("", s.rounds(c -> true));
        regimes.put("_quiet", s.quietRounds());
        regimes.put("_contended", s.contendedRounds());
        StringBuilder line = new StringBuilder(measure + ", " + bodyBytes + "-byte body");
        for (Map.Entry<String, List<Integer>> regime : regimes.entrySet()) {
            String suffix = regime.getKey();
            List<Integer> rounds = regime.getValue();
            double directMs = s.median("direct_ms", rounds);
            double httpMs = s.median("http_ms", rounds);
            double overhead = httpMs / directMs - 1;
            row.put("direct_ms_median" + suffix, directMs);
            row.put("http_ms_median" + suffix, httpMs);
            row.put("overhead" + suffix, overhead);
            row.put("goal_met" + suffix, overhead <= GOAL);
            line.append(
                    String.format(
                            Locale.ROOT,
                            "%n  %-11s %2d rounds: %.1f ms vs %.1f ms direct (%+.1f %%)",
                            suffix.isEmpty() ? "all" : suffix.substring(1),
                            rounds.size(),
                            httpMs,
                            directMs,
                            100 * overhead));
        }
        s.loadInto(row);
        row.put("direct_samples_ms", s.values("direct_ms"));
        row.put("http_samples_ms", s.values("http_ms"));
        System.out.println(line);
        return row;
    }

    private static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
    }

    /** Sends a request and checks that it succeeded. */
    private void send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** A {@code multipart/form-data} body with the video as the field {@code file}. */
    private static byte[] multipart(Path video) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            String head =
                    "--"
                            + BOUNDARY
                            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                            + video.getFileName()
                            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
            body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            body.writeBytes(Files.readAllBytes(video));
            body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return body.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + video, e);
        }
    }

    /** A binary infer request: the body and its JSON header's length. */
    private record BinaryInfer(byte[] body, int header) {}

    /** The request {@code tritonclient.http} sends for one clip by default. */
    private static BinaryInfer binaryInfer(ClipTensors clip, MediaConfig media) {
        long t = media.videoSegments();
        long side = media.cropSize();
        StringBuilder json = new StringBuilder("{\"inputs\":[");
        binaryTensor(
                json, ModelMetadata.VIDEO_INPUT, new long[] {1, t, 3, side, side}, clip.video());
        if (clip.audio() != null) {
            json.append(',');
            binaryTensor(
                    json, ModelMetadata.AUDIO_INPUT, new long[] {1, 3, side, side}, clip.audio());
        }
        byte[] header =
                json.append("],\"parameters\":{\"binary_data_output\":true}}")
                        .toString()
                        .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(header);
        body.writeBytes(littleEndian(clip.video()));
        if (clip.audio() != null) {
            body.writeBytes(littleEndian(clip.audio()));
        }
        return new BinaryInfer(body.toByteArray(), header.length);
    }

    private static void binaryTensor(StringBuilder json, String name, long[] shape, float[] data) {
        json.append("{\"name\":\"").append(name).append("\",\"datatype\":\"FP32\",\"shape\":[");
        for (int i = 0; i < shape.length; i++) {
            json.append(i == 0 ? "" : ",").append(shape[i]);
        }
        json.append("],\"parameters\":{\"binary_data_size\":")
                .append((long) data.length * Float.BYTES)
                .append("}}");
    }

    /** The request {@code tritonclient.grpc} sends for one clip. */
    private static ModelInferRequest grpcInfer(String name, ClipTensors clip, MediaConfig media) {
        long t = media.videoSegments();
        long side = media.cropSize();
        ModelInferRequest.Builder request =
                ModelInferRequest.newBuilder()
                        .setModelName(name)
                        .addInputs(
                                ModelInferRequest.InferInputTensor.newBuilder()
                                        .setName(ModelMetadata.VIDEO_INPUT)
                                        .setDatatype("FP32")
                                        .addAllShape(List.of(1L, t, 3L, side, side)))
                        .addRawInputContents(ByteString.copyFrom(littleEndian(clip.video())));
        if (clip.audio() != null) {
            request.addInputs(
                            ModelInferRequest.InferInputTensor.newBuilder()
                                    .setName(ModelMetadata.AUDIO_INPUT)
                                    .setDatatype("FP32")
                                    .addAllShape(List.of(1L, 3L, side, side)))
                    .addRawInputContents(ByteString.copyFrom(littleEndian(clip.audio())));
        }
        return request.build();
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer bytes =
                ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    /** The infer request a client would send for one clip: FP32 values as JSON numbers. */
    private static byte[] inferBody(ClipTensors clip, MediaConfig media) {
        long t = media.videoSegments();
        long side = media.cropSize();
        StringBuilder json = new StringBuilder("{\"inputs\":[");
        tensor(json, ModelMetadata.VIDEO_INPUT, new long[] {1, t, 3, side, side}, clip.video());
        if (clip.audio() != null) {
            json.append(',');
            tensor(json, ModelMetadata.AUDIO_INPUT, new long[] {1, 3, side, side}, clip.audio());
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void tensor(StringBuilder json, String name, long[] shape, float[] data) {
        json.append("{\"name\":\"").append(name).append("\",\"datatype\":\"FP32\",\"shape\":[");
        for (int i = 0; i < shape.length; i++) {
            json.append(i == 0 ? "" : ",").append(shape[i]);
        }
        json.append("],\"data\":[");
        for (int i = 0; i < data.length; i++) {
            json.append(i == 0 ? "" : ",").append(data[i]);
        }
        json.append("]}");
    }
}
