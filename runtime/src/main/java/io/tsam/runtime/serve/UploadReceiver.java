package io.tsam.runtime.serve;

import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.MultiPartFormInputStream;

/**
 * Writes an uploaded video to a temporary file in the server's own folder: the form field {@value
 * #FILE_FIELD} of a {@code multipart/form-data} body, or else the whole body. The client's file
 * name is kept for answers only and never used as a path.
 *
 * <p>Multipart bodies are parsed here, over the {@link BodyLimit}ed stream, rather than by Javalin,
 * whose multipart settings are one static for every server in the JVM.
 */
final class UploadReceiver {

    /** The form field that holds the video. */
    static final String FILE_FIELD = "file";

    /** The name of an upload that came without one. */
    static final String DEFAULT_NAME = "upload";

    /** Parts up to this size stay in memory while the body is parsed; larger ones are spooled. */
    private static final int PART_MEMORY_BYTES = 1 << 20;

    private static final Pattern EXTENSION = Pattern.compile("\\.[A-Za-z0-9]{1,8}$");

    private final Path dir;

    /**
     * A receiver writing into {@code dir}.
     *
     * @param dir the server's folder for temporary files
     */
    UploadReceiver(Path dir) {
        this.dir = dir;
    }

    /**
     * Receives the video of a request.
     *
     * @param body the request's body, from {@link BodyLimit#open}
     * @return the upload, which the caller closes to delete its file
     * @throws ServeException {@code PAYLOAD_TOO_LARGE} for a body over the limit
     * @throws IllegalArgumentException for an empty upload, a malformed multipart body or one
     *     without the {@value #FILE_FIELD} field
     */
    Upload receive(Context ctx, InputStream body) {
        try {
            return ctx.isMultipartFormData()
                    ? fromMultipart(body, ctx.contentType())
                    : save(body, DEFAULT_NAME, "the request body");
        } catch (IOException e) {
            throw new UncheckedIOException("reading the upload failed", e);
        }
    }

    /** The {@value #FILE_FIELD} field of a {@code multipart/form-data} body. */
    Upload fromMultipart(InputStream body, String contentType) throws IOException {
        MultipartConfigElement config =
                new MultipartConfigElement(dir.toString(), -1, -1, PART_MEMORY_BYTES);
        MultiPartFormInputStream parts =
                new MultiPartFormInputStream(body, contentType, config, dir.toFile());
        try {
            Part part = filePart(parts);
            if (part == null) {
                throw new IllegalArgumentException(
                        "the multipart body has no '"
                                + FILE_FIELD
                                + "' field; send the video as the form field '"
                                + FILE_FIELD
                                + "' or as the whole request body");
            }
            try (InputStream in = part.getInputStream()) {
                return save(
                        in,
                        displayName(part.getSubmittedFileName()),
                        "the form field '" + FILE_FIELD + "'");
            }
        } finally {
            parts.deleteParts();
        }
    }

    private static Part filePart(MultiPartFormInputStream parts) {
        try {
            return parts.getPart(FILE_FIELD);
        } catch (IllegalStateException | IOException e) {
            // Jetty keeps what went wrong while parsing as the cause: a body over the limit is
            // ours, anything else a malformed body.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ServeException serve) {
                    throw serve;
                }
            }
            throw new IllegalArgumentException("malformed multipart body: " + e.getMessage(), e);
        }
    }

    private Upload save(InputStream in, String name, String what) throws IOException {
        Path file = Files.createTempFile(dir, "upload-", extension(name));
        try {
            long size;
            try (OutputStream out = Files.newOutputStream(file)) {
                size = in.transferTo(out);
            }
            if (size == 0) {
                throw new IllegalArgumentException(
                        "empty upload: " + what + " holds no bytes; send a video file");
            }
            return new Upload(file, name, size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * The name to show for a client's file name: its last path segment without control characters,
     * or {@value #DEFAULT_NAME}.
     */
    static String displayName(String submitted) {
        if (submitted == null) {
            return DEFAULT_NAME;
        }
        int slash = Math.max(submitted.lastIndexOf('/'), submitted.lastIndexOf('\\'));
        String name = submitted.substring(slash + 1).replaceAll("\\p{Cntrl}", "").strip();
        return name.isEmpty() ? DEFAULT_NAME : name;
    }

    /** The temporary file's suffix: the name's extension when it is a plain one, for probing. */
    private static String extension(String name) {
        Matcher m = EXTENSION.matcher(name);
        return m.find() ? m.group() : ".upload";
    }
}
