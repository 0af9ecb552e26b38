package io.tsam.media.video;

import io.tsam.media.image.RgbImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Random access to the frames of one video, by index in presentation order.
 *
 * <p>Frame {@code i} is the {@code i}-th picture a full sequential decode yields, whatever an
 * implementation does to get there. A source holds native or file resources: whoever opens it
 * closes it. Sources are not thread-safe.
 */
public interface FrameSource extends AutoCloseable {
    /** The file or folder the frames come from. */
    Path path();

    /** How many frames the video has. */
    int frameCount();

    /**
     * Decodes the frames at {@code indices}.
     *
     * @param indices frame indices in {@code [0, frameCount())}, in any order, repeats allowed
     * @return one image per requested index, in request order; a repeated index may share one image
     *     instance
     * @throws IllegalArgumentException if an index is out of range
     * @throws io.tsam.media.MediaException if the file cannot be decoded
     * @throws IllegalStateException after {@link #close()}
     */
    List<RgbImage> read(int[] indices);

    /**
     * The frames that decode alone after a seek, ascending; empty when the source cannot tell
     * (every frame then counts as costing the same).
     */
    default int[] keyframes() {
        return new int[0];
    }

    /** Cumulative decode work since the source was opened. */
    DecodeStats stats();

    /** Releases the source; a second call does nothing. */
    @Override
    void close();
}
