package io.tsam.runtime.serve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Request bodies come from the network: whatever the bytes, the Open Inference Protocol parser and
 * the multipart upload reader give a request or an {@link IllegalArgumentException} (answered 400),
 * never another exception, and leave no file behind.
 */
class RequestFuzzTest {
    private static final InferRequestParser PARSER = new InferRequestParser(1 << 16);
    private static final String MULTIPART = "multipart/form-data; boundary=XyZ";
    private static Path dir;
    private static UploadReceiver receiver;

    @BeforeAll
    static void create() throws IOException {
        dir = Files.createTempDirectory("fuzz-uploads");
        receiver = new UploadReceiver(dir);
    }

    @AfterAll
    static void delete() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @FuzzTest(maxDuration = "30s")
    void inferRequest(byte[] data) {
        try {
            PARSER.parse(new ByteArrayInputStream(data));
        } catch (IllegalArgumentException expected) {
            // The documented refusal, answered 400.
        }
    }

    /** The binary tensor data form: the first two bytes give the JSON header's length. */
    @FuzzTest(maxDuration = "30s")
    void binaryInferRequest(byte[] data) {
        if (data.length < 2) {
            return;
        }
        int headerLength = ((data[0] & 0xff) << 8) | (data[1] & 0xff);
        try {
            PARSER.parse(new ByteArrayInputStream(data, 2, data.length - 2), headerLength);
        } catch (IllegalArgumentException expected) {
            // The documented refusal, answered 400.
        }
    }

    @FuzzTest(maxDuration = "30s")
    void multipartUpload(byte[] data) throws IOException {
        try (Upload upload = receiver.fromMultipart(new ByteArrayInputStream(data), MULTIPART)) {
            if (Files.size(upload.file()) != upload.size()) {
                throw new IllegalStateException("the upload's size is not its file's");
            }
        } catch (IllegalArgumentException expected) {
            // The documented refusal, answered 400.
        }
        try (Stream<Path> left = Files.list(dir)) {
            if (left.findAny().isPresent()) {
                throw new IllegalStateException("an upload left a file behind");
            }
        }
    }
}
