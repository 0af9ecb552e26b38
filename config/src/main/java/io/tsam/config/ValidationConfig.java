package io.tsam.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * The {@code model_validation} section.
 *
 * @param numClips {@code num_clips}: clips per video in validation, combined by {@code average}
 *     (SPEC §2 multi-clip test), >= 1
 * @param average {@code average}: mean logits or mean probabilities; absent, {@code logits} for a
 *     model in TSAM's shift style and {@code probs} for TSM's
 */
public record ValidationConfig(int numClips, ClipAverage average) {
    static final String SECTION = "model_validation";

    /** The key of {@link #average}; a stored config written before it existed means probs. */
    static final String AVERAGE_KEY = "average";

    public ValidationConfig {
        Objects.requireNonNull(average, "average");
        Check.atLeast(SECTION + ".num_clips", numClips, 1);
    }

    /** The defaults: one clip, logits averaged (TSAM). */
    public static ValidationConfig defaults() {
        return new ValidationConfig(1, ClipAverage.LOGITS);
    }

    /** The default average for a model in {@code style}. */
    static ClipAverage defaultAverage(ShiftStyle style) {
        return style == ShiftStyle.TSAM ? ClipAverage.LOGITS : ClipAverage.PROBS;
    }

    static ValidationConfig read(JsonSection s, ClipAverage defaultAverage) {
        ValidationConfig result =
                new ValidationConfig(
                        s.integer("num_clips", defaults().numClips()),
                        s.choice(
                                AVERAGE_KEY,
                                defaultAverage,
                                List.of(ClipAverage.values()),
                                ClipAverage::jsonName));
        s.finish();
        return result;
    }

    ObjectNode toJsonNode() {
        ObjectNode node = ConfigJson.newObject();
        node.put("num_clips", numClips);
        node.put(AVERAGE_KEY, average.jsonName());
        return node;
    }
}
