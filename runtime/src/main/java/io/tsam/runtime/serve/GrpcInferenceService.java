package io.tsam.runtime.serve;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.tsam.runtime.serve.InferRequestParser.InferRequest;
import io.tsam.runtime.serve.InferRequestParser.InputTensor;
import io.tsam.runtime.serve.InferRequestParser.RequestedOutput;
import io.tsam.runtime.serve.OipMessages.ModelMetadataBody;
import io.tsam.runtime.serve.OipMessages.TensorMetadata;
import io.tsam.runtime.serve.grpc.GRPCInferenceServiceGrpc;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.InferTensorContents;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ModelInferRequest;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ModelInferResponse;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ModelMetadataRequest;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ModelMetadataResponse;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ModelReadyRequest;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ModelReadyResponse;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ServerLiveRequest;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ServerLiveResponse;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ServerMetadataRequest;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ServerMetadataResponse;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ServerReadyRequest;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ServerReadyResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KServe v2 gRPC service ({@code inference.GRPCInferenceService}): the same model, batcher,
 * admission limit and metrics as the REST API, through {@link InferService}. Tensors come as {@code
 * raw_input_contents} (what Triton's clients send) or typed {@code contents}; logits go back as
 * {@code raw_output_contents}, as Triton answers. Errors carry the status the REST API's HTTP code
 * corresponds to: 400 INVALID_ARGUMENT, 404 NOT_FOUND, 413 and 429 RESOURCE_EXHAUSTED, 503
 * UNAVAILABLE, 500 INTERNAL.
 */
final class GrpcInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    private static final Logger logger = LoggerFactory.getLogger(GrpcInferenceService.class);

    /** The metrics' route label of a method, its gRPC path. */
    private static final String ROUTE_PREFIX = "/" + GRPCInferenceServiceGrpc.SERVICE_NAME + "/";

    private static final Map<Integer, Status> STATUS_OF_HTTP =
            Map.of(
                    400, Status.INVALID_ARGUMENT,
                    404, Status.NOT_FOUND,
                    413, Status.RESOURCE_EXHAUSTED,
                    429, Status.RESOURCE_EXHAUSTED,
                    503, Status.UNAVAILABLE);

    private final InferService service;
    private final ServeMetrics metrics;

    GrpcInferenceService(InferService service, ServeMetrics metrics) {
        this.service = service;
        this.metrics = metrics;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        answer("ServerLive", out, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        answer(
                "ServerReady",
                out,
                () -> ServerReadyResponse.newBuilder().setReady(service.ready()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        answer(
                "ModelReady",
                out,
                () -> {
                    service.checkModel(request.getName(), request.getVersion());
                    return ModelReadyResponse.newBuilder().setReady(service.ready()).build();
                });
    }

    @Override
    public void serverMetadata(
            ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        answer(
                "ServerMetadata",
                out,
                () ->
                        ServerMetadataResponse.newBuilder()
                                .setName(InferService.SERVER_NAME)
                                .setVersion(InferService.SERVER_VERSION)
                                .addAllExtensions(InferService.EXTENSIONS)
                                .build());
    }

    @Override
    public void modelMetadata(
            ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        answer(
                "ModelMetadata",
                out,
                () -> {
                    service.checkModel(request.getName(), request.getVersion());
                    ModelMetadataBody body = service.metadata();
                    ModelMetadataResponse.Builder response =
                            ModelMetadataResponse.newBuilder()
                                    .setName(body.name())
                                    .addAllVersions(body.versions())
                                    .setPlatform(body.platform());
                    body.inputs().forEach(t -> response.addInputs(tensor(t)));
                    body.outputs().forEach(t -> response.addOutputs(tensor(t)));
                    return response.build();
                });
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        answer(
                "ModelInfer",
                out,
                () -> {
                    service.checkModel(request.getModelName(), request.getModelVersion());
                    try (DynamicBatcher.Admission admission = service.admit()) {
                        InferService.Outcome outcome = service.infer(admission, convert(request));
                        ByteBuffer raw =
                                ByteBuffer.allocate(outcome.logits().length * Float.BYTES)
                                        .order(ByteOrder.LITTLE_ENDIAN);
                        raw.asFloatBuffer().put(outcome.logits());
                        return ModelInferResponse.newBuilder()
                                .setModelName(service.modelName())
                                .setModelVersion(InferService.VERSION)
                                .setId(request.getId())
                                .addOutputs(
                                        ModelInferResponse.InferOutputTensor.newBuilder()
                                                .setName(outcome.output())
                                                .setDatatype(InferInputs.DATATYPE)
                                                .addAllShape(outcome.shape()))
                                .addRawOutputContents(ByteString.copyFrom(raw.array()))
                                .build();
                    }
                });
    }

    /** The request as the REST parser would have read it. */
    private InferRequest convert(ModelInferRequest request) {
        int raw = request.getRawInputContentsCount();
        if (raw > 0 && raw != request.getInputsCount()) {
            throw new IllegalArgumentException(
                    "raw_input_contents holds "
                            + raw
                            + " tensors for "
                            + request.getInputsCount()
                            + " inputs; send one per input, in input order");
        }
        List<InputTensor> inputs = new ArrayList<>(request.getInputsCount());
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = request.getInputs(i);
            String what = "input '" + input.getName() + "'";
            float[] data;
            if (raw > 0) {
                if (input.hasContents()) {
                    throw new IllegalArgumentException(
                            what + " has contents although the request sends raw_input_contents");
                }
                ByteString bytes = request.getRawInputContents(i);
                InferInputs.checkBinarySize(
                        what, "raw_input_contents size", bytes.size(), service.maxValues());
                data = new float[bytes.size() / Float.BYTES];
                bytes.asReadOnlyByteBuffer()
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .get(data);
            } else {
                InferTensorContents contents = input.getContents();
                data = new float[contents.getFp32ContentsCount()];
                for (int k = 0; k < data.length; k++) {
                    data[k] = contents.getFp32Contents(k);
                }
            }
            long[] shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
            inputs.add(new InputTensor(input.getName(), input.getDatatype(), shape, data));
        }
        List<RequestedOutput> outputs =
                request.getOutputsList().stream()
                        .map(o -> new RequestedOutput(o.getName(), null))
                        .toList();
        return new InferRequest(
                request.getId().isEmpty() ? null : request.getId(), inputs, outputs, true);
    }

    private static ModelMetadataResponse.TensorMetadata tensor(TensorMetadata t) {
        return ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(t.name())
                .setDatatype(t.datatype())
                .addAllShape(t.shape())
                .build();
    }

    /** Runs one call, answers it or its error with the mapped status, and counts it. */
    private <T> void answer(String method, StreamObserver<T> out, Supplier<T> call) {
        String route = ROUTE_PREFIX + method;
        long start = System.nanoTime();
        Status status;
        try {
            T response = call.get();
            out.onNext(response);
            out.onCompleted();
            status = Status.OK;
        } catch (RuntimeException e) {
            ErrorMapping.Mapped mapped = ErrorMapping.of(e);
            if (ErrorMapping.isInternal(mapped)) {
                logger.error("{} failed", route, e);
            }
            metrics.error(route, mapped.reason());
            status =
                    STATUS_OF_HTTP
                            .getOrDefault(mapped.status(), Status.INTERNAL)
                            .withDescription(mapped.message());
            out.onError(new StatusRuntimeException(status));
        }
        metrics.request(route, status.getCode().name(), (System.nanoTime() - start) / 1e9);
    }
}
