package io.tsam.runtime.serve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;

/**
 * Request bodies come from the network: whatever the bytes, the Open Inference Protocol parser
 * gives a request or an {@link IllegalArgumentException} (answered 400), never another exception.
 */
class RequestFuzzTest {
    private static final InferRequestParser PARSER = new InferRequestParser(1 << 16);

    @FuzzTest(maxDuration = "30s")
    void inferRequest(byte[] data) {
        try {
            PARSER.parse(new ByteArrayInputStream(data));
        } catch (IllegalArgumentException expected) {
            // The documented refusal, answered 400.
        }
    }
}
