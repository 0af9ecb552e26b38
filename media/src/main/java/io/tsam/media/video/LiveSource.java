package io.tsam.media.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;

import io.tsam.media.MediaException;
import io.tsam.media.image.RgbImage;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * A live source read front to back as FFmpeg decodes it: a network stream (RTSP, HTTP, UDP, ...), a
 * capture device ({@code /dev/video0} through V4L2) or a file, which can be paced at its own frame
 * rate as if it were live. Pictures come as RGB at their own size, or scaled to a height with the
 * bicubic filter; sound as float samples per channel at the stream's rate.
 *
 * <p>Network reads time out rather than wait forever on a source that went silent. Not thread-safe;
 * whoever opens a source closes it.
 */
public final class LiveSource implements AutoCloseable {

    /** How long a network read may block before the source counts as dropped. */
    private static final int NETWORK_TIMEOUT_US = 5_000_000;

    /** Receives what the source yields, in decoding order. */
    public interface Listener {
        /**
         * A picture.
         *
         * @param seconds its time from the first picture
         * @param image converted on request; valid until the next picture's call returns
         */
        void video(double seconds, Supplier<RgbImage> image);

        /**
         * Sound.
         *
         * @param seconds the first sample's time from the first picture
         * @param rate samples per second
         * @param samples one array per channel
         */
        void audio(double seconds, int rate, float[][] samples);
    }

    /** Sound decoded before the first picture. */
    private record Sound(long micros, float[][] samples) {}

    private final String source;
    private final FFmpegFrameGrabber grabber;
    private final boolean realtime;
    private final int height;
    private final byte[][] pictures = new byte[2][];
    private final List<Sound> early = new ArrayList<>();
    private int picture;
    private long firstMicros = Long.MIN_VALUE;
    private long startNanos;
    private double lastSeconds;
    private boolean closed;

    private LiveSource(String source, FFmpegFrameGrabber grabber, boolean realtime, int height) {
        this.source = source;
        this.grabber = grabber;
        this.realtime = realtime;
        this.height = height;
    }

    /**
     * Opens and starts reading a source.
     *
     * @param source a URL ({@code rtsp://}, {@code http://}, ...), a V4L2 device ({@code
     *     /dev/video0}) or a file
     * @param realtime whether a file is read no faster than its frame times
     * @param height the height pictures are scaled to, keeping the aspect ratio; 0 for their own
     * @throws MediaException naming the source if it cannot be opened
     */
    public static LiveSource open(String source, boolean realtime, int height) {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source);
        if (isDevice(source)) {
            grabber.setFormat("v4l2");
        } else if (isNetwork(source)) {
            grabber.setOption("rw_timeout", Integer.toString(NETWORK_TIMEOUT_US));
            if (source.startsWith("rtsp")) {
                grabber.setOption("rtsp_transport", "tcp");
            }
        }
        grabber.setPixelFormat(AV_PIX_FMT_RGB24);
        grabber.setSampleFormat(AV_SAMPLE_FMT_FLTP);
        try {
            grabber.start();
            if (height > 0 && grabber.getImageHeight() > 0) {
                grabber.setImageHeight(height);
                grabber.setImageWidth(
                        (int)
                                Math.max(
                                        1,
                                        Math.round(
                                                (double) grabber.getImageWidth()
                                                        * height
                                                        / grabber.getImageHeight())));
                grabber.setImageScalingFlags(SWS_BICUBIC);
            }
        } catch (FrameGrabber.Exception | RuntimeException e) {
            release(grabber);
            throw new MediaException(Path.of(source), "cannot open the source: " + reason(e), e);
        }
        if (grabber.getVideoStream() < 0) {
            release(grabber);
            throw new MediaException(Path.of(source), "the source has no video stream");
        }
        return new LiveSource(source, grabber, realtime && isFile(source), height);
    }

    /** Whether a source is a file, which ends, rather than a stream, which may drop. */
    public static boolean isFile(String source) {
        return !isNetwork(source) && !isDevice(source) && Files.isRegularFile(Path.of(source));
    }

    private static boolean isNetwork(String source) {
        return source.toLowerCase(Locale.ROOT).matches("[a-z][a-z0-9+.-]*://.*")
                && !source.startsWith("file:");
    }

    private static boolean isDevice(String source) {
        return source.startsWith("/dev/video");
    }

    /** The source as given. */
    public String source() {
        return source;
    }

    /** Whether the source has sound. */
    public boolean hasAudio() {
        return grabber.getAudioStream() >= 0;
    }

    /**
     * Reads until the source ends or {@code stop} says so, handing everything to {@code listener}.
     *
     * @return true if the source ended, false if stopped
     * @throws MediaException naming the source when reading fails (a dropped connection)
     */
    public boolean read(Listener listener, BooleanSupplier stop) {
        startNanos = System.nanoTime();
        while (!stop.getAsBoolean()) {
            Frame frame;
            try {
                frame = grabber.grabFrame(true, true, true, false, true);
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw new MediaException(Path.of(source), "reading failed: " + reason(e), e);
            }
            if (frame == null) {
                return true;
            }
            if (frame.image != null) {
                picture(frame, listener);
            } else if (frame.samples != null && firstMicros == Long.MIN_VALUE) {
                // The video decoder's delay lets sound come first: it waits for the picture that
                // starts the time line.
                early.add(new Sound(frame.timestamp, samples(frame)));
            } else if (frame.samples != null) {
                listener.audio(seconds(frame.timestamp), grabber.getSampleRate(), samples(frame));
            }
        }
        return false;
    }

    /** Time of the last picture, seconds from the first. */
    public double lastSeconds() {
        return lastSeconds;
    }

    private void picture(Frame frame, Listener listener) {
        if (firstMicros == Long.MIN_VALUE) {
            firstMicros = frame.timestamp;
            for (Sound sound : early) {
                listener.audio(seconds(sound.micros()), grabber.getSampleRate(), sound.samples());
            }
            early.clear();
        }
        double seconds = seconds(frame.timestamp);
        if (realtime) {
            pace(seconds);
        }
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        ByteBuffer pixels = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        // Pictures are copied out of the grabber's buffer, which the next grab reuses, into one of
        // two arrays: the listener may still use the previous picture.
        picture ^= 1;
        byte[] rgb = pictures[picture];
        if (rgb == null || rgb.length != w * h * 3) {
            rgb = new byte[w * h * 3];
            pictures[picture] = rgb;
        }
        for (int y = 0; y < h; y++) {
            pixels.get(y * stride, rgb, y * w * 3, w * 3);
        }
        byte[] copy = rgb;
        RgbImage[] image = new RgbImage[1];
        lastSeconds = Math.max(lastSeconds, seconds);
        listener.video(
                seconds,
                () -> {
                    if (image[0] == null) {
                        image[0] = new RgbImage(w, h, copy);
                    }
                    return image[0];
                });
    }

    private double seconds(long micros) {
        return (micros - firstMicros) / 1e6;
    }

    private void pace(double seconds) {
        long due = startNanos + (long) (seconds * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static float[][] samples(Frame frame) {
        float[][] channels = new float[frame.samples.length][];
        for (int c = 0; c < channels.length; c++) {
            FloatBuffer buffer = (FloatBuffer) frame.samples[c];
            channels[c] = new float[buffer.remaining()];
            buffer.duplicate().get(channels[c]);
        }
        return channels;
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release(grabber);
        }
    }

    private static void release(FFmpegFrameGrabber grabber) {
        try {
            grabber.release();
        } catch (FrameGrabber.Exception e) {
            // Nothing more can be done about a source that will not close.
        }
    }
}
