package io.tsam.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code model_validation} section.
 *
 * @param numClips {@code num_clips}: clips per video in validation, whose scores are averaged (SPEC
 *     §2 multi-clip test), >= 1
 */
public record ValidationConfig(int numClips) {
    static final String SECTION = "model_validation";

    public ValidationConfig {
        Check.atLeast(SECTION + ".num_clips", numClips, 1);
    }

    /** The default: one clip. */
    public static ValidationConfig defaults() {
        return new ValidationConfig(1);
    }

    static ValidationConfig read(JsonSection s) {
        ValidationConfig result =
                new ValidationConfig(s.integer("num_clips", defaults().numClips()));
        s.finish();
        return result;
    }

    ObjectNode toJsonNode() {
        ObjectNode node = ConfigJson.newObject();
        node.put("num_clips", numClips);
        return node;
    }
}
