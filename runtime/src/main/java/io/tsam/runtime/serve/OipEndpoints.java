package io.tsam.runtime.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import io.tsam.runtime.serve.InferRequestParser.InferRequest;
import io.tsam.runtime.serve.OipMessages.InferResponse;
import io.tsam.runtime.serve.OipMessages.OutputTensor;
import io.tsam.runtime.serve.OipMessages.ServerMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * The Open Inference Protocol v2 REST handlers (KServe, Triton): server metadata, health, model
 * metadata and readiness, and inference on tensors sent as JSON or with Triton's binary tensor data
 * extension, in either direction.
 */
final class OipEndpoints {

    /** The path parameter of the model name. */
    static final String NAME_PARAM = "name";

    /** The path parameter of the model version. */
    static final String VERSION_PARAM = "version";

    private static final String BINARY_CONTENT = "application/octet-stream";

    private final InferService service;
    private final BodyLimit limit;
    private final InferRequestParser parser;
    private final ObjectMapper json = JsonMapper.builder().build();

    OipEndpoints(InferService service, BodyLimit limit) {
        this.service = service;
        this.limit = limit;
        this.parser = new InferRequestParser(service.maxValues());
    }

    /** {@code GET /v2}: the server's name, version and protocol extensions. */
    void server(Context ctx) {
        ctx.json(
                new ServerMetadata(
                        InferService.SERVER_NAME,
                        InferService.SERVER_VERSION,
                        InferService.EXTENSIONS));
    }

    /** {@code GET /v2/health/live}: 200 while the process serves at all. */
    void live(Context ctx) {
        ctx.status(200);
    }

    /** {@code GET /v2/health/ready}: 200 while requests are admitted, 503 once shutting down. */
    void ready(Context ctx) {
        if (!service.ready()) {
            throw new ServeException(ServeException.Reason.CLOSING, "the server is shutting down");
        }
        ctx.status(200);
    }

    /** {@code GET /v2/models/{name}[/versions/{version}]}: the model's inputs and outputs. */
    void model(Context ctx) {
        checkModel(ctx);
        ctx.json(service.metadata());
    }

    /** {@code GET /v2/models/{name}[/versions/{version}]/ready}. */
    void modelReady(Context ctx) {
        checkModel(ctx);
        ready(ctx);
    }

    /** {@code POST /v2/models/{name}[/versions/{version}]/infer}: logits for the tensors sent. */
    void infer(Context ctx) {
        checkModel(ctx);
        long headerLength = headerLength(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared >= 0 && headerLength > declared && ctx.header("Content-Encoding") == null) {
            throw new IllegalArgumentException(
                    InferRequestParser.HEADER_LENGTH
                            + " is "
                            + headerLength
                            + " bytes but the body ends after "
                            + declared
                            + " bytes");
        }
        InputStream body = decompressed(ctx, limit.open(ctx));
        try (DynamicBatcher.Admission admission = service.admit()) {
            InferRequest request = parser.parse(body, headerLength);
            InferService.Outcome outcome = service.infer(admission, request);
            boolean binary = request.binary(outcome.output());
            OutputTensor tensor =
                    binary
                            ? new OutputTensor(
                                    outcome.output(),
                                    InferInputs.DATATYPE,
                                    outcome.shape(),
                                    Map.of(
                                            "binary_data_size",
                                            (long) outcome.logits().length * Float.BYTES),
                                    null)
                            : new OutputTensor(
                                    outcome.output(),
                                    InferInputs.DATATYPE,
                                    outcome.shape(),
                                    null,
                                    outcome.logits());
            InferResponse response =
                    new InferResponse(
                            service.modelName(),
                            InferService.VERSION,
                            request.id(),
                            List.of(tensor));
            if (!binary) {
                ctx.json(response);
                return;
            }
            byte[] header = toJson(response);
            ByteBuffer out =
                    ByteBuffer.allocate(header.length + outcome.logits().length * Float.BYTES)
                            .order(ByteOrder.LITTLE_ENDIAN);
            out.put(header);
            out.asFloatBuffer().put(outcome.logits());
            ctx.header(InferRequestParser.HEADER_LENGTH, Integer.toString(header.length));
            ctx.contentType(BINARY_CONTENT);
            ctx.result(out.array());
        }
    }

    /** The request's {@value InferRequestParser#HEADER_LENGTH}, or -1 without one. */
    private static long headerLength(Context ctx) {
        String value = ctx.header(InferRequestParser.HEADER_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            long length = Long.parseLong(value.trim());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new IllegalArgumentException(
                InferRequestParser.HEADER_LENGTH
                        + " must be a byte count (an integer >= 0), got '"
                        + value
                        + "'");
    }

    /**
     * The body as sent before compression: Triton's clients compress requests with gzip or deflate
     * when asked to, and say so in {@code Content-Encoding}; the header length counts the
     * uncompressed bytes.
     */
    private static InputStream decompressed(Context ctx, InputStream body) {
        String encoding = ctx.header("Content-Encoding");
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return body;
        }
        try {
            return switch (encoding.trim().toLowerCase(Locale.ROOT)) {
                case "gzip" -> new GZIPInputStream(body);
                case "deflate" -> new InflaterInputStream(body);
                default ->
                        throw new IllegalArgumentException(
                                "Content-Encoding '"
                                        + encoding
                                        + "' is not supported; send gzip, deflate or none");
            };
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "the gzip body cannot be read: " + e.getMessage(), e);
        }
    }

    private byte[] toJson(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkModel(Context ctx) {
        service.checkModel(ctx.pathParam(NAME_PARAM), ctx.pathParamMap().get(VERSION_PARAM));
    }
}
