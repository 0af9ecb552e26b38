package io.tsam.runtime.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.javalin.http.NotFoundResponse;
import io.tsam.media.MediaException;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ErrorMappingTest {

    private static ErrorMapping.Mapped map(Throwable e) {
        return ErrorMapping.of(e);
    }

    @Test
    void everyKindOfFailureHasItsStatusAndLabel() {
        assertEquals(
                new ErrorMapping.Mapped(413, "payload_too_large", "big"),
                map(new ServeException(ServeException.Reason.PAYLOAD_TOO_LARGE, "big")));
        assertEquals(
                new ErrorMapping.Mapped(429, "queue_full", "busy"),
                map(new ServeException(ServeException.Reason.QUEUE_FULL, "busy")));
        assertEquals(
                new ErrorMapping.Mapped(404, "unknown_model", "who"),
                map(new ServeException(ServeException.Reason.UNKNOWN_MODEL, "who")));
        assertEquals(
                new ErrorMapping.Mapped(503, "closing", "bye"),
                map(new ServeException(ServeException.Reason.CLOSING, "bye")));
        assertEquals(
                new ErrorMapping.Mapped(400, "invalid_media", "a.mp4: not a video"),
                map(new MediaException(Path.of("a.mp4"), "not a video")));
        assertEquals(
                new ErrorMapping.Mapped(400, "invalid_input", "bad shape"),
                map(new IllegalArgumentException("bad shape")));
        assertEquals(
                new ErrorMapping.Mapped(400, "incomplete_body", "early"),
                map(new UncheckedIOException("reading", new EOFException("early"))));
        assertEquals(
                new ErrorMapping.Mapped(404, "http_404", "Not Found"), map(new NotFoundResponse()));
        assertEquals(
                new ErrorMapping.Mapped(
                        500, "internal", "internal error: java.io.IOException: disk full"),
                map(new UncheckedIOException("writing", new IOException("disk full"))));
        assertEquals(
                new ErrorMapping.Mapped(
                        500, "internal", "internal error: java.lang.IllegalStateException"),
                map(new IllegalStateException()));
    }
}
