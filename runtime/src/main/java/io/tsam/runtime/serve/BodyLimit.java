package io.tsam.runtime.serve;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The most bytes a request body may hold, enforced twice: a declared {@code Content-Length} over it
 * is refused before anything is read, and the body itself is cut off where it passes it (a chunked
 * body declares no length, and a declared one may lie).
 *
 * @param maxBytes the limit, at least 1
 */
record BodyLimit(long maxBytes) {

    /**
     * The request's body, bounded.
     *
     * @throws ServeException {@code PAYLOAD_TOO_LARGE} if the declared length is over the limit
     */
    InputStream open(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw BoundedInputStream.tooLarge(maxBytes);
        }
        try {
            return new BoundedInputStream(ctx.req().getInputStream(), maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }
}
