package io.tsam.media.pipeline;

import io.tsam.media.image.RgbImage;
import io.tsam.media.pipeline.SlidingWindows.Window;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Fills sliding windows with frames as they arrive in presentation order, from a file or a live
 * stream alike: each window's segment midpoint takes the frame on screen then (the last frame shown
 * at or before it), a frame is transformed at most once however many windows use it, and a window
 * is handed on as soon as its last midpoint is passed. Only the windows in progress and the newest
 * frame are held, so memory stays flat however long the stream runs.
 *
 * <p>Frames need not all be offered: offering only the frames some midpoint will take gives the
 * same windows. Not thread-safe.
 */
public final class WindowAssembler {

    /**
     * A filled window.
     *
     * @param window where it lies
     * @param video {@code [T, 3, crop, crop]}, row-major
     * @param frames the id of the frame each segment took
     */
    public record FilledWindow(Window window, float[] video, long[] frames) {}

    /** A window being filled. */
    private static final class Open {
        final Window window;
        final float[] video;
        final long[] frames;
        int filled;

        Open(Window window, int segments, int frameLength) {
            this.window = window;
            this.video = new float[segments * frameLength];
            this.frames = new long[segments];
        }

        double nextTarget() {
            return window.targets()[filled];
        }

        boolean full() {
            return filled == frames.length;
        }
    }

    /** The newest frame, transformed when a window first takes it. */
    private final class Frame {
        final long id;
        final Supplier<RgbImage> image;
        float[] tensor;

        Frame(long id, Supplier<RgbImage> image) {
            this.id = id;
            this.image = image;
        }

        float[] tensor() {
            if (tensor == null) {
                tensor = new float[transform.length()];
                transform.apply(image.get(), tensor, 0);
                transformed++;
            }
            return tensor;
        }
    }

    private final TestFrameTransform transform;
    private final int segments;
    private final Consumer<FilledWindow> sink;
    private final Deque<Open> open = new ArrayDeque<>();
    private Frame last;
    private long transformed;

    /**
     * @param config the model's media settings: segments, crop and profile
     * @param sink receives each window once filled, in window order
     */
    public WindowAssembler(MediaConfig config, Consumer<FilledWindow> sink) {
        this.transform = new TestFrameTransform(config);
        this.segments = config.videoSegments();
        this.sink = sink;
    }

    /** Adds the next window to fill; windows come in order, before the frames they take. */
    public void add(Window window) {
        if (window.targets().length != segments) {
            throw new IllegalArgumentException(
                    "a window needs " + segments + " targets, got " + window.targets().length);
        }
        open.addLast(new Open(window, segments, transform.length()));
    }

    /**
     * The next frame in presentation order.
     *
     * @param time its presentation time, seconds from the first frame, not decreasing
     * @param id what the filled windows report it as (its index in the file, say)
     * @param image the picture, asked for only if a window takes the frame; it must stay valid
     *     until the next frame's offer returns
     */
    public void offer(double time, long id, Supplier<RgbImage> image) {
        Frame frame = new Frame(id, image);
        // Midpoints before the first frame take the first frame.
        assignBefore(time, last == null ? frame : last);
        last = frame;
    }

    /**
     * The stream ended at {@code end} seconds: midpoints not yet passed take the last frame, and
     * windows ending after {@code end} are dropped.
     *
     * @return the windows dropped
     */
    public int finish(double end) {
        int dropped = 0;
        while (!open.isEmpty() && open.peekLast().window.end() > end + 1e-6) {
            open.removeLast();
            dropped++;
        }
        if (last != null) {
            assignBefore(Double.POSITIVE_INFINITY, last);
        } else {
            dropped += open.size();
            open.clear();
        }
        return dropped;
    }

    /** Windows added and not yet handed on. */
    public int openWindows() {
        return open.size();
    }

    /** Frames transformed so far: each frame some window took, once. */
    public long framesTransformed() {
        return transformed;
    }

    private void assignBefore(double time, Frame frame) {
        for (Open window : open) {
            while (!window.full() && window.nextTarget() + SlidingWindows.TIME_TOLERANCE < time) {
                int slot = window.filled++;
                System.arraycopy(
                        frame.tensor(),
                        0,
                        window.video,
                        slot * transform.length(),
                        transform.length());
                window.frames[slot] = frame.id;
            }
        }
        while (!open.isEmpty() && open.peekFirst().full()) {
            Open done = open.removeFirst();
            sink.accept(
                    new FilledWindow(
                            done.window, done.video, Arrays.copyOf(done.frames, segments)));
        }
    }
}
