package io.tsam.runtime.serve;

import static io.tsam.runtime.serve.HttpTestClient.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tsam.backend.OrtBackend;
import io.tsam.config.ModelMetadata;
import io.tsam.runtime.serve.grpc.GRPCInferenceServiceGrpc;
import io.tsam.runtime.serve.grpc.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.InferTensorContents;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ModelInferRequest;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ModelInferRequest.InferInputTensor;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ModelInferResponse;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ModelMetadataRequest;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ModelMetadataResponse;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ModelReadyRequest;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ServerLiveRequest;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ServerMetadataRequest;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ServerMetadataResponse;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ServerReadyRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KServe v2 gRPC service driven by a client generated from the protocol's {@code .proto}, as
 * Triton's gRPC client calls it (raw_input_contents in, raw_output_contents out), against the
 * backend run in process; and the admission limit and metrics it shares with the REST API.
 */
class GrpcInferenceServiceTest {

    private static final String NAME = "tiny_tsam";
    private static final List<Long> VIDEO_SHAPE = List.of(2L, 3L, 3L, 32L, 32L);
    private static final List<Long> AUDIO_SHAPE = List.of(2L, 3L, 32L, 32L);

    private static OrtBackend reference;
    private static ModelMetadata metadata;
    private static float[] video;
    private static float[] audio;
    private static float[] expected;

    @BeforeAll
    static void setUp() {
        reference = TinyBackends.tsam();
        metadata = ModelMetadata.parse(reference.metadata(), reference.modelFile());
        TinyBackends.Samples samples = TinyBackends.Samples.of(reference, 2, 9);
        video = samples.video();
        audio = samples.audio();
        expected = samples.logits();
    }

    @AfterAll
    static void tearDown() {
        reference.close();
    }

    private static InferenceServer start(InferenceBackendFactory backend, int maxQueue) {
        return InferenceServer.start(
                backend.create(),
                metadata,
                ServeConfig.builder()
                        .setModelName(NAME)
                        .optPort(0)
                        .optGrpcPort(0)
                        .optMaxBatch(4)
                        .optMaxQueue(maxQueue)
                        .build());
    }

    /** Makes the backend a server owns. */
    private interface InferenceBackendFactory {
        io.tsam.backend.InferenceBackend create();
    }

    private static ManagedChannel channel(InferenceServer server) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .build();
    }

    private static ByteString raw(float[] values) {
        ByteBuffer bytes =
                ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return ByteString.copyFrom(bytes.array());
    }

    private static InferInputTensor.Builder input(String name, List<Long> shape) {
        return InferInputTensor.newBuilder().setName(name).setDatatype("FP32").addAllShape(shape);
    }

    /** A request as {@code tritonclient.grpc} sends one: raw contents, outputs named. */
    private static ModelInferRequest rawRequest(String id) {
        return ModelInferRequest.newBuilder()
                .setModelName(NAME)
                .setId(id)
                .addInputs(input("video", VIDEO_SHAPE))
                .addInputs(input("audio", AUDIO_SHAPE))
                .addOutputs(
                        ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("logits"))
                .addRawInputContents(raw(video))
                .addRawInputContents(raw(audio))
                .build();
    }

    private static void assertLogits(ModelInferResponse response) {
        assertEquals(NAME, response.getModelName());
        assertEquals("1", response.getModelVersion());
        assertEquals("logits", response.getOutputs(0).getName());
        assertEquals("FP32", response.getOutputs(0).getDatatype());
        assertEquals(List.of(2L, 8L), response.getOutputs(0).getShapeList());
        float[] actual = new float[expected.length];
        response.getRawOutputContents(0)
                .asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(actual);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "logit " + i);
        }
    }

    private static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    @Test
    void theServiceAnswersLikeTheRestApiAndTheModelInProcess() throws Exception {
        try (InferenceServer server = start(TinyBackends::tsam, 8)) {
            ManagedChannel channel = channel(server);
            try {
                GRPCInferenceServiceBlockingStub stub =
                        GRPCInferenceServiceGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(30, TimeUnit.SECONDS);
                assertTrue(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
                assertTrue(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
                assertTrue(
                        stub.modelReady(ModelReadyRequest.newBuilder().setName(NAME).build())
                                .getReady());
                ServerMetadataResponse server0 =
                        stub.serverMetadata(ServerMetadataRequest.getDefaultInstance());
                assertEquals("tsam", server0.getName());
                assertEquals(List.of("binary_tensor_data"), server0.getExtensionsList());
                ModelMetadataResponse model =
                        stub.modelMetadata(
                                ModelMetadataRequest.newBuilder()
                                        .setName(NAME)
                                        .setVersion("1")
                                        .build());
                assertEquals("onnxruntime_onnx", model.getPlatform());
                assertEquals(List.of("1"), model.getVersionsList());
                assertEquals("video", model.getInputs(0).getName());
                assertEquals(List.of(-1L, 3L, 3L, 32L, 32L), model.getInputs(0).getShapeList());
                assertEquals(List.of(-1L, 8L), model.getOutputs(0).getShapeList());

                ModelInferResponse response = stub.modelInfer(rawRequest("g1"));
                assertEquals("g1", response.getId());
                assertLogits(response);

                InferTensorContents.Builder videoContents = InferTensorContents.newBuilder();
                for (float v : video) {
                    videoContents.addFp32Contents(v);
                }
                InferTensorContents.Builder audioContents = InferTensorContents.newBuilder();
                for (float v : audio) {
                    audioContents.addFp32Contents(v);
                }
                assertLogits(
                        stub.modelInfer(
                                ModelInferRequest.newBuilder()
                                        .setModelName(NAME)
                                        .addInputs(
                                                input("video", VIDEO_SHAPE)
                                                        .setContents(videoContents))
                                        .addInputs(
                                                input("audio", AUDIO_SHAPE)
                                                        .setContents(audioContents))
                                        .build()));

                assertEquals(
                        Status.Code.NOT_FOUND,
                        code(
                                () ->
                                        stub.modelInfer(
                                                rawRequest("x").toBuilder()
                                                        .setModelName("other")
                                                        .build())));
                assertEquals(
                        Status.Code.NOT_FOUND,
                        code(
                                () ->
                                        stub.modelReady(
                                                ModelReadyRequest.newBuilder()
                                                        .setName(NAME)
                                                        .setVersion("2")
                                                        .build())));
                StatusRuntimeException shape =
                        assertThrows(
                                StatusRuntimeException.class,
                                () ->
                                        stub.modelInfer(
                                                rawRequest("x").toBuilder()
                                                        .setInputs(
                                                                1,
                                                                input(
                                                                        "audio",
                                                                        List.of(2L, 3L, 16L, 64L)))
                                                        .build()));
                assertEquals(Status.Code.INVALID_ARGUMENT, shape.getStatus().getCode());
                assertTrue(
                        shape.getStatus()
                                .getDescription()
                                .startsWith("input 'audio' has shape [2, 3, 16, 64]"),
                        shape.getStatus().getDescription());
                assertEquals(
                        Status.Code.INVALID_ARGUMENT,
                        code(
                                () ->
                                        stub.modelInfer(
                                                rawRequest("x").toBuilder()
                                                        .clearRawInputContents()
                                                        .addRawInputContents(raw(video))
                                                        .build())));
                assertEquals(
                        Status.Code.INVALID_ARGUMENT,
                        code(
                                () ->
                                        stub.modelInfer(
                                                rawRequest("x").toBuilder()
                                                        .setRawInputContents(
                                                                0, ByteString.copyFrom(new byte[7]))
                                                        .build())));

                String metrics = new HttpTestClient(server.baseUrl()).get("/metrics").body();
                String route = "route=\"/inference.GRPCInferenceService/ModelInfer\"";
                assertEquals(
                        2,
                        metric(metrics, "tsam_serve_requests_total", route + ",status=\"OK\""),
                        metrics);
                assertEquals(
                        3,
                        metric(
                                metrics,
                                "tsam_serve_requests_total",
                                route + ",status=\"INVALID_ARGUMENT\""),
                        metrics);
                assertEquals(
                        3,
                        metric(
                                metrics,
                                "tsam_serve_errors_total",
                                "reason=\"invalid_input\"," + route),
                        metrics);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void httpAndGrpcShareOneAdmissionLimit() throws Exception {
        ControlledBackend backend = new ControlledBackend(TinyBackends.tsam(), 0);
        try (InferenceServer server = start(() -> backend, 1)) {
            ManagedChannel channel = channel(server);
            try {
                GRPCInferenceServiceBlockingStub stub =
                        GRPCInferenceServiceGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(30, TimeUnit.SECONDS);
                backend.hold();
                TritonHttpRequest http =
                        new TritonHttpRequest()
                                .input("video", new long[] {2, 3, 3, 32, 32}, video, true)
                                .input("audio", new long[] {2, 3, 32, 32}, audio, true);
                HttpTestClient client = new HttpTestClient(server.baseUrl());
                CompletableFuture<HttpResponse<byte[]>> busy =
                        CompletableFuture.supplyAsync(
                                () -> http.send(client, "/v2/models/" + NAME + "/infer"));
                assertTrue(backend.awaitRun(10), "the HTTP request reached the model");
                StatusRuntimeException refused =
                        assertThrows(
                                StatusRuntimeException.class,
                                () -> stub.modelInfer(rawRequest("r")));
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
                backend.release();
                HttpResponse<byte[]> answered = busy.get(30, TimeUnit.SECONDS);
                assertEquals(200, answered.statusCode());
                assertLogits(stub.modelInfer(rawRequest("after")));
                assertEquals(
                        Arrays.toString(expected),
                        Arrays.toString(TritonHttpRequest.Result.of(answered).output(0)));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        assertEquals(
                Status.Code.UNAVAILABLE,
                code(
                        () -> {
                            ManagedChannel closed =
                                    ManagedChannelBuilder.forAddress("127.0.0.1", 1)
                                            .usePlaintext()
                                            .build();
                            try {
                                GRPCInferenceServiceGrpc.newBlockingStub(closed)
                                        .serverLive(ServerLiveRequest.getDefaultInstance());
                            } finally {
                                closed.shutdownNow();
                            }
                        }));
    }
}
