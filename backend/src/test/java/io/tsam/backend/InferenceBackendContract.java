package io.tsam.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link InferenceBackend} must do, run against {@link TinyModels#tsam()}: each
 * backend's test extends this class and opens its backend over that model (ONNX Runtime directly; a
 * TensorRT engine built from it, or a stand-in where no GPU exists). The reference logits come from
 * ONNX Runtime on the CPU.
 */
public abstract class InferenceBackendContract {

    /** Classes of the tiny model. */
    protected static final int CLASSES = 8;

    /** The backend under test over the tiny TSAM model; the test closes it. */
    protected abstract InferenceBackend open();

    /** The absolute difference allowed against ONNX Runtime on the CPU. */
    protected double tolerance() {
        return 1e-5;
    }

    /** Standard-normal inputs for {@code batch} samples of every input of {@code backend}. */
    protected static Map<String, FloatBuffer> inputs(
            InferenceBackend backend, int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, FloatBuffer> inputs = new LinkedHashMap<>();
        for (TensorSpec spec : backend.inputs()) {
            int n = (int) (batch * spec.sampleElements());
            FloatBuffer buffer =
                    ByteBuffer.allocateDirect(n * Float.BYTES)
                            .order(ByteOrder.nativeOrder())
                            .asFloatBuffer();
            for (int i = 0; i < n; i++) {
                buffer.put((float) random.nextGaussian());
            }
            inputs.put(spec.name(), buffer.rewind());
        }
        return inputs;
    }

    /** Sample {@code i} of a batch's buffers as a batch of one. */
    protected static Map<String, FloatBuffer> sample(
            InferenceBackend backend, Map<String, FloatBuffer> batch, int i) {
        Map<String, FloatBuffer> one = new LinkedHashMap<>();
        for (TensorSpec spec : backend.inputs()) {
            int n = (int) spec.sampleElements();
            FloatBuffer slice =
                    batch.get(spec.name()).duplicate().position(i * n).limit((i + 1) * n);
            one.put(spec.name(), slice.slice());
        }
        return one;
    }

    private static float[] reference(int batch, Map<String, FloatBuffer> inputs) {
        try (OrtBackend cpu =
                OrtBackend.builder()
                        .setModel(TinyModels.tsam())
                        .setEnvironment(OrtEnvironment.getEnvironment())
                        .optIntraOpThreads(1)
                        .build()) {
            return cpu.run(batch, inputs);
        }
    }

    @Test
    void describesTheModelsInputsOutputAndMetadata() {
        try (InferenceBackend backend = open()) {
            assertEquals(
                    List.of(
                            new TensorSpec("video", List.of(3L, 3L, 32L, 32L)),
                            new TensorSpec("audio", List.of(3L, 32L, 32L))),
                    backend.inputs());
            assertEquals(new TensorSpec("logits", List.of((long) CLASSES)), backend.output());
            assertEquals("1", backend.metadata().get("tsam.format_version"));
            assertTrue(backend.metadata().containsKey("tsam.config"), "the config travels along");
            assertFalse(backend.provider().isBlank());
            assertFalse(backend.description().isBlank());
            assertTrue(backend.maxBatch() >= 4, "max batch " + backend.maxBatch());
        }
    }

    @Test
    void aBatchComputesWhatOnnxRuntimeAndItsSamplesAloneCompute() {
        try (InferenceBackend backend = open()) {
            Map<String, FloatBuffer> batch = inputs(backend, 3, 1);
            float[] together = backend.run(3, batch);
            float[] again = backend.run(3, batch);

            assertEquals(3 * CLASSES, together.length);
            assertArrayEquals(together, again, "the same buffers give the same logits");
            assertArrayEquals(reference(3, batch), together, (float) tolerance());
            for (int i = 0; i < 3; i++) {
                float[] alone = backend.run(1, sample(backend, batch, i));
                for (int k = 0; k < CLASSES; k++) {
                    assertEquals(
                            together[i * CLASSES + k],
                            alone[k],
                            tolerance(),
                            "sample " + i + " class " + k);
                }
            }
        }
    }

    @Test
    void runsFromSeveralThreadsAtOnceGiveWhatTheyGiveOneAtATime() throws Exception {
        int threads = 4;
        int runs = 6;
        try (InferenceBackend backend = open()) {
            List<Map<String, FloatBuffer>> batches = new ArrayList<>();
            List<float[]> sequential = new ArrayList<>();
            for (int i = 0; i < threads * runs; i++) {
                int size = 1 + i % 3;
                Map<String, FloatBuffer> batch = inputs(backend, size, 100 + i);
                batches.add(batch);
                sequential.add(backend.run(size, batch));
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<float[]>> results = new ArrayList<>();
                for (int i = 0; i < batches.size(); i++) {
                    int index = i;
                    results.add(pool.submit(() -> backend.run(1 + index % 3, batches.get(index))));
                }
                for (int i = 0; i < results.size(); i++) {
                    assertArrayEquals(sequential.get(i), results.get(i).get(), "run " + i);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void wrongInputsAreRejectedNamingTheInput() {
        try (InferenceBackend backend = open()) {
            Map<String, FloatBuffer> two = inputs(backend, 2, 3);
            IllegalArgumentException size =
                    assertThrows(IllegalArgumentException.class, () -> backend.run(3, two));
            assertTrue(size.getMessage().contains("input 'video' needs"), size.getMessage());
            IllegalArgumentException missing =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> backend.run(2, Map.of("video", two.get("video"))));
            assertTrue(missing.getMessage().contains("inputs are"), missing.getMessage());
            assertThrows(IllegalArgumentException.class, () -> backend.run(0, two));
        }
    }

    @Test
    void closingStopsRunsAndASecondCloseDoesNothing() {
        InferenceBackend backend = open();
        Map<String, FloatBuffer> one = inputs(backend, 1, 4);
        backend.close();
        assertDoesNotThrow(backend::close);
        IllegalStateException closed =
                assertThrows(IllegalStateException.class, () -> backend.run(1, one));
        assertTrue(closed.getMessage().endsWith("is closed"), closed.getMessage());
    }
}
