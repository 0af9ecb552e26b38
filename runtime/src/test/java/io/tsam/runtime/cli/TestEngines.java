package io.tsam.runtime.cli;

import ai.onnxruntime.OrtEnvironment;
import io.tsam.backend.OrtBackend;
import io.tsam.backend.tensorrt.BatchProfile;
import io.tsam.backend.tensorrt.EngineInfo;
import io.tsam.backend.tensorrt.EnginePlan;
import io.tsam.backend.tensorrt.EngineTensor;
import io.tsam.backend.tensorrt.GpuInfo;
import io.tsam.backend.tensorrt.TensorRtPrecision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Engine files for machines without a GPU: a sidecar as tsam-export writes it, bytes of no engine.
 */
final class TestEngines {

    private TestEngines() {}

    /** Writes {@code plan} and its sidecar, carrying the metadata of {@code onnx}. */
    static Path write(Path plan, Path onnx) throws IOException {
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
                        OrtBackend.readMetadata(OrtEnvironment.getEnvironment(), onnx));
        new EnginePlan(bytes, info).write(plan);
        return plan;
    }
}
