package io.tsam.benchmarks;

import io.tsam.backend.InferenceBackend;
import io.tsam.config.ModelMetadata;
import io.tsam.media.pipeline.ClipTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One decoded clip as a model input, repeated to a batch, in direct buffers made once: the
 * model-only side of a comparison with whole predictions of the same video.
 */
final class ClipInputs {
    private final int batch;
    private final Map<String, FloatBuffer> buffers;

    private ClipInputs(int batch, Map<String, FloatBuffer> buffers) {
        this.batch = batch;
        this.buffers = buffers;
    }

    /** {@code batch} copies of {@code clip}, for inputs named as SPEC §5 says. */
    static ClipInputs of(ClipTensors clip, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        Map<String, FloatBuffer> buffers = new LinkedHashMap<>();
        buffers.put(ModelMetadata.VIDEO_INPUT, buffer(clip.video(), batch));
        if (clip.audio() != null) {
            buffers.put(ModelMetadata.AUDIO_INPUT, buffer(clip.audio(), batch));
        }
        return new ClipInputs(batch, buffers);
    }

    /** The batch size. */
    int batch() {
        return batch;
    }

    /** Runs the model once on the batch. */
    void run(InferenceBackend backend) {
        buffers.values().forEach(FloatBuffer::rewind);
        backend.run(batch, buffers);
    }

    private static FloatBuffer buffer(float[] values, int copies) {
        FloatBuffer buffer =
                ByteBuffer.allocateDirect(Math.multiplyExact(values.length * copies, Float.BYTES))
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
        for (int i = 0; i < copies; i++) {
            buffer.put(values);
        }
        return buffer.rewind();
    }
}
