package io.tsam.runtime.serve;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that may not exceed a size: reading past {@code limit} bytes throws {@link
 * ServeException} {@code PAYLOAD_TOO_LARGE}, so a body without a {@code Content-Length} (or with a
 * false one) is cut off while it is read, not after it has filled the disk or the heap.
 */
final class BoundedInputStream extends FilterInputStream {

    private final long limit;
    private long count;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    /** The bytes read so far. */
    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        add(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void add(long n) {
        count += n;
        if (count > limit) {
            throw tooLarge(limit);
        }
    }

    /** The refusal of a body over {@code limit} bytes. */
    static ServeException tooLarge(long limit) {
        return new ServeException(
                ServeException.Reason.PAYLOAD_TOO_LARGE,
                "the request body exceeds the server's limit of "
                        + limit
                        + " bytes (--max-upload-mb)");
    }
}
