package io.tsam.media.video;

import io.tsam.media.image.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Serves a {@link FrameSource#read} request by decoding each distinct frame once, in ascending
 * order (what a forward-decoding reader needs), and answering in request order.
 */
final class FrameRequests {
    private FrameRequests() {}

    /**
     * @param indices the requested 0-based frames, any order, repeats allowed
     * @param count frames in the source; indices outside {@code [0, count)} are rejected
     * @param source named in the error message
     * @param decode decodes one frame; called with strictly increasing indices
     */
    static List<RgbImage> read(
            int[] indices, int count, Object source, IntFunction<RgbImage> decode) {
        for (int index : indices) {
            if (index < 0 || index >= count) {
                throw new IllegalArgumentException(
                        "frame index " + index + " is outside [0, " + count + ") of " + source);
            }
        }
        int[] wanted = Arrays.stream(indices).distinct().sorted().toArray();
        RgbImage[] images = new RgbImage[wanted.length];
        for (int i = 0; i < wanted.length; i++) {
            images[i] = decode.apply(wanted[i]);
        }
        List<RgbImage> result = new ArrayList<>(indices.length);
        for (int index : indices) {
            result.add(images[Arrays.binarySearch(wanted, index)]);
        }
        return result;
    }
}
