package io.tsam.media.pipeline;

import io.tsam.media.image.Crop;
import io.tsam.media.image.FrameTransform;
import io.tsam.media.image.RgbImage;
import io.tsam.media.image.TsamFrameTransform;

/**
 * A frame as a test clip shows it to the model: centre crop, no flip, normalised, by the model's
 * input profile ({@link TsamFrameTransform} or {@link FrameTransform}). Thread-safe.
 */
public final class TestFrameTransform {

    private final MediaConfig config;
    private final FrameTransform transform;
    private final TsamFrameTransform tsamTransform;

    public TestFrameTransform(MediaConfig config) {
        this.config = config;
        this.transform =
                new FrameTransform(config.scaleSize(), config.cropSize(), config.resizeMode());
        this.tsamTransform = new TsamFrameTransform(config.cropSize());
    }

    /** Floats one frame becomes: {@code 3 * crop * crop}. */
    public int length() {
        return config.imageLength();
    }

    /** Writes {@code frame}'s {@code [3, crop, crop]} tensor to {@code dst} at {@code offset}. */
    public void apply(RgbImage frame, float[] dst, int offset) {
        if (config.tsamProfile()) {
            tsamTransform.apply(
                    frame, TsamFrameTransform.center(frame.width(), frame.height()), dst, offset);
        } else {
            int[] resized = transform.resizedSize(frame.width(), frame.height());
            transform.apply(
                    frame, Crop.center(resized[0], resized[1], config.cropSize()), dst, offset);
        }
    }
}
