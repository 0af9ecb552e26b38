package io.tsam.media;

import java.nio.file.Path;

/**
 * A media file that cannot be used: not media at all, no video stream, no decodable frame, an
 * unreadable audio track. The message always names the file and the reason, so a CLI can print it
 * as one line.
 */
public final class MediaException extends IllegalArgumentException {
    private final transient Path file;

    public MediaException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    public MediaException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    /** The file the error is about. */
    public Path file() {
        return file;
    }
}
