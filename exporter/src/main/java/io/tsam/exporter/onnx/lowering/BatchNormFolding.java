package io.tsam.exporter.onnx.lowering;

/**
 * Folds an inference-mode BatchNorm into the conv before it: {@code w'[o] = w[o] * s[o]} and {@code
 * b'[o] = beta[o] + (b[o] - mean[o]) * s[o]} with {@code s[o] = gamma[o] / sqrt(var[o] + eps)}, so
 * that {@code conv'(x) = bn(conv(x))}.
 *
 * <p>The scale and the products are computed in double and rounded to float32 once, so the folded
 * weights are as close to the exact fold as float32 allows.
 */
public final class BatchNormFolding {

    private BatchNormFolding() {}

    /**
     * The folded weights of a conv.
     *
     * @param weight {@code [out, in / groups, kh, kw]}, row-major
     * @param bias {@code [out]}
     */
    public record Folded(float[] weight, float[] bias) {}

    /**
     * Folds a BatchNorm into a conv.
     *
     * @param weight the conv's weight {@code [out, ...]}, row-major; only read
     * @param bias the conv's bias {@code [out]}, zeros for a conv without bias; only read
     * @param gamma the BatchNorm's scale {@code [out]}
     * @param beta the BatchNorm's shift {@code [out]}
     * @param mean the running mean {@code [out]}
     * @param variance the running variance {@code [out]}
     * @param epsilon the BatchNorm's epsilon
     * @return the new weight and bias
     * @throws IllegalArgumentException if the lengths do not fit one another
     */
    public static Folded fold(
            float[] weight,
            float[] bias,
            float[] gamma,
            float[] beta,
            float[] mean,
            float[] variance,
            double epsilon) {
        int out = bias.length;
        if (out == 0
                || weight.length % out != 0
                || gamma.length != out
                || beta.length != out
                || mean.length != out
                || variance.length != out) {
            throw new IllegalArgumentException(
                    "cannot fold a BatchNorm of "
                            + gamma.length
                            + " channels (beta "
                            + beta.length
                            + ", mean "
                            + mean.length
                            + ", variance "
                            + variance.length
                            + ") into a conv with "
                            + out
                            + " outputs and "
                            + weight.length
                            + " weights");
        }
        int perOutput = weight.length / out;
        float[] foldedWeight = new float[weight.length];
        float[] foldedBias = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = gamma[o] / Math.sqrt((double) variance[o] + epsilon);
            for (int i = o * perOutput; i < (o + 1) * perOutput; i++) {
                foldedWeight[i] = (float) (weight[i] * scale);
            }
            foldedBias[o] = (float) (beta[o] + ((double) bias[o] - mean[o]) * scale);
        }
        return new Folded(foldedWeight, foldedBias);
    }
}
