package io.tsam.runtime.serve;

import ai.onnxruntime.OrtEnvironment;
import io.tsam.backend.OrtBackend;
import io.tsam.backend.TinyModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

/** The serving tests' model: the tiny TSAM export on one ONNX Runtime thread, and its inputs. */
final class TinyBackends {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private TinyBackends() {}

    /** A new session of the tiny TSAM model; the caller (or a server) closes it. */
    static OrtBackend tsam() {
        return OrtBackend.builder()
                .setModel(TinyModels.tsam())
                .setEnvironment(ENV)
                .optIntraOpThreads(1)
                .build();
    }

    /** {@code values} in a direct buffer, as a backend run takes them. */
    static FloatBuffer direct(float[] values) {
        FloatBuffer buffer =
                ByteBuffer.allocateDirect(values.length * Float.BYTES)
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
        buffer.put(values).rewind();
        return buffer;
    }

    /**
     * Random inputs for {@code n} samples and the model's logits for them.
     *
     * @param video {@code [n, 3, 3, 32, 32]} row-major
     * @param audio {@code [n, 3, 32, 32]} row-major
     * @param logits {@code [n, 8]} as {@code reference} computes them
     */
    record Samples(float[] video, float[] audio, float[] logits) {
        static Samples of(OrtBackend reference, int n, long seed) {
            Random random = new Random(seed);
            float[] video = gaussian(random, n * 3 * 3 * 32 * 32);
            float[] audio = gaussian(random, n * 3 * 32 * 32);
            float[] logits =
                    reference.run(n, Map.of("video", direct(video), "audio", direct(audio)));
            return new Samples(video, audio, logits);
        }
    }

    /** {@code n} standard normal values. */
    static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
