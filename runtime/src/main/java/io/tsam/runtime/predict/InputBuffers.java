package io.tsam.runtime.predict;

import io.tsam.backend.TensorSpec;
import io.tsam.media.pipeline.ClipTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input buffers of one batch size: direct, native-order buffers that ONNX Runtime wraps without
 * copying, allocated once and refilled for every batch of that size. Used by one thread at a time.
 */
final class InputBuffers {
    private final int batch;
    private final FloatBuffer video;
    private final FloatBuffer audio;
    private final Map<String, FloatBuffer> byName;

    private InputBuffers(int batch, TensorSpec videoSpec, TensorSpec audioSpec) {
        this.batch = batch;
        this.video = allocate(batch * videoSpec.sampleElements());
        this.audio = audioSpec == null ? null : allocate(batch * audioSpec.sampleElements());
        Map<String, FloatBuffer> map = new LinkedHashMap<>();
        map.put(videoSpec.name(), video);
        if (audioSpec != null) {
            map.put(audioSpec.name(), audio);
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /**
     * Buffers for {@code batch} samples.
     *
     * @param audioSpec the audio input, or null for a video-only model
     */
    static InputBuffers allocate(int batch, TensorSpec videoSpec, TensorSpec audioSpec) {
        return new InputBuffers(batch, videoSpec, audioSpec);
    }

    int batch() {
        return batch;
    }

    /**
     * Copies {@code clips} (exactly {@link #batch()} of them) in, sample after sample, and rewinds
     * the buffers for reading.
     */
    Map<String, FloatBuffer> fill(List<ClipTensors> clips) {
        if (clips.size() != batch) {
            throw new IllegalArgumentException(
                    "buffers for " + batch + " samples, got " + clips.size() + " clips");
        }
        video.clear();
        if (audio != null) {
            audio.clear();
        }
        for (ClipTensors clip : clips) {
            video.put(clip.video());
            if (audio != null) {
                audio.put(clip.audio());
            }
        }
        video.rewind();
        if (audio != null) {
            audio.rewind();
        }
        return byName;
    }

    private static FloatBuffer allocate(long floats) {
        long bytes = floats * Float.BYTES;
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "a batch input of " + floats + " floats exceeds a direct buffer's 2 GiB");
        }
        return ByteBuffer.allocateDirect((int) bytes)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }
}
