package io.tsam.backend;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Whether two sessions of one model compute the same thing: their first outputs on one seeded input
 * of batch 1, which a graph rewritten for this machine must reproduce before it is used.
 */
final class LayoutCheck {

    /**
     * The largest difference allowed, relative to the larger of 1 and the reference's largest
     * magnitude: a fused residual sums in another order (seen: 1.2e-7 on ResNet-50 logits), a
     * misplaced channel run changes logits by a sizeable fraction.
     */
    static final double TOLERANCE = 1e-4;

    private static final long SEED = 20241203L;

    private LayoutCheck() {}

    /** The largest difference of {@code candidate}'s first output from {@code reference}'s. */
    static double maxDifference(
            OrtEnvironment environment, OrtSession reference, OrtSession candidate)
            throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        Random random = new Random(SEED);
        try {
            for (Map.Entry<String, NodeInfo> input : reference.getInputInfo().entrySet()) {
                long[] shape = ((TensorInfo) input.getValue().getInfo()).getShape().clone();
                shape[0] = 1;
                int size = 1;
                for (long dim : shape) {
                    size = Math.multiplyExact(size, Math.toIntExact(dim));
                }
                float[] values = new float[size];
                for (int i = 0; i < size; i++) {
                    values[i] = (float) random.nextGaussian();
                }
                feeds.put(
                        input.getKey(),
                        OnnxTensor.createTensor(environment, FloatBuffer.wrap(values), shape));
            }
            float[] expected = firstOutput(reference, feeds);
            float[] actual = firstOutput(candidate, feeds);
            if (expected.length != actual.length) {
                return Double.POSITIVE_INFINITY;
            }
            double scale = 1;
            double difference = 0;
            for (int i = 0; i < expected.length; i++) {
                scale = Math.max(scale, Math.abs(expected[i]));
                difference = Math.max(difference, Math.abs(expected[i] - actual[i]));
            }
            return Double.isNaN(difference) ? Double.POSITIVE_INFINITY : difference / scale;
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] firstOutput(OrtSession session, Map<String, OnnxTensor> feeds)
            throws OrtException {
        try (OrtSession.Result result = session.run(feeds)) {
            FloatBuffer output = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[output.remaining()];
            output.get(values);
            return values;
        }
    }
}
