package io.tsam.trainer.report;

import java.nio.file.Path;

/**
 * A metrics log that cannot be read back. The message is {@code <file>:<line>: <reason>}, so a CLI
 * can print it as one line.
 */
public final class MalformedLogException extends IllegalArgumentException {
    private final transient Path file;
    private final int line;

    MalformedLogException(Path file, int line, String reason, Throwable cause) {
        super(file + ":" + line + ": " + reason, cause);
        this.file = file;
        this.line = line;
    }

    /** The log file. */
    public Path file() {
        return file;
    }

    /** The 1-based line number of the malformed line. */
    public int line() {
        return line;
    }
}
