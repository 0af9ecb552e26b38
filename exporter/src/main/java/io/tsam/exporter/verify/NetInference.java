package io.tsam.exporter.verify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.tsam.model.net.TsamNet;
import java.util.Arrays;

/**
 * The DJL net's logits for a batch of inputs: the reference the exported model is checked against.
 */
public final class NetInference {

    private NetInference() {}

    /**
     * Runs the net in inference mode one sample at a time: DJL keeps every intermediate array until
     * its manager closes, so a batch would hold the activations of all {@code N * S} images at once
     * (6 GB for three TSAM-R50 samples at 224x224). In inference mode the samples do not interact,
     * so the rows are the same.
     *
     * @return the logits, row-major {@code [N, classes]}
     */
    public static float[] logits(TsamNet net, ParityInput input) {
        NDManager parameters = net.head().getParameters().get("weight").getArray().getManager();
        float[] video = input.video();
        float[] audio = input.audio().orElse(null);
        long[] videoShape = input.videoShape();
        long[] audioShape = input.audioShape();
        videoShape[0] = 1;
        audioShape[0] = 1;
        int videoLength = video.length / input.batch();
        int audioLength = audio == null ? 0 : audio.length / input.batch();
        float[] logits = new float[input.batch() * net.classes()];
        for (int n = 0; n < input.batch(); n++) {
            try (NDManager scope = parameters.newSubManager()) {
                NDList arrays = new NDList(sample(scope, video, n, videoLength, videoShape));
                if (audio != null) {
                    arrays.add(sample(scope, audio, n, audioLength, audioShape));
                }
                NDArray row =
                        net.forward(new ParameterStore(scope, false), arrays, false)
                                .singletonOrThrow();
                System.arraycopy(row.toFloatArray(), 0, logits, n * net.classes(), net.classes());
            }
        }
        return logits;
    }

    private static NDArray sample(
            NDManager manager, float[] batch, int index, int length, long[] shape) {
        float[] values = Arrays.copyOfRange(batch, index * length, (index + 1) * length);
        return manager.create(values, new Shape(shape));
    }
}
