package io.tsam.media.video;

import io.tsam.media.image.RgbImage;
import java.nio.file.Path;
import java.util.List;

/**
 * A video file seen as TSAM's {@code video2frames.py} extracts it ({@code ffmpeg -i VIDEO -vf
 * "scale=-1:HEIGHT,fps=FPS"}): frame {@code n} is output frame {@code n} of {@link FpsGrid}'s
 * resampling, scaled to {@code HEIGHT} rows with swscale's bicubic filter. Only the source frames
 * that requested indices show are decoded. Not thread-safe; whoever opens it closes it.
 *
 * <p>What is not reproduced is the JPEG round trip of the extracted files ({@code -q:v 0}, the best
 * quality), a difference of about one grey level.
 */
public final class ExtractedFrames implements FrameSource {
    private final VideoFile video;
    private final int[] sources;

    private ExtractedFrames(VideoFile video, int[] sources) {
        this.video = video;
        this.sources = sources;
    }

    /**
     * Opens a video file resampled to {@code fps} and scaled to {@code height} rows.
     *
     * @param autorotate whether pictures are turned upright first, as ffmpeg does by default
     * @throws io.tsam.media.MediaException naming the file if it cannot be opened
     */
    public static ExtractedFrames open(Path path, double fps, int height, boolean autorotate) {
        VideoFile video = VideoFile.open(path, autorotate);
        try {
            video.scaleToHeight(height);
            return new ExtractedFrames(video, FpsGrid.sourceFrames(video, fps));
        } catch (RuntimeException e) {
            video.close();
            throw e;
        }
    }

    @Override
    public Path path() {
        return video.path();
    }

    @Override
    public int frameCount() {
        return sources.length;
    }

    @Override
    public List<RgbImage> read(int[] indices) {
        int[] mapped = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= sources.length) {
                throw new IllegalArgumentException(
                        "frame "
                                + indices[i]
                                + " is outside [0, "
                                + sources.length
                                + ") of "
                                + video.path());
            }
            mapped[i] = sources[indices[i]];
        }
        return video.read(mapped);
    }

    @Override
    public DecodeStats stats() {
        return video.stats();
    }

    @Override
    public void close() {
        video.close();
    }
}
