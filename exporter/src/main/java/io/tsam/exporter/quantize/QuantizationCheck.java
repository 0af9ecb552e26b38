package io.tsam.exporter.quantize;

import io.tsam.backend.InferenceBackend;
import io.tsam.exporter.calibration.CalibrationSource;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How far a quantised model is from its float model on real clips: the share of clips whose top-1
 * class is the same, and the largest and mean absolute logit difference.
 *
 * @param clips the clips compared
 * @param top1Agreement the share of clips with the same top-1 class, in [0, 1]
 * @param maxLogitDifference the largest absolute difference of one logit
 * @param meanLogitDifference the mean absolute difference over all logits
 */
public record QuantizationCheck(
        int clips, double top1Agreement, double maxLogitDifference, double meanLogitDifference) {

    /**
     * Runs both models on at most {@code maxBatches} batches of {@code source}.
     *
     * @throws IllegalArgumentException if the source gives no batch
     */
    public static QuantizationCheck run(
            InferenceBackend reference,
            InferenceBackend quantised,
            CalibrationSource source,
            int maxBatches) {
        int clips = 0;
        int agreeing = 0;
        double max = 0;
        double sum = 0;
        long logits = 0;
        int classes = Math.toIntExact(reference.output().sampleElements());
        for (int batch = 0; batch < maxBatches; batch++) {
            Optional<Map<String, float[]>> inputs = source.nextBatch();
            if (inputs.isEmpty()) {
                break;
            }
            Map<String, FloatBuffer> feeds = new LinkedHashMap<>();
            inputs.get().forEach((name, values) -> feeds.put(name, FloatBuffer.wrap(values)));
            float[] expected = reference.run(source.batchSize(), feeds);
            feeds.values().forEach(FloatBuffer::rewind);
            float[] actual = quantised.run(source.batchSize(), feeds);
            for (int clip = 0; clip < source.batchSize(); clip++) {
                int offset = clip * classes;
                agreeing +=
                        argmax(expected, offset, classes) == argmax(actual, offset, classes)
                                ? 1
                                : 0;
                for (int c = offset; c < offset + classes; c++) {
                    double difference = Math.abs(expected[c] - actual[c]);
                    max = Math.max(max, difference);
                    sum += difference;
                    logits++;
                }
            }
            clips += source.batchSize();
        }
        if (clips == 0) {
            throw new IllegalArgumentException(
                    "no clip could be read from " + source.description());
        }
        return new QuantizationCheck(clips, (double) agreeing / clips, max, sum / logits);
    }

    /** One line for the export's summary. */
    public String summary() {
        return String.format(
                Locale.ROOT,
                "int8 vs float on %d clips: top-1 agreement %.1f %%, max |logit difference| %.4f,"
                        + " mean %.4f",
                clips,
                100 * top1Agreement,
                maxLogitDifference,
                meanLogitDifference);
    }

    /** The figures, for JSON reports. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("clips", clips);
        map.put("top1_agreement", top1Agreement);
        map.put("max_logit_difference", maxLogitDifference);
        map.put("mean_logit_difference", meanLogitDifference);
        return map;
    }

    private static int argmax(float[] values, int offset, int length) {
        int best = offset;
        for (int i = offset + 1; i < offset + length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best - offset;
    }
}
