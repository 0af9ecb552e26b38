package io.tsam.runtime.serve;

import static io.tsam.runtime.serve.HttpTestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsam.backend.OrtBackend;
import io.tsam.config.ModelMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The binary tensor data extension and server metadata, driven the way Triton's HTTP client drives
 * a server ({@link TritonHttpRequest}), against the backend run in process.
 */
class BinaryTensorDataTest {

    private static final String NAME = "tiny_tsam";
    private static final String INFER = "/v2/models/" + NAME + "/infer";
    private static final long[] VIDEO_SHAPE = {2, 3, 3, 32, 32};
    private static final long[] AUDIO_SHAPE = {2, 3, 32, 32};

    private static OrtBackend reference;
    private static InferenceServer server;
    private static HttpTestClient http;
    private static float[] video;
    private static float[] audio;
    private static float[] expected;

    @BeforeAll
    static void setUp() {
        reference = TinyBackends.tsam();
        ModelMetadata metadata = ModelMetadata.parse(reference.metadata(), reference.modelFile());
        server =
                InferenceServer.start(
                        TinyBackends.tsam(),
                        metadata,
                        ServeConfig.builder().setModelName(NAME).optPort(0).optMaxBatch(4).build());
        http = new HttpTestClient(server.baseUrl());
        TinyBackends.Samples samples = TinyBackends.Samples.of(reference, 2, 3);
        video = samples.video();
        audio = samples.audio();
        expected = samples.logits();
    }

    @AfterAll
    static void tearDown() {
        server.close();
        reference.close();
    }

    private static TritonHttpRequest request(boolean binaryVideo, boolean binaryAudio) {
        return new TritonHttpRequest()
                .input("video", VIDEO_SHAPE, video, binaryVideo)
                .input("audio", AUDIO_SHAPE, audio, binaryAudio);
    }

    private static void assertLogits(TritonHttpRequest.Result result) {
        JsonNode output = result.json().get("outputs").get(0);
        assertEquals("logits", output.get("name").asText());
        assertEquals("[2,8]", output.get("shape").toString());
        float[] actual = result.output(0);
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "logit " + i);
        }
    }

    @Test
    void serverMetadataAdvertisesTheExtension() {
        JsonNode server = json(http.get("/v2"));
        assertEquals("tsam", server.get("name").asText());
        assertEquals(InferService.SERVER_VERSION, server.get("version").asText());
        assertTrue(server.get("extensions").toString().contains("\"binary_tensor_data\""));
    }

    @Test
    void tritonClientDefaultsBinaryBothWays() {
        HttpResponse<byte[]> response = request(true, true).id("b1").send(http, INFER);
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertEquals(
                "application/octet-stream",
                response.headers().firstValue("Content-Type").orElseThrow());
        TritonHttpRequest.Result result = TritonHttpRequest.Result.of(response);
        assertEquals("b1", result.json().get("id").asText());
        JsonNode output = result.json().get("outputs").get(0);
        assertFalse(output.has("data"), output.toString());
        assertEquals(2 * 8 * 4, output.get("parameters").get("binary_data_size").asInt());
        assertEquals(2 * 8 * 4, result.binary().length);
        assertLogits(result);
    }

    @Test
    void mixedJsonAndBinaryInputsAndOutputs() {
        for (boolean binaryOut : new boolean[] {false, true}) {
            for (boolean[] in : new boolean[][] {{true, false}, {false, true}, {false, false}}) {
                HttpResponse<byte[]> response =
                        request(in[0], in[1]).output("logits", binaryOut).send(http, INFER);
                String what = Arrays.toString(in) + " -> binary " + binaryOut;
                assertEquals(200, response.statusCode(), what + new String(response.body()));
                TritonHttpRequest.Result result = TritonHttpRequest.Result.of(response);
                assertEquals(
                        binaryOut,
                        response.headers()
                                .firstValue("Inference-Header-Content-Length")
                                .isPresent(),
                        what);
                assertEquals(binaryOut, !result.json().get("outputs").get(0).has("data"), what);
                assertLogits(result);
            }
        }
    }

    @Test
    void binaryDataFalseOnAnOutputOverridesBinaryDataOutput() {
        String header =
                request(true, true)
                        .header()
                        .replace(
                                "\"inputs\"",
                                "\"outputs\":[{\"name\":"
                                        + "\"logits\",\"parameters\":{\"binary_data\":false}}],"
                                        + "\"parameters\":{\"binary_data_output\":true},\"inputs\"");
        HttpResponse<byte[]> response = post(header, binaryTail(), header.length());
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertTrue(response.headers().firstValue("Inference-Header-Content-Length").isEmpty());
        assertLogits(TritonHttpRequest.Result.of(response));
    }

    @Test
    void gzipCompressedRequestsAreRead() throws IOException {
        TritonHttpRequest request = request(true, true);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(request.body());
        }
        HttpResponse<byte[]> response =
                http.sendBytes(
                        request.post(http, INFER, zipped.toByteArray())
                                .header("Content-Encoding", "gzip")
                                .build());
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertLogits(TritonHttpRequest.Result.of(response));
    }

    private static byte[] binaryTail() {
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        tail.writeBytes(TritonHttpRequest.littleEndian(video));
        tail.writeBytes(TritonHttpRequest.littleEndian(audio));
        return tail.toByteArray();
    }

    private static HttpResponse<byte[]> post(String header, byte[] tail, Object headerLength) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(tail);
        HttpRequest.Builder request =
                http.request(INFER)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (headerLength != null) {
            request.header("Inference-Header-Content-Length", headerLength.toString());
        }
        return http.sendBytes(request.build());
    }

    private static void assertBadRequest(HttpResponse<byte[]> response, String message)
            throws IOException {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(400, response.statusCode(), body);
        String error = HttpTestClient.JSON.readTree(body).get("error").asText();
        assertTrue(error.startsWith(message), "expected '" + message + "...', got: " + error);
    }

    @Test
    void malformedBinaryRequestsAre400WithTheReason() throws IOException {
        String header = request(true, true).header();
        byte[] tail = binaryTail();
        assertBadRequest(
                post(header, tail, null),
                "input 'video' has parameters.binary_data_size but the request has no"
                        + " Inference-Header-Content-Length header");
        assertBadRequest(
                post(header, tail, header.length() + tail.length + 10),
                "Inference-Header-Content-Length is "
                        + (header.length() + tail.length + 10)
                        + " bytes but the body ends after "
                        + (header.length() + tail.length)
                        + " bytes");
        assertBadRequest(
                post(header, Arrays.copyOf(tail, tail.length - 4), header.length()),
                "the body ends 24572 bytes into the 24576 bytes of input 'audio''s binary data");
        assertBadRequest(
                post(header, Arrays.copyOf(tail, tail.length + 3), header.length()),
                "the body holds more bytes than the Inference-Header-Content-Length and the"
                        + " inputs' binary_data_size add up to");
        assertBadRequest(
                post(header, tail, "12x"),
                "Inference-Header-Content-Length must be a"
                        + " byte count (an integer >= 0), got '12x'");
        String odd =
                header.replaceFirst("\"binary_data_size\":73728", "\"binary_data_size\":73726");
        assertBadRequest(
                post(odd, tail, odd.length()),
                "input 'video' has binary_data_size 73726: FP32 values take 4 bytes each");
        String short1 =
                header.replaceFirst("\"binary_data_size\":73728", "\"binary_data_size\":36864");
        assertBadRequest(
                post(short1, Arrays.copyOfRange(tail, 36864, tail.length), short1.length()),
                "input 'video' has 9216 values; its shape [2, 3, 3, 32, 32] needs 18432");
        String both =
                header.replaceFirst(
                        "\"parameters\":\\{\"binary_data_size\":73728\\}",
                        "\"data\":[1],\"parameters\":{\"binary_data_size\":73728}");
        assertBadRequest(
                post(both, tail, both.length()),
                "inputs[0] ('video') has both data and parameters.binary_data_size; send one");
        assertBadRequest(post(header, tail, header.length() - 5), "malformed JSON");
    }
}
