package io.tsam.runtime.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ServeConfigTest {

    private static String error(UnaryOperator<ServeConfig.Builder> options) {
        return assertThrows(
                        IllegalArgumentException.class,
                        () -> options.apply(ServeConfig.builder().setModelName("m")).build())
                .getMessage();
    }

    @Test
    void defaultsBindLoopbackAndMatchTheCommandLine() {
        ServeConfig config = ServeConfig.builder().setModelName("m").build();

        assertEquals(
                new ServeConfig(
                        "127.0.0.1",
                        8080,
                        "m",
                        8,
                        Duration.ofMillis(5),
                        64,
                        200L * 1024 * 1024,
                        5,
                        OptionalInt.empty(),
                        Duration.ofSeconds(30),
                        OptionalInt.empty()),
                config);
    }

    @Test
    void theDefaultNameIsTheFileNameWithoutItsExtensionMadeUrlSafe() {
        assertEquals("tiny_tsam", ServeConfig.defaultModelName(Path.of("/models/tiny_tsam.onnx")));
        assertEquals("my_model.v2", ServeConfig.defaultModelName(Path.of("my model.v2.onnx")));
        assertEquals("model", ServeConfig.defaultModelName(Path.of("model")));
    }

    @Test
    void valuesOutOfRangeAreRefusedByName() {
        assertEquals(
                "gRPC port (--grpc-port) must be 0 to 65535, got 70000",
                error(b -> b.optGrpcPort(70000)));
        assertEquals(
                "gRPC port (--grpc-port) 9000 is the HTTP port (--port)",
                error(b -> b.optPort(9000).optGrpcPort(9000)));
        assertEquals(
                "model name (--name) 'a/b' may hold only letters, digits, '.', '_' and '-'",
                error(b -> b.setModelName("a/b")));
        assertEquals("port (--port) must be 0 to 65535, got 70000", error(b -> b.optPort(70000)));
        assertEquals("max batch (--max-batch) must be >= 1, got 0", error(b -> b.optMaxBatch(0)));
        assertEquals("max queue (--max-queue) must be >= 1, got -1", error(b -> b.optMaxQueue(-1)));
        assertEquals("clips (--clips) must be >= 1, got 0", error(b -> b.optClips(0)));
        assertEquals(
                "max upload size (--max-upload-mb) must be >= 1 byte, got 0",
                error(b -> b.optMaxUploadBytes(0)));
        assertEquals(
                "max delay (--max-delay-ms) must be >= 0, got PT-0.001S",
                error(b -> b.optMaxDelay(Duration.ofMillis(-1))));
        assertEquals("host (--host) must not be blank", error(b -> b.optHost(" ")));
    }
}
