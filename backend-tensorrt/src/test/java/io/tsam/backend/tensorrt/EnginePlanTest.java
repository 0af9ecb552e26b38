package io.tsam.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code .plan} file and its JSON sidecar, without a GPU: the bytes here are not an engine. */
class EnginePlanTest {

    private static final byte[] PLAN = "not really an engine".getBytes(StandardCharsets.UTF_8);
    private static final GpuInfo GPU =
            new GpuInfo("NVIDIA H100 80GB HBM3", 9, 0, "13.0", "13.1", "10.15.1.29");

    @TempDir Path dir;

    static EngineInfo info(byte[] plan, TensorRtPrecision precision, Optional<String> calibration) {
        return new EngineInfo(
                GPU,
                precision,
                new BatchProfile(1, 4, 8),
                List.of(
                        new EngineTensor("video", List.of(-1L, 3L, 3L, 32L, 32L)),
                        new EngineTensor("audio", List.of(-1L, 3L, 32L, 32L))),
                List.of(new EngineTensor("logits", List.of(-1L, 5L))),
                "a".repeat(64),
                EnginePlan.sha256(plan),
                calibration,
                Instant.parse("2025-01-31T12:00:00Z"),
                Map.of("tsam.format_version", "2"));
    }

    @Test
    void theSidecarHoldsEveryFieldUnderItsDocumentedKey() throws Exception {
        EngineInfo info = info(PLAN, TensorRtPrecision.FP16, Optional.empty());

        JsonNode json = new ObjectMapper().readTree(info.toJson());

        assertEquals(EngineInfo.FORMAT_VERSION, json.get("format_version").asInt());
        assertEquals("10.15.1.29", json.get("tensorrt_version").asText());
        assertEquals("NVIDIA H100 80GB HBM3", json.get("gpu").asText());
        assertEquals("9.0", json.get("compute_capability").asText());
        assertEquals("13.0", json.get("cuda_driver_version").asText());
        assertEquals("13.1", json.get("cuda_runtime_version").asText());
        assertEquals("fp16", json.get("precision").asText());
        assertEquals("{\"min\":1,\"opt\":4,\"max\":8}", json.get("profile").toString());
        assertEquals(
                "[{\"name\":\"video\",\"shape\":[-1,3,3,32,32]},"
                        + "{\"name\":\"audio\",\"shape\":[-1,3,32,32]}]",
                json.get("inputs").toString());
        assertEquals("[{\"name\":\"logits\",\"shape\":[-1,5]}]", json.get("outputs").toString());
        assertEquals("a".repeat(64), json.get("onnx_sha256").asText());
        assertEquals(EnginePlan.sha256(PLAN), json.get("plan_sha256").asText());
        assertTrue(json.get("calibration").isNull());
        assertEquals("2025-01-31T12:00:00Z", json.get("created").asText());
    }

    @Test
    void theSidecarReadsBackToTheSameDescription() {
        EngineInfo fp16 = info(PLAN, TensorRtPrecision.FP16, Optional.empty());
        EngineInfo int8 =
                info(PLAN, TensorRtPrecision.INT8, Optional.of("validation list, 2 batches"));

        assertEquals(fp16, EngineInfo.parse(fp16.toJson(), "test"));
        assertEquals(int8, EngineInfo.parse(int8.toJson(), "test"));
    }

    @Test
    void aPlanIsWrittenWithItsSidecarAndReadBack() throws Exception {
        Path file = dir.resolve("engines/model.plan");
        EnginePlan plan =
                new EnginePlan(PLAN, info(PLAN, TensorRtPrecision.FP32, Optional.empty()));

        plan.write(file);
        EnginePlan read = EnginePlan.read(file);

        assertEquals(dir.resolve("engines/model.plan.json"), EnginePlan.sidecarOf(file));
        assertArrayEquals(PLAN, Files.readAllBytes(file));
        assertArrayEquals(PLAN, read.bytes());
        assertEquals(plan.info(), read.info());
        try (var files = Files.list(file.getParent())) {
            assertEquals(2, files.count(), "no temporary files are left behind");
        }
    }

    @Test
    void aSidecarOfAnotherPlanIsRefused() throws Exception {
        Path file = dir.resolve("model.plan");
        new EnginePlan(PLAN, info(PLAN, TensorRtPrecision.FP32, Optional.empty())).write(file);
        Files.write(file, "a rebuilt engine".getBytes(StandardCharsets.UTF_8));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> EnginePlan.read(file));

        assertTrue(e.getMessage().startsWith(file + ": the engine description is of a plan"));
    }

    @Test
    void aMalformedSidecarNamesTheFileAndTheKey() {
        String json = info(PLAN, TensorRtPrecision.FP32, Optional.empty()).toJson();

        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> EngineInfo.parse(json.replace("\"gpu\"", "\"device\""), "x.json"));
        IllegalArgumentException precision =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> EngineInfo.parse(json.replace("\"fp32\"", "\"fp64\""), "x.json"));
        IllegalArgumentException notJson =
                assertThrows(IllegalArgumentException.class, () -> EngineInfo.parse("{", "x.json"));

        assertEquals("x.json: gpu must be a string", missing.getMessage());
        assertEquals(
                "unknown TensorRT precision 'fp64'; expected fp32, fp16 or int8",
                precision.getMessage());
        assertTrue(notJson.getMessage().startsWith("x.json: not JSON"), notJson.getMessage());
    }
}
