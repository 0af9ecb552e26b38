package io.tsam.config;

/**
 * How the test clips of one video combine into its class probabilities ({@code
 * model_validation.average}, SPEC §2).
 */
public enum ClipAverage {
    /**
     * The softmax of the clips' mean logits. TSAM's code sums the clips' logits (its features are
     * averaged before the one linear head, which is the same), so this is its models' default.
     */
    LOGITS("logits"),
    /** The mean of the clips' softmax probabilities, as TSM's and MMAction2's tests do. */
    PROBS("probs");

    private final String jsonName;

    ClipAverage(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in the config file. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * The class probabilities of one video from its clips' logits.
     *
     * @param logits row-major {@code [clips][classes]} starting at {@code offset}
     * @param offset the index of the video's first logit
     * @param clips the number of clips, at least 1
     * @param classes the number of classes
     * @return {@code classes} probabilities summing to 1
     */
    public double[] probabilities(float[] logits, int offset, int clips, int classes) {
        double[] result = new double[classes];
        if (this == LOGITS) {
            for (int clip = 0; clip < clips; clip++) {
                for (int k = 0; k < classes; k++) {
                    result[k] += logits[offset + clip * classes + k];
                }
            }
            for (int k = 0; k < classes; k++) {
                result[k] /= clips;
            }
            return softmaxInPlace(result);
        }
        for (int clip = 0; clip < clips; clip++) {
            double[] row = new double[classes];
            for (int k = 0; k < classes; k++) {
                row[k] = logits[offset + clip * classes + k];
            }
            softmaxInPlace(row);
            for (int k = 0; k < classes; k++) {
                result[k] += row[k] / clips;
            }
        }
        return result;
    }

    /** The softmax, shifted by the maximum so that large logits do not overflow. */
    private static double[] softmaxInPlace(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int k = 0; k < values.length; k++) {
            values[k] = Math.exp(values[k] - max);
            sum += values[k];
        }
        for (int k = 0; k < values.length; k++) {
            values[k] /= sum;
        }
        return values;
    }
}
