package io.tsam.config;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One line of a list file: a video and its label.
 *
 * @param id the video's id, a path relative to the videos, frames and audio folders without
 *     extension (may contain {@code /}, {@code .} and {@code -})
 * @param numFrames the frame count given by TSM's three-field form, if any
 * @param label the class index, >= 0
 */
public record VideoEntry(String id, OptionalInt numFrames, int label) {

    public VideoEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(numFrames, "numFrames");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("video id must not be empty");
        }
        if (label < 0) {
            throw new IllegalArgumentException(
                    "label of video '" + id + "' is " + label + ", must be >= 0");
        }
        if (numFrames.isPresent() && numFrames.getAsInt() < 1) {
            throw new IllegalArgumentException(
                    "num_frames of video '"
                            + id
                            + "' is "
                            + numFrames.getAsInt()
                            + ", must be >= 1");
        }
    }
}
