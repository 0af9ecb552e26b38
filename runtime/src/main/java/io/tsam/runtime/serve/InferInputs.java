package io.tsam.runtime.serve;

import io.tsam.backend.TensorSpec;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.runtime.predict.AudioState;
import io.tsam.runtime.predict.PreparedVideo;
import io.tsam.runtime.serve.InferRequestParser.InferRequest;
import io.tsam.runtime.serve.InferRequestParser.InputTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an inference request against the model's inputs and cuts its tensors into clips: every
 * input once, {@value #DATATYPE}, shape {@code [N, sample shape...]} with the same {@code N} for
 * all, {@code 1 <= N <= maxBatch}, and as many values as the shape says.
 */
final class InferInputs {

    /** The only datatype the model takes. */
    static final String DATATYPE = "FP32";

    /** What the prepared "video" of an inference request is called in logs. */
    private static final Path SOURCE = Path.of("infer");

    private final TensorSpec video;
    private final TensorSpec audio;
    private final List<TensorSpec> inputs;
    private final String output;
    private final int maxBatch;

    /**
     * Checks requests against these inputs.
     *
     * @param video the model's video input
     * @param audio the model's audio input, or null for a video-only model
     * @param output the model's output name
     * @param maxBatch the most samples one request may send
     */
    InferInputs(TensorSpec video, TensorSpec audio, String output, int maxBatch) {
        this.video = video;
        this.audio = audio;
        this.inputs = audio == null ? List.of(video) : List.of(video, audio);
        this.output = output;
        this.maxBatch = maxBatch;
    }

    /**
     * Checks the byte count of an input sent as raw little-endian {@value #DATATYPE} values.
     *
     * @param what the input, for the message
     * @param field where the count comes from, e.g. {@code binary_data_size}
     * @throws IllegalArgumentException unless a whole number of at most {@code maxValues} values
     */
    static void checkBinarySize(String what, String field, long bytes, long maxValues) {
        if (bytes % Float.BYTES != 0 || bytes / Float.BYTES > maxValues) {
            throw new IllegalArgumentException(
                    what
                            + " has "
                            + field
                            + " "
                            + bytes
                            + ": "
                            + DATATYPE
                            + " values take "
                            + Float.BYTES
                            + " bytes each, and one request may send at most "
                            + maxValues
                            + " (--max-batch samples)");
        }
    }

    /** The most values one input's {@code data} may hold. */
    long maxValues() {
        return maxBatch * inputs.stream().mapToLong(TensorSpec::sampleElements).max().orElse(1);
    }

    /**
     * The request's samples as one prepared "video" of {@code N} clips, ready for the batcher.
     *
     * @throws IllegalArgumentException naming the input, the value received and what is allowed
     */
    PreparedVideo toClips(InferRequest request) {
        for (InferRequestParser.RequestedOutput asked : request.outputs()) {
            if (!asked.name().equals(output)) {
                throw new IllegalArgumentException(
                        "unknown output '"
                                + asked.name()
                                + "'; the model's only output is '"
                                + output
                                + "'");
            }
        }
        Map<String, InputTensor> byName = new LinkedHashMap<>();
        List<String> names = inputs.stream().map(TensorSpec::name).toList();
        for (InputTensor tensor : request.inputs()) {
            if (!names.contains(tensor.name())) {
                throw new IllegalArgumentException(
                        "unknown input '" + tensor.name() + "'; the model's inputs are " + names);
            }
            if (byName.put(tensor.name(), tensor) != null) {
                throw new IllegalArgumentException(
                        "input '" + tensor.name() + "' is given more than once");
            }
        }
        if (byName.size() != inputs.size()) {
            List<String> missing = names.stream().filter(n -> !byName.containsKey(n)).toList();
            throw new IllegalArgumentException(
                    "missing input"
                            + (missing.size() == 1 ? " " : "s ")
                            + missing
                            + "; the model's inputs are "
                            + names);
        }
        int batch = -1;
        for (TensorSpec spec : inputs) {
            int n = check(byName.get(spec.name()), spec);
            if (batch >= 0 && n != batch) {
                throw new IllegalArgumentException(
                        "inputs disagree on the batch size: '"
                                + inputs.get(0).name()
                                + "' has "
                                + batch
                                + " samples, '"
                                + spec.name()
                                + "' has "
                                + n);
            }
            batch = n;
        }
        float[] videoData = byName.get(video.name()).data();
        int videoSize = (int) video.sampleElements();
        float[] audioData = audio == null ? null : byName.get(audio.name()).data();
        int audioSize = audio == null ? 0 : (int) audio.sampleElements();
        List<ClipTensors> clips = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            clips.add(
                    new ClipTensors(
                            Arrays.copyOfRange(videoData, i * videoSize, (i + 1) * videoSize),
                            audioData == null
                                    ? null
                                    : Arrays.copyOfRange(
                                            audioData, i * audioSize, (i + 1) * audioSize),
                            false,
                            new int[0]));
        }
        return new PreparedVideo(
                SOURCE, 0, clips, batch, audio == null ? AudioState.OFF : AudioState.PRESENT, 0, 0);
    }

    /** Checks one tensor and returns its batch size. */
    private int check(InputTensor tensor, TensorSpec spec) {
        if (!tensor.datatype().equals(DATATYPE)) {
            throw new IllegalArgumentException(
                    "input '"
                            + spec.name()
                            + "' has datatype "
                            + tensor.datatype()
                            + "; the model takes "
                            + DATATYPE);
        }
        long[] shape = tensor.shape();
        List<Long> sample = spec.sampleShape();
        boolean fits = shape.length == sample.size() + 1;
        for (int i = 0; fits && i < sample.size(); i++) {
            fits = shape[i + 1] == sample.get(i);
        }
        if (!fits || shape[0] < 1 || shape[0] > maxBatch) {
            throw new IllegalArgumentException(
                    "input '"
                            + spec.name()
                            + "' has shape "
                            + Arrays.toString(shape)
                            + "; the model takes [N, "
                            + String.join(", ", sample.stream().map(String::valueOf).toList())
                            + "] with 1 <= N <= "
                            + maxBatch
                            + " (--max-batch)");
        }
        long expected = shape[0] * spec.sampleElements();
        if (tensor.data().length != expected) {
            throw new IllegalArgumentException(
                    "input '"
                            + spec.name()
                            + "' has "
                            + tensor.data().length
                            + " values; its shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + expected);
        }
        return (int) shape[0];
    }
}
