package io.tsam.runtime.serve;

import io.javalin.http.HttpResponseException;
import io.tsam.media.MediaException;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The one place exceptions become HTTP statuses and error labels: invalid input is 400, a media
 * file that cannot be used 400, a body that ends early (the client went away) 400, a body too large
 * 413, a full queue 429, an unknown model 404, shutting down 503, anything else 500.
 */
final class ErrorMapping {

    /**
     * What the client is told and what the metrics count.
     *
     * @param status the HTTP status
     * @param reason the {@code reason} label of the error counter, e.g. {@code queue_full}
     * @param message the text of the {@code error} field
     */
    record Mapped(int status, String reason, String message) {}

    /** A status with its error label. */
    private record Status(int code, String reason) {}

    /** Exceptions of a type (and its subclasses) and their status. */
    private record Row(Class<? extends Throwable> type, Status status) {}

    private static final Map<ServeException.Reason, Status> SERVE_REASONS =
            Map.of(
                    ServeException.Reason.PAYLOAD_TOO_LARGE, new Status(413, "payload_too_large"),
                    ServeException.Reason.QUEUE_FULL, new Status(429, "queue_full"),
                    ServeException.Reason.UNKNOWN_MODEL, new Status(404, "unknown_model"),
                    ServeException.Reason.CLOSING, new Status(503, "closing"));

    /** Checked in order, so a subclass comes before its superclass. */
    private static final List<Row> TABLE =
            List.of(
                    new Row(MediaException.class, new Status(400, "invalid_media")),
                    new Row(IllegalArgumentException.class, new Status(400, "invalid_input")),
                    // Jetty's EofException: the client closed the connection mid-body.
                    new Row(EOFException.class, new Status(400, "incomplete_body")));

    private static final Status INTERNAL = new Status(500, "internal");

    private ErrorMapping() {}

    /** The status, label and message for an exception escaping a handler. */
    static Mapped of(Throwable thrown) {
        Throwable e =
                thrown instanceof UncheckedIOException && thrown.getCause() != null
                        ? thrown.getCause()
                        : thrown;
        if (e instanceof ServeException serve) {
            Status status = SERVE_REASONS.get(serve.reason());
            return new Mapped(status.code(), status.reason(), e.getMessage());
        }
        if (e instanceof HttpResponseException http) {
            // Javalin's own: no route matched (404), ...
            return new Mapped(http.getStatus(), "http_" + http.getStatus(), http.getMessage());
        }
        for (Row row : TABLE) {
            if (row.type().isInstance(e)) {
                return new Mapped(row.status().code(), row.status().reason(), e.getMessage());
            }
        }
        return new Mapped(
                INTERNAL.code(),
                INTERNAL.reason(),
                "internal error: "
                        + e.getClass().getName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    /** Whether a mapped error is the server's fault, worth a log line with the stack trace. */
    static boolean isInternal(Mapped mapped) {
        return mapped.status() == INTERNAL.code();
    }
}
