package io.tsam.model.checkpoint;

import java.nio.file.Path;

/**
 * A weights or checkpoint file that cannot be used: unreadable, of an unsupported or unsafe format,
 * or not matching the model. The message starts with the file and says what is wrong, so a CLI can
 * print it as it is.
 */
public final class CheckpointException extends IllegalArgumentException {
    private final transient Path file;

    public CheckpointException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    public CheckpointException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    /** The file the error is about. */
    public Path file() {
        return file;
    }
}
