package io.tsam.trainer.data;

import io.tsam.media.MediaException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A dataset item that could not be loaded. The message names the video's id, the file or folder it
 * was read from (when it could be resolved) and the reason, so a CLI can print it as one line.
 */
public final class ClipLoadException extends RuntimeException {
    private final String videoId;
    private final transient Path source;

    private ClipLoadException(String message, String videoId, Path source, Throwable cause) {
        super(message, cause);
        this.videoId = videoId;
        this.source = source;
    }

    /**
     * The failure to load video {@code videoId}.
     *
     * @param source the frame folder or video file the id resolved to, or null if resolving it
     *     failed (the cause then names the paths tried)
     */
    static ClipLoadException of(String videoId, Path source, Throwable cause) {
        String where;
        if (cause instanceof MediaException media) {
            // Its message already starts with the file.
            where = media.getMessage();
            source = media.file();
        } else {
            where = (source == null ? "" : source + ": ") + cause;
        }
        return new ClipLoadException(
                "cannot load video '" + videoId + "': " + where, videoId, source, cause);
    }

    /**
     * The same error raised again on the consuming thread, with the worker's exception as cause so
     * both stacks are kept.
     */
    ClipLoadException rethrownHere() {
        return new ClipLoadException(getMessage(), videoId, source, this);
    }

    /** The id of the video that failed. */
    public String videoId() {
        return videoId;
    }

    /** The frame folder or video file that failed, if the id could be resolved to one. */
    public Optional<Path> source() {
        return Optional.ofNullable(source);
    }
}
