package io.tsam.media.pipeline;

import io.tsam.media.audio.AudioTrack;
import io.tsam.media.image.RgbImage;
import io.tsam.media.pipeline.SlidingWindows.Window;
import io.tsam.media.pipeline.WindowAssembler.FilledWindow;
import io.tsam.media.pipeline.WindowedVideo.WindowClip;
import io.tsam.media.video.LiveSource;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sliding windows over a stream that never ends: frames and sound arrive as they are decoded, and
 * each window is handed on once its frames are in and the sound covers its span. Windows are
 * sampled as {@link WindowedVideo} samples a file ({@link SlidingWindows}), so a file read as a
 * stream gives the same windows. Only the windows in progress, the newest frame and the sound since
 * the oldest open window's start are held: memory stays flat however long the stream runs.
 *
 * <p>Times are seconds from the stream's first video frame. Not thread-safe.
 */
public final class LiveWindows implements LiveSource.Listener {

    private final SlidingWindows windows;
    private final boolean audio;
    private final AudioSegmentImage audioImages;
    private final Consumer<WindowClip> sink;
    private final WindowAssembler assembler;
    private final Deque<FilledWindow> waitingForSound = new ArrayDeque<>();
    private int nextWindow;
    private int oldestWindow;
    private double lastVideo = Double.NEGATIVE_INFINITY;
    private double lastInterval;

    // The sound since sample `base` (counted from the first sound), per channel.
    private int sampleRate;
    private double soundStart = Double.NaN;
    private float[][] sound = new float[0][];
    private long base;
    private int held;
    private boolean soundEnded;
    private int peakHeld;
    private int peakOpen;

    /**
     * @param config the model's media settings
     * @param windows where windows lie
     * @param sink receives each window, in order
     */
    public LiveWindows(MediaConfig config, SlidingWindows windows, Consumer<WindowClip> sink) {
        this.windows = windows;
        this.audio = config.audio();
        this.audioImages = new AudioSegmentImage(config);
        this.sink = sink;
        this.assembler = new WindowAssembler(config, this::filled);
    }

    /**
     * The next video frame.
     *
     * @param time seconds from the first frame, not decreasing
     * @param image the picture, asked for only if a window takes it; it must stay valid until the
     *     next frame's call returns
     */
    @Override
    public void video(double time, Supplier<RgbImage> image) {
        // Windows begin once the stream reaches them, so that none waits unfilled in memory.
        while (nextWindow * windows.stride() <= time) {
            assembler.add(windows.window(nextWindow++));
        }
        if (lastVideo != Double.NEGATIVE_INFINITY) {
            lastInterval = time - lastVideo;
        }
        lastVideo = time;
        assembler.offer(time, Math.round(time * 1e6), image);
        peakOpen = Math.max(peakOpen, openWindows());
        release();
    }

    /**
     * The next stretch of sound.
     *
     * @param time the first sample's time, seconds from the first video frame; only the first
     *     stretch's is used, the stream's samples being contiguous
     * @param rate samples per second
     * @param samples one array per channel, all as long
     */
    @Override
    public void audio(double time, int rate, float[][] samples) {
        if (!audio || samples.length == 0 || samples[0].length == 0) {
            return;
        }
        if (Double.isNaN(soundStart)) {
            soundStart = time;
            sampleRate = rate;
            sound = new float[samples.length][Math.max(4096, samples[0].length)];
        }
        if (rate != sampleRate || samples.length != sound.length) {
            throw new IllegalArgumentException(
                    "the sound changed from "
                            + sound.length
                            + " channels at "
                            + sampleRate
                            + " Hz to "
                            + samples.length
                            + " at "
                            + rate
                            + " Hz");
        }
        int n = samples[0].length;
        if (held + n > sound[0].length) {
            for (int c = 0; c < sound.length; c++) {
                sound[c] = Arrays.copyOf(sound[c], Math.max(held + n, 2 * sound[c].length));
            }
        }
        for (int c = 0; c < sound.length; c++) {
            System.arraycopy(samples[c], 0, sound[c], held, n);
        }
        held += n;
        peakHeld = Math.max(peakHeld, held);
        release();
    }

    /**
     * The stream ended: windows whose frames are in are handed on with the sound there is, and
     * windows that run past the last frame's end (its time plus the last frame interval, as a
     * file's duration counts it) are dropped.
     *
     * @return the windows dropped
     */
    public int end() {
        soundEnded = true;
        double frame = lastVideo == Double.NEGATIVE_INFINITY ? 0 : lastVideo + lastInterval;
        int dropped = assembler.finish(frame);
        release();
        return dropped;
    }

    /** Windows begun and not yet handed on. */
    public int openWindows() {
        return assembler.openWindows() + waitingForSound.size();
    }

    /** The most windows open at once so far. */
    public int peakOpenWindows() {
        return peakOpen;
    }

    /** The most sound samples per channel held at once so far. */
    public int peakHeldSamples() {
        return peakHeld;
    }

    private void filled(FilledWindow window) {
        waitingForSound.addLast(window);
    }

    /** Hands on the filled windows whose sound is in, then forgets sound no window needs. */
    private void release() {
        while (!waitingForSound.isEmpty() && soundCovers(waitingForSound.peekFirst().window())) {
            FilledWindow window = waitingForSound.removeFirst();
            oldestWindow = window.window().index() + 1;
            sink.accept(clip(window));
        }
        trim();
    }

    private boolean soundCovers(Window window) {
        if (!audio || soundEnded) {
            return true;
        }
        return !Double.isNaN(soundStart)
                && soundStart + (double) (base + held) / sampleRate >= window.end();
    }

    private WindowClip clip(FilledWindow window) {
        int[] frames = Arrays.stream(window.frames()).mapToInt(f -> (int) f).toArray();
        float[] image = null;
        boolean missing = false;
        if (audio) {
            AudioTrack span = span(window.window());
            missing = Double.isNaN(soundStart);
            image = span == null ? audioImages.silence() : audioImages.of(span);
        }
        return new WindowClip(
                window.window(), new ClipTensors(window.video(), image, missing, frames));
    }

    /** The window's sound, or null when there is none. */
    private AudioTrack span(Window window) {
        if (Double.isNaN(soundStart)) {
            return null;
        }
        long from = Math.max(base, Math.round((window.start() - soundStart) * sampleRate));
        long to = Math.min(base + held, Math.round((window.end() - soundStart) * sampleRate));
        if (to <= from) {
            return null;
        }
        float[][] out = new float[sound.length][];
        for (int c = 0; c < sound.length; c++) {
            out[c] = Arrays.copyOfRange(sound[c], (int) (from - base), (int) (to - base));
        }
        return new AudioTrack(sampleRate, out);
    }

    /** Drops the sound before the oldest window not yet handed on. */
    private void trim() {
        if (Double.isNaN(soundStart)) {
            return;
        }
        double keepFrom = oldestWindow * windows.stride();
        long drop = Math.round((keepFrom - soundStart) * sampleRate) - base;
        drop = Math.min(drop, held);
        if (drop <= 0) {
            return;
        }
        for (float[] channel : sound) {
            System.arraycopy(channel, (int) drop, channel, 0, held - (int) drop);
        }
        held -= (int) drop;
        base += drop;
    }
}
