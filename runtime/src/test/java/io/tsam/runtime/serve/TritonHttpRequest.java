package io.tsam.runtime.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An infer request laid out as Triton's {@code tritonclient.http} lays it out ({@code
 * _get_inference_request}): inputs given by {@code set_data_from_numpy} with its default {@code
 * binary_data=True} carry {@code parameters.binary_data_size} and their bytes follow the JSON in
 * input order; without requested outputs the request asks for {@code binary_data_output}; the
 * JSON's length goes in {@code Inference-Header-Content-Length}. The answer is read as {@code
 * InferResult} reads it.
 */
final class TritonHttpRequest {

    private record Input(String name, long[] shape, float[] data, boolean binary) {}

    private final List<Input> inputs = new ArrayList<>();
    private final Map<String, Boolean> outputs = new LinkedHashMap<>();
    private String id;

    TritonHttpRequest input(String name, long[] shape, float[] data, boolean binary) {
        inputs.add(new Input(name, shape, data, binary));
        return this;
    }

    /** An {@code InferRequestedOutput(name, binary_data=binary)}. */
    TritonHttpRequest output(String name, boolean binary) {
        outputs.put(name, binary);
        return this;
    }

    TritonHttpRequest id(String id) {
        this.id = id;
        return this;
    }

    /** The JSON header. */
    String header() {
        ObjectNode root = HttpTestClient.JSON.createObjectNode();
        if (id != null) {
            root.put("id", id);
        }
        ArrayNode list = root.putArray("inputs");
        for (Input input : inputs) {
            ObjectNode tensor = list.addObject();
            tensor.put("name", input.name());
            ArrayNode shape = tensor.putArray("shape");
            Arrays.stream(input.shape()).forEach(shape::add);
            tensor.put("datatype", "FP32");
            if (input.binary()) {
                tensor.putObject("parameters")
                        .put("binary_data_size", (long) input.data().length * Float.BYTES);
            } else {
                ArrayNode data = tensor.putArray("data");
                for (float v : input.data()) {
                    data.add(v);
                }
            }
        }
        if (outputs.isEmpty()) {
            root.putObject("parameters").put("binary_data_output", true);
        } else {
            ArrayNode list2 = root.putArray("outputs");
            outputs.forEach(
                    (name, binary) ->
                            list2.addObject()
                                    .put("name", name)
                                    .putObject("parameters")
                                    .put("binary_data", binary));
        }
        return root.toString();
    }

    /** The body: the header, then the binary inputs' little-endian values. */
    byte[] body() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(header().getBytes(StandardCharsets.UTF_8));
        for (Input input : inputs) {
            if (input.binary()) {
                body.writeBytes(littleEndian(input.data()));
            }
        }
        return body.toByteArray();
    }

    /** Whether any input goes as binary data, so that the header length must be sent. */
    boolean hasBinary() {
        return inputs.stream().anyMatch(Input::binary);
    }

    /** The POST, with the header length when there is binary data. */
    HttpRequest.Builder post(HttpTestClient http, String path, byte[] body) {
        HttpRequest.Builder request =
                http.request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (hasBinary()) {
            request.header(
                    "Inference-Header-Content-Length",
                    Integer.toString(header().getBytes(StandardCharsets.UTF_8).length));
        }
        return request;
    }

    HttpResponse<byte[]> send(HttpTestClient http, String path) {
        return http.sendBytes(post(http, path, body()).build());
    }

    static byte[] littleEndian(float[] values) {
        ByteBuffer bytes =
                ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    /**
     * An answer as {@code InferResult} reads it.
     *
     * @param json the JSON part
     * @param binary the bytes after it
     */
    record Result(JsonNode json, byte[] binary) {

        static Result of(HttpResponse<byte[]> response) {
            byte[] body = response.body();
            Optional<String> length =
                    response.headers().firstValue("Inference-Header-Content-Length");
            int jsonLength = length.map(Integer::parseInt).orElse(body.length);
            try {
                JsonNode json = HttpTestClient.JSON.readTree(Arrays.copyOf(body, jsonLength));
                return new Result(json, Arrays.copyOfRange(body, jsonLength, body.length));
            } catch (IOException e) {
                throw new UncheckedIOException(new String(body, StandardCharsets.UTF_8), e);
            }
        }

        /** Output {@code index}'s values, from its {@code data} or from the binary part. */
        float[] output(int index) {
            int offset = 0;
            for (int i = 0; i < index; i++) {
                offset += binarySize(json.get("outputs").get(i));
            }
            JsonNode output = json.get("outputs").get(index);
            if (output.has("data")) {
                float[] values = new float[output.get("data").size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = output.get("data").get(i).floatValue();
                }
                return values;
            }
            int size = binarySize(output);
            float[] values = new float[size / Float.BYTES];
            ByteBuffer.wrap(binary, offset, size)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(values);
            return values;
        }

        private static int binarySize(JsonNode output) {
            JsonNode parameters = output.get("parameters");
            return parameters == null || !parameters.has("binary_data_size")
                    ? 0
                    : parameters.get("binary_data_size").asInt();
        }
    }
}
