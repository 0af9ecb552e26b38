package io.tsam.exporter.verify;

import io.tsam.config.ModelConfig;
import io.tsam.exporter.onnx.TsamOnnxFormat;
import io.tsam.media.pipeline.ClipTensors;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * One batch of model inputs fed to both implementations by a {@link ParityCheck}.
 *
 * @param name what the batch is, for the report (e.g. {@code random N=2 seed=7})
 * @param videoShape {@code [N, T, 3, H, W]}
 * @param video the video tensor, row-major
 * @param audio the audio tensor {@code [N, 3, H, W]}, row-major; present iff the model has audio
 */
public record ParityInput(String name, long[] videoShape, float[] video, Optional<float[]> audio) {

    private static final int RGB = 3;

    /** Checks that the arrays fit the shape and keeps private copies. */
    public ParityInput {
        Objects.requireNonNull(name, "name");
        if (videoShape.length != 5 || videoShape[0] < 1 || videoShape[2] != RGB) {
            throw new IllegalArgumentException(
                    "video shape must be [N, T, 3, H, W] with N >= 1, got "
                            + Arrays.toString(videoShape));
        }
        if (video.length != size(videoShape)) {
            throw new IllegalArgumentException(
                    "video has "
                            + video.length
                            + " values, shape "
                            + Arrays.toString(videoShape)
                            + " needs "
                            + size(videoShape));
        }
        long audioSize = size(audioShape(videoShape));
        audio.ifPresent(
                a -> {
                    if (a.length != audioSize) {
                        throw new IllegalArgumentException(
                                "audio has "
                                        + a.length
                                        + " values, [N, 3, H, W] needs "
                                        + audioSize);
                    }
                });
        videoShape = videoShape.clone();
        video = video.clone();
        audio = audio.map(float[]::clone);
    }

    /**
     * Returns a batch of standard normal values drawn from {@code seed}: the video tensor first,
     * then the audio tensor.
     *
     * @param model segments and audio
     * @param size the image side {@code H = W}
     * @param batch {@code N}
     * @param seed the seed of {@link Random}
     * @return the inputs, named {@code random N=<batch> seed=<seed>}
     */
    public static ParityInput random(ModelConfig model, int size, int batch, long seed) {
        Random random = new Random(seed);
        long[] shape = {batch, model.videoSegments(), RGB, size, size};
        float[] video = normal(random, size(shape));
        Optional<float[]> audio =
                model.hasAudio()
                        ? Optional.of(normal(random, size(audioShape(shape))))
                        : Optional.empty();
        return new ParityInput("random N=" + batch + " seed=" + seed, shape, video, audio);
    }

    /**
     * Returns the default inputs of a check: one random sample, then a random batch of 3, so that
     * both a single sample and a larger batch go through the same session.
     *
     * @param model segments and audio
     * @param size the image side {@code H = W}
     * @param seed the first seed; the second batch uses {@code seed + 1}
     * @return the two batches
     */
    public static List<ParityInput> standard(ModelConfig model, int size, long seed) {
        return List.of(random(model, size, 1, seed), random(model, size, 3, seed + 1));
    }

    /**
     * Returns the clips of real videos as one batch, as the media pipeline builds them.
     *
     * @param name what the clips are, for the report
     * @param model segments and audio
     * @param size the image side {@code H = W} the clips were made at
     * @param clips one clip per sample, each {@code [T, 3, H, W]} video and {@code [3, H, W]} audio
     *     when the model has audio
     * @return the batch
     */
    public static ParityInput clips(
            String name, ModelConfig model, int size, List<ClipTensors> clips) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("no clips for the parity input " + name);
        }
        long[] shape = {clips.size(), model.videoSegments(), RGB, size, size};
        int videoLength = Math.toIntExact(size(shape) / clips.size());
        int audioLength = RGB * size * size;
        float[] video = new float[videoLength * clips.size()];
        float[] audio = new float[audioLength * clips.size()];
        for (int i = 0; i < clips.size(); i++) {
            ClipTensors clip = clips.get(i);
            copy(clip.video(), video, i * videoLength, videoLength, name);
            if (model.hasAudio()) {
                copy(clip.audio(), audio, i * audioLength, audioLength, name);
            }
        }
        return new ParityInput(
                name, shape, video, model.hasAudio() ? Optional.of(audio) : Optional.empty());
    }

    /** {@code N}. */
    public int batch() {
        return Math.toIntExact(videoShape[0]);
    }

    /** {@code [N, 3, H, W]}. */
    public long[] audioShape() {
        return audioShape(videoShape);
    }

    @Override
    public long[] videoShape() {
        return videoShape.clone();
    }

    @Override
    public float[] video() {
        return video.clone();
    }

    @Override
    public Optional<float[]> audio() {
        return audio.map(float[]::clone);
    }

    private static long[] audioShape(long[] videoShape) {
        return new long[] {videoShape[0], RGB, videoShape[3], videoShape[4]};
    }

    private static long size(long[] shape) {
        long size = 1;
        for (long dim : shape) {
            size *= dim;
        }
        return size;
    }

    private static float[] normal(Random random, long count) {
        float[] values = new float[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static void copy(float[] from, float[] to, int offset, int length, String name) {
        if (from == null || from.length != length) {
            throw new IllegalArgumentException(
                    "a clip of "
                            + name
                            + " has "
                            + (from == null ? "no" : Integer.toString(from.length))
                            + " values where the model needs "
                            + length);
        }
        System.arraycopy(from, 0, to, offset, length);
    }

    /**
     * The inputs by their graph names, as {@link io.tsam.backend.InferenceBackend#run} takes them.
     */
    public Map<String, FloatBuffer> feeds() {
        Map<String, FloatBuffer> feeds = new LinkedHashMap<>();
        feeds.put(TsamOnnxFormat.VIDEO, FloatBuffer.wrap(video));
        audio.ifPresent(values -> feeds.put(TsamOnnxFormat.AUDIO, FloatBuffer.wrap(values)));
        return feeds;
    }
}
