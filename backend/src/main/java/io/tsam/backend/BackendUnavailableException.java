package io.tsam.backend;

/**
 * The requested execution provider or engine runner cannot run here: the ONNX Runtime build lacks
 * it, or its native libraries, driver or GPU are missing. The message is one line saying what is
 * missing and how to get it; nothing falls back to another provider silently.
 */
public final class BackendUnavailableException extends IllegalArgumentException {

    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
