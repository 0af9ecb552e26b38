package io.tsam.media.video;

import io.tsam.media.image.RgbImage;
import java.io.IOException;

/** Receives every frame of a sequential decode, in presentation order. */
@FunctionalInterface
public interface FrameVisitor {
    /**
     * Handles one frame.
     *
     * @param index the frame's position in the decode, from 0; the index {@link FrameSource#read}
     *     uses
     * @param timestampMicros the frame's presentation time in microseconds, as the container states
     *     it (not shifted to start at 0)
     * @param image the frame; the visitor may keep it
     */
    void visit(int index, long timestampMicros, RgbImage image) throws IOException;
}
