package io.tsam.runtime.bench;

import io.tsam.backend.InferenceBackend;
import io.tsam.backend.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Standard-normal inputs of a model's shapes, the same for the same seed. */
final class RandomInputs {

    private RandomInputs() {}

    /** One batch of inputs for every input of {@code backend}, in direct buffers. */
    static Map<String, FloatBuffer> of(InferenceBackend backend, int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, FloatBuffer> inputs = new LinkedHashMap<>();
        for (TensorSpec input : backend.inputs()) {
            inputs.put(input.name(), gaussian(batch * input.sampleElements(), random));
        }
        return inputs;
    }

    /** {@code count} standard-normal floats in a direct buffer. */
    static FloatBuffer gaussian(long count, SplittableRandom random) {
        FloatBuffer buffer =
                ByteBuffer.allocateDirect(Math.toIntExact(count * Float.BYTES))
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
        for (long i = 0; i < count; i++) {
            buffer.put((float) random.nextGaussian());
        }
        return buffer.rewind();
    }
}
