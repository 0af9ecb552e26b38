package io.tsam.media.video;

import java.util.Arrays;

/**
 * Which source frame each frame of a fixed-rate resampling shows, as {@code ffmpeg -vf fps=R}
 * (TSAM's {@code video2frames.py}) picks them: output frame {@code n} shows the newest source frame
 * whose time, rounded to the output grid, is at most {@code n}; output stops where the video ends,
 * one frame duration after its last frame, rounded to the grid. The one place this rule lives:
 * {@code tsam-data frames} writes by it and the {@code tsam} profile reads video files by it.
 */
public final class FpsGrid {
    private FpsGrid() {}

    /**
     * The source frame of every output frame of {@code video} resampled to {@code fps}; its last
     * frame lasts one frame period (the container's duration may include a longer audio track).
     */
    public static int[] sourceFrames(VideoFile video, double fps) {
        double frameSeconds = video.frameRate() > 0 ? 1.0 / video.frameRate() : 0.0;
        return sourceFrames(video.presentationMicros(), frameSeconds, fps);
    }

    /**
     * The source frame of every output frame.
     *
     * @param micros each source frame's presentation time in microseconds, ascending
     * @param frameSeconds the last frame's duration
     * @param fps the output rate, > 0
     * @return one source index per output frame; at least one when there is a source frame
     */
    public static int[] sourceFrames(long[] micros, double frameSeconds, double fps) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException("fps must be > 0, got " + fps);
        }
        if (micros.length == 0) {
            return new int[0];
        }
        double end = micros[micros.length - 1] / 1e6 + frameSeconds;
        int slots = (int) Math.max(Math.round(end * fps), 1);
        int[] sources = new int[slots];
        int next = 0;
        for (int i = 1; i < micros.length && next < slots; i++) {
            // Frame i - 1 fills the slots up to frame i's rounded position (slots before the
            // first frame show the first frame).
            int until = (int) Math.min(Math.round(micros[i] * fps / 1e6), slots);
            while (next < until) {
                sources[next++] = i - 1;
            }
        }
        Arrays.fill(sources, next, slots, micros.length - 1);
        return sources;
    }
}
