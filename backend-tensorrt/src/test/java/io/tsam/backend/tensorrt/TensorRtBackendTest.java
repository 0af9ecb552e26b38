package io.tsam.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import io.tsam.backend.BackendUnavailableException;
import io.tsam.backend.EngineBackends;
import io.tsam.backend.InferenceBackend;
import io.tsam.backend.InferenceBackendContract;
import io.tsam.backend.OrtBackend;
import io.tsam.backend.TinyModels;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine backend's Java side (the context pool, the checks, the metadata from the sidecar,
 * closing) against the shared contract, with each execution context stood in for by ONNX Runtime on
 * the tiny model; and what {@code --engine} says on a machine without TensorRT. The native side
 * runs in {@code TensorRtExporterGpuTest} on GPU machines.
 */
class TensorRtBackendTest extends InferenceBackendContract {

    @TempDir Path dir;

    /** A context that fails if two runs ever share it, so the pool is checked too. */
    private static final class StandInContext implements TensorRtBackend.Execution {
        private final OrtBackend model;
        private final AtomicBoolean busy = new AtomicBoolean();

        StandInContext(OrtBackend model) {
            this.model = model;
        }

        @Override
        public float[] run(int batch, Map<String, FloatBuffer> inputs) {
            if (!busy.compareAndSet(false, true)) {
                throw new AssertionError("two runs shared one execution context");
            }
            try {
                return model.run(batch, inputs);
            } finally {
                busy.set(false);
            }
        }

        @Override
        public void close() {}
    }

    @Override
    protected InferenceBackend open() {
        OrtBackend model =
                OrtBackend.builder()
                        .setModel(TinyModels.tsam())
                        .setEnvironment(OrtEnvironment.getEnvironment())
                        .optIntraOpThreads(1)
                        .build();
        List<TensorRtBackend.Execution> contexts = new ArrayList<>();
        for (int i = 0; i < TensorRtBackend.DEFAULT_CONTEXTS; i++) {
            contexts.add(new StandInContext(model));
        }
        return new TensorRtBackend(
                new TensorRtBackend.Description(
                        dir.resolve("model.plan"),
                        model.metadata(),
                        model.inputs(),
                        model.output(),
                        1,
                        8,
                        "stand-in engine"),
                contexts,
                model);
    }

    @Test
    void batchesOutsideTheProfileAreRefused() {
        try (InferenceBackend backend = open()) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> backend.run(9, inputs(backend, 9, 1)));
            assertTrue(
                    e.getMessage()
                            .endsWith("the engine runs batches of 1 to 8 (its profile), got 9"),
                    e.getMessage());
        }
    }

    @Test
    void withoutTensorRtAnEngineFailsWithOneLineNamingTheMissingLibraries() throws Exception {
        GpuStatus status = GpuProbe.probe();
        org.junit.jupiter.api.Assumptions.assumeFalse(status.available(), "a GPU is here");
        Path plan =
                TestEngines.write(dir.resolve("model.plan"), Map.of("tsam.format_version", "1"));

        BackendUnavailableException e =
                assertThrows(BackendUnavailableException.class, () -> EngineBackends.open(plan));

        assertTrue(e.getMessage().startsWith("TensorRT engines cannot run here: "), e.getMessage());
        assertTrue(
                e.getMessage().contains("libnvinfer.so.10") || e.getMessage().contains("libcuda"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(status.problem(), e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
    }

    @Test
    void anEngineWhoseSidecarCarriesNoMetadataIsNamed() throws Exception {
        Path plan = TestEngines.write(dir.resolve("model.plan"), Map.of());

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TensorRtBackend.open(plan, TensorRtBackend.DEFAULT_CONTEXTS));

        assertEquals(
                EnginePlan.sidecarOf(plan)
                        + ": carries no TSAM metadata (the engine was built by an older"
                        + " tsam-export); build it again with tsam-export --tensorrt",
                e.getMessage());
    }

    @Test
    void theProviderIsFoundThroughTheServiceLoader() {
        assertTrue(
                java.util.ServiceLoader.load(io.tsam.backend.EngineBackendProvider.class).stream()
                        .anyMatch(p -> p.type() == TensorRtEngines.class));
        assertEquals("TensorRT 10.15", new TensorRtEngines().name());
        assertThrows(
                IllegalArgumentException.class,
                () -> EngineBackends.open(dir.resolve("missing.plan")));
        assertTrue(Files.notExists(dir.resolve("missing.plan")));
    }
}
