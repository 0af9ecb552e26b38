package io.tsam.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtBackendTest extends InferenceBackendContract {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @Override
    protected InferenceBackend open() {
        return open(TinyModels.tsam(), ExecutionProvider.CPU);
    }

    private static OrtBackend open(Path model, ExecutionProvider provider) {
        return OrtBackend.builder()
                .setModel(model)
                .setEnvironment(ENV)
                .optProvider(provider)
                .optIntraOpThreads(1)
                .build();
    }

    @Test
    void describesTheContractInputsAndOutput() {
        try (OrtBackend backend = open(TinyModels.tsam(), ExecutionProvider.CPU)) {
            assertEquals(
                    List.of(
                            new TensorSpec("video", List.of(3L, 3L, 32L, 32L)),
                            new TensorSpec("audio", List.of(3L, 32L, 32L))),
                    backend.inputs());
            assertEquals(new TensorSpec("logits", List.of(8L)), backend.output());
            assertEquals("cpu", backend.provider());
            assertTrue(
                    backend.description().contains("cpu, 1 intra-op threads, optimisation all"),
                    backend.description());
            assertEquals("1", backend.metadata().get("tsam.format_version"));
            assertEquals(backend.metadata(), OrtBackend.readMetadata(ENV, TinyModels.tsam()));
        }
    }

    @Test
    void everyOptimisationLevelComputesTheSameLogits() {
        float[] reference = null;
        for (GraphOptimization level : GraphOptimization.values()) {
            try (OrtBackend backend =
                    OrtBackend.builder()
                            .setModel(TinyModels.videoOnly())
                            .setEnvironment(ENV)
                            .optIntraOpThreads(1)
                            .optOptimization(level)
                            .build()) {
                float[] logits = backend.run(2, inputs(backend, 2, 7));
                if (reference == null) {
                    reference = logits;
                }
                assertArrayEquals(reference, logits, 1e-5f, level.cliName());
                assertEquals(level, backend.optimization());
            }
        }
        assertEquals(GraphOptimization.ALL, GraphOptimization.DEFAULT);
    }

    @Test
    void wrongInputsAndUseAfterCloseAreRejected() {
        OrtBackend backend = open(TinyModels.videoOnly(), ExecutionProvider.CPU);
        Map<String, FloatBuffer> two = inputs(backend, 2, 3);

        IllegalArgumentException size =
                assertThrows(IllegalArgumentException.class, () -> backend.run(3, two));
        assertEquals(
                "input 'video' needs 36864 values for a batch of 3, the buffer holds 24576",
                size.getMessage());
        IllegalArgumentException names =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> backend.run(2, Map.of("audio", two.get("video"))));
        assertTrue(
                names.getMessage().startsWith("no buffer for input 'video'"), names.getMessage());

        backend.close();
        assertDoesNotThrow(backend::close, "a second close does nothing");
        IllegalStateException closed =
                assertThrows(IllegalStateException.class, () -> backend.run(2, two));
        assertTrue(closed.getMessage().endsWith("is closed"), closed.getMessage());
    }

    @Test
    void gpuProvidersThatThisBuildLacksFailWithOneLineSayingWhatIsMissing() {
        BackendUnavailableException cuda =
                assertThrows(
                        BackendUnavailableException.class,
                        () -> open(TinyModels.tsam(), ExecutionProvider.CUDA));
        assertEquals(
                "this ONNX Runtime build has no CUDA execution provider (use the onnxruntime_gpu"
                        + " jar and a CUDA 12 driver)",
                cuda.getMessage());
        BackendUnavailableException tensorRt =
                assertThrows(
                        BackendUnavailableException.class,
                        () -> open(TinyModels.tsam(), ExecutionProvider.TENSORRT));
        assertEquals(
                "this ONNX Runtime build has no TensorRT execution provider (use the"
                        + " onnxruntime_gpu jar and a CUDA 12 driver, plus the TensorRT 10"
                        + " libraries)",
                tensorRt.getMessage());
    }

    @Test
    void autoSaysWhichProviderItPickedAndWhy() {
        try (OrtBackend backend = open(TinyModels.tsam(), ExecutionProvider.AUTO)) {
            assertEquals("cpu", backend.provider());
            assertEquals(
                    "auto picked cpu: this ONNX Runtime build has no CUDA execution provider"
                            + " (use the onnxruntime_gpu jar and a CUDA 12 driver)",
                    backend.providerNote().orElseThrow());
        }
    }

    @Test
    void missingOrBrokenModelFilesAreNamed(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.onnx");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> open(missing, ExecutionProvider.CPU));
        assertEquals(missing + ": no such file", e.getMessage());

        Path text = Files.writeString(dir.resolve("text.onnx"), "not a model");
        IllegalArgumentException broken =
                assertThrows(
                        IllegalArgumentException.class, () -> open(text, ExecutionProvider.CPU));
        assertTrue(
                broken.getMessage().startsWith(text + ": ONNX Runtime cannot load it: "),
                broken.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OrtBackend.readMetadata(ENV, text));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        OrtBackend.builder()
                                .setModel(TinyModels.tsam())
                                .setEnvironment(ENV)
                                .optIntraOpThreads(0)
                                .build());
    }

    @Test
    void enginesNeedARunnerOnTheClassPath(@TempDir Path dir) throws IOException {
        Path plan = Files.write(dir.resolve("model.plan"), new byte[] {1, 2, 3});

        BackendUnavailableException e =
                assertThrows(BackendUnavailableException.class, () -> EngineBackends.open(plan));
        assertTrue(e.getMessage().startsWith("TensorRT natives are unavailable: "), e.getMessage());
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> EngineBackends.open(dir.resolve("none.plan")));
        assertEquals(dir.resolve("none.plan") + ": no such file", missing.getMessage());
    }

    @Test
    void anEngineProviderOnTheClassPathIsUsed() {
        try (OrtBackend ort = open(TinyModels.videoOnly(), ExecutionProvider.CPU)) {
            EngineBackendProvider provider =
                    new EngineBackendProvider() {
                        @Override
                        public String name() {
                            return "test";
                        }

                        @Override
                        public InferenceBackend open(Path engine) {
                            return ort;
                        }
                    };
            assertEquals(ort, EngineBackends.open(Path.of("x.plan"), List.of(provider)));
        }
    }
}
