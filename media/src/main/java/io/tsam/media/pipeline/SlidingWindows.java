package io.tsam.media.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the windows of a prediction over time lie: window {@code k} spans {@code [k * stride, k *
 * stride + length)} seconds from the first frame, and is cut into {@code T} equal segments whose
 * midpoints are its sampling times, TSN's test-time rule in time rather than in frame counts; the
 * frame each segment contributes is the one on screen at its midpoint. Time-based sampling lets a
 * file and a live stream, whose frame count is never known, be sampled alike.
 */
public final class SlidingWindows {

    /** A window ends within this of the video's end and still counts as whole. */
    private static final double END_TOLERANCE = 1e-6;

    /**
     * A frame within this many seconds after a midpoint counts as on screen at it: timestamps are
     * whole microseconds, rounded by one reader and truncated by another, and a midpoint often
     * falls exactly on a frame (a window of 1 s, 3 segments, 12 fps), where the two would disagree.
     */
    public static final double TIME_TOLERANCE = 2e-6;

    /**
     * One window.
     *
     * @param index {@code k}, from 0
     * @param start seconds from the first frame
     * @param end {@code start + length}
     * @param targets the {@code T} segment midpoints, ascending
     */
    public record Window(int index, double start, double end, double[] targets) {}

    private final double length;
    private final double stride;
    private final int segments;

    /**
     * @param length a window's length in seconds, > 0
     * @param stride seconds from one window's start to the next's, > 0
     * @param segments {@code T}, sampling times per window
     * @throws IllegalArgumentException naming the value out of range
     */
    public SlidingWindows(double length, double stride, int segments) {
        if (!(length > 0) || Double.isInfinite(length)) {
            throw new IllegalArgumentException("the window must be > 0 seconds, got " + length);
        }
        if (!(stride > 0) || Double.isInfinite(stride)) {
            throw new IllegalArgumentException("the stride must be > 0 seconds, got " + stride);
        }
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be >= 1, got " + segments);
        }
        this.length = length;
        this.stride = stride;
        this.segments = segments;
    }

    /** A window's length in seconds. */
    public double length() {
        return length;
    }

    /** Seconds between window starts. */
    public double stride() {
        return stride;
    }

    /** Window {@code k}. */
    public Window window(int k) {
        return span(k, k * stride, k * stride + length);
    }

    /**
     * The windows of a video {@code duration} seconds long: every whole window; one window of the
     * whole video when it is shorter than a window.
     */
    public List<Window> over(double duration) {
        if (!(duration > 0)) {
            throw new IllegalArgumentException("the video must last > 0 seconds, got " + duration);
        }
        if (duration < length) {
            return List.of(span(0, 0, duration));
        }
        List<Window> windows = new ArrayList<>();
        for (int k = 0; k * stride + length <= duration + END_TOLERANCE; k++) {
            windows.add(window(k));
        }
        return windows;
    }

    private Window span(int k, double start, double end) {
        double[] targets = new double[segments];
        double segment = (end - start) / segments;
        for (int i = 0; i < segments; i++) {
            targets[i] = start + (i + 0.5) * segment;
        }
        return new Window(k, start, end, targets);
    }
}
