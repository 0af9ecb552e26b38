package io.tsam.runtime.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.runtime.serve.InferRequestParser.InferRequest;
import io.tsam.runtime.serve.InferRequestParser.InputTensor;
import io.tsam.runtime.serve.InferRequestParser.RequestedOutput;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferRequestParserTest {

    private static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    private static InferRequest parse(String json) {
        return new InferRequestParser(100).parse(body(json));
    }

    private static String error(String json) {
        return assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
    }

    @Test
    void readsFlatAndNestedDataInRowMajorOrder() {
        InferRequest request =
                parse(
                        "{\"id\": \"r1\", \"parameters\": {\"x\": [1, {\"y\": 2}]},"
                                + " \"inputs\": ["
                                + "{\"name\": \"video\", \"shape\": [2, 3], \"datatype\": \"FP32\","
                                + " \"data\": [[1, 2, 3], [4.5, -5e-1, 6]], \"parameters\": {}},"
                                + "{\"data\": [7, 8], \"datatype\": \"FP32\", \"shape\": [2],"
                                + " \"name\": \"audio\"}],"
                                + " \"outputs\": [{\"name\": \"logits\", \"parameters\": {}}],"
                                + " \"extension\": null}");

        assertEquals("r1", request.id());
        assertEquals(List.of(new RequestedOutput("logits", null)), request.outputs());
        assertFalse(request.binary("logits"));
        InputTensor video = request.inputs().get(0);
        assertEquals("video", video.name());
        assertEquals("FP32", video.datatype());
        assertArrayEquals(new long[] {2, 3}, video.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4.5f, -0.5f, 6}, video.data());
        InputTensor audio = request.inputs().get(1);
        assertEquals("audio", audio.name());
        assertArrayEquals(new float[] {7, 8}, audio.data());
    }

    @Test
    void idAndOutputsAreOptional() {
        InferRequest request = parse("{\"inputs\": []}");
        assertNull(request.id());
        assertEquals(List.of(), request.outputs());
        assertEquals(List.of(), request.inputs());
    }

    @Test
    void malformedRequestsNameWhatIsWrongAndWhere() {
        assertEquals("the request body must be a JSON object with \"inputs\"", error("[1, 2, 3]"));
        assertEquals("the request has no \"inputs\"", error("{\"id\": \"x\"}"));
        assertEquals("\"id\" must be a string, found 7", error("{\"id\": 7, \"inputs\": []}"));
        assertEquals(
                "inputs[0] ('video') has no [shape, data]",
                error("{\"inputs\": [{\"name\": \"video\", \"datatype\": \"FP32\"}]}"));
        assertEquals(
                "inputs[0].shape must hold integers, found 2.5",
                error("{\"inputs\": [{\"shape\": [1, 2.5]}]}"));
        assertEquals(
                "inputs[0].data must hold only numbers, found null after 2 values",
                error("{\"inputs\": [{\"data\": [[1, 2], [null]]}]}"));
        assertEquals(
                "inputs[0].data must be an array of numbers",
                error("{\"inputs\": [{\"data\": \"AAAA\"}]}"));
        assertEquals(
                "malformed JSON: content after the request object (line 1, column 17)",
                error("{\"inputs\": []} {}"));
        assertEquals(
                "malformed JSON: Unexpected end-of-input: expected close marker for Array (start"
                        + " marker at [line: 1, column: 22]) (line 1, column 27)",
                error("{\"inputs\": [{\"data\": [1, 2"));
    }

    @Test
    void dataBeyondTheLimitIsRefusedWithoutReadingOn() {
        String json = "{\"inputs\": [{\"data\": [" + "1,".repeat(100) + "1]}]}";

        assertEquals(
                "inputs[0].data holds more than 100 values, the most one request of this model"
                        + " may send (--max-batch samples)",
                error(json));
    }

    @Test
    void aBodyOverTheByteLimitIsCutOffWhileParsing() {
        String json = "{\"inputs\": [{\"data\": [" + "1,".repeat(5000) + "1]}]}";
        InputStream bounded = new BoundedInputStream(body(json), 1000);

        ServeException e =
                assertThrows(
                        ServeException.class,
                        () -> new InferRequestParser(1_000_000).parse(bounded));

        assertEquals(ServeException.Reason.PAYLOAD_TOO_LARGE, e.reason());
        assertEquals(
                "the request body exceeds the server's limit of 1000 bytes (--max-upload-mb)",
                e.getMessage());
    }

    private static InputStream binaryBody(String json, float... values) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body =
                ByteBuffer.allocate(header.length + values.length * Float.BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN);
        body.put(header);
        for (float v : values) {
            body.putFloat(v);
        }
        return new ByteArrayInputStream(body.array());
    }

    @Test
    void binaryInputsFollowTheJsonHeaderInInputOrder() {
        String json =
                "{\"inputs\": [{\"name\": \"a\", \"shape\": [2], \"datatype\": \"FP32\","
                        + " \"parameters\": {\"binary_data_size\": 8}},"
                        + " {\"name\": \"b\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [9]},"
                        + " {\"name\": \"c\", \"shape\": [1], \"datatype\": \"FP32\","
                        + " \"parameters\": {\"binary_data_size\": 4}}],"
                        + " \"parameters\": {\"binary_data_output\": true}}";
        InferRequest request =
                new InferRequestParser(100)
                        .parse(
                                binaryBody(json, 1.5f, -2f, 3.25f),
                                json.getBytes(StandardCharsets.UTF_8).length);
        assertArrayEquals(new float[] {1.5f, -2f}, request.inputs().get(0).data());
        assertArrayEquals(new float[] {9}, request.inputs().get(1).data());
        assertArrayEquals(new float[] {3.25f}, request.inputs().get(2).data());
        assertTrue(request.binary("logits"));
    }

    @Test
    void aChunkedBodyShorterThanItsHeaderLengthSaysSo() {
        String json = "{\"inputs\": []}";
        String message =
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new InferRequestParser(100).parse(body(json), 40))
                        .getMessage();
        assertEquals(
                "Inference-Header-Content-Length is 40 bytes but the body ends after 14 bytes",
                message);
    }
}
