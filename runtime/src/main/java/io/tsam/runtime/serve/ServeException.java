package io.tsam.runtime.serve;

/**
 * A request the server refuses for a reason of its own, not because the input is invalid (that is
 * an {@link IllegalArgumentException}): the queue is full, the body too large, the model unknown,
 * the server shutting down. {@link ErrorMapping} turns the reason into the HTTP status.
 */
final class ServeException extends RuntimeException {

    /** Why a request was refused. */
    enum Reason {
        /** The body is larger than the server accepts. */
        PAYLOAD_TOO_LARGE,
        /** The bounded queue is full; the client should retry later. */
        QUEUE_FULL,
        /** No model of that name (or version) is served. */
        UNKNOWN_MODEL,
        /** The server is shutting down and admits nothing new. */
        CLOSING
    }

    private final Reason reason;

    ServeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }
}
