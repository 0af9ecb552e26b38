package io.tsam.backend.tensorrt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Engine files for machines without a GPU: a sidecar as {@code tsam-export} writes it beside bytes
 * that are no engine, enough to reach the point where TensorRT itself is needed.
 */
public final class TestEngines {

    private TestEngines() {}

    /** Writes {@code plan} and its sidecar, carrying {@code metadata} (the ONNX model's). */
    public static Path write(Path plan, Map<String, String> metadata) throws IOException {
        byte[] bytes = "not a serialised engine".getBytes(StandardCharsets.UTF_8);
        EngineInfo info =
                new EngineInfo(
                        new GpuInfo("NVIDIA H200", 9, 0, "13.0", "13.1", "10.15.1.29"),
                        TensorRtPrecision.FP16,
                        new BatchProfile(1, 4, 8),
                        List.of(new EngineTensor("video", List.of(-1L, 3L, 3L, 32L, 32L))),
                        List.of(new EngineTensor("logits", List.of(-1L, 8L))),
                        "a".repeat(64),
                        EnginePlan.sha256(bytes),
                        Optional.empty(),
                        Instant.parse("2026-12-02T12:00:00Z"),
                        metadata);
        new EnginePlan(bytes, info).write(plan);
        return plan;
    }
}
