package io.tsam.runtime.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plain HTTP/1.1 client for one server, with the request shapes the server tests send. */
final class HttpTestClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final String BOUNDARY = "tsam-test-boundary-7d3f";

    private final HttpClient client =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
    private final String base;

    HttpTestClient(String base) {
        this.base = base;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<String> postJson(String path, String json) {
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build());
    }

    /** A raw body with its Content-Length. */
    HttpResponse<String> postBytes(String path, byte[] body) {
        return send(
                request(path)
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build());
    }

    /** A raw body sent chunked, without a Content-Length. */
    HttpResponse<String> postChunked(String path, byte[] body) {
        return send(
                request(path)
                        .header("Content-Type", "application/octet-stream")
                        .POST(
                                HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new ByteArrayInputStream(body)))
                        .build());
    }

    /** A {@code multipart/form-data} body with one file field. */
    HttpResponse<String> postMultipart(String path, String field, String fileName, byte[] file) {
        return send(
                request(path)
                        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                        .POST(
                                HttpRequest.BodyPublishers.ofByteArray(
                                        multipart(field, fileName, file)))
                        .build());
    }

    static byte[] multipart(String field, String fileName, byte[] file) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String head =
                "--"
                        + BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\""
                        + field
                        + "\"; filename=\""
                        + fileName
                        + "\"\r\nContent-Type: video/mp4\r\n\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    HttpResponse<String> send(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> sendBytes(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /**
     * The value of one sample in Prometheus' text format, e.g. {@code
     * tsam_serve_requests_total{route="/predict",status="400"}}; 0 when absent.
     *
     * @param labels the sample's labels in order, as {@code name="value"} pairs joined by commas
     */
    static double metric(String text, String name, String labels) {
        String prefix = labels.isEmpty() ? name + " " : name + "{" + labels + "} ";
        for (String line : text.lines().toList()) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(prefix.length()).trim());
            }
        }
        return 0;
    }

    /** The sum of every sample of {@code name} whose labels contain {@code label}. */
    static double metricSum(String text, String name, String label) {
        Pattern sample =
                Pattern.compile(Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)", Pattern.MULTILINE);
        Matcher m = sample.matcher(text);
        double sum = 0;
        while (m.find()) {
            if (m.group(1).contains(label)) {
                sum += Double.parseDouble(m.group(2).toLowerCase(Locale.ROOT));
            }
        }
        return sum;
    }
}
