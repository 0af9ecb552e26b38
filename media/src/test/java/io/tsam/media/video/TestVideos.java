package io.tsam.media.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.tsam.media.image.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Writes small real videos for tests with JavaCV's {@link FFmpegFrameRecorder}: every frame shows
 * its own number as a row of black and white blocks, so a test can tell which frame a decoder
 * returned, plus a moving gradient so that no two frames are alike.
 */
public final class TestVideos {
    /** How many bits of the frame number the block row carries. */
    public static final int BITS = 10;

    private TestVideos() {}

    /**
     * The encoder settings of a test video.
     *
     * @param codec an FFmpeg encoder name: "mpeg4", "libopenh264", ...
     * @param format the container: "mp4", "matroska", "avi", ...
     * @param gop frames between keyframes
     * @param bFrames B-frames between references (0 for none; libopenh264 ignores it)
     * @param audio whether to add a 16 kHz mono AAC track
     */
    public record Spec(String codec, String format, int gop, int bFrames, boolean audio) {
        /** MPEG-4 part 2 in MP4, keyframe every 12 frames, 2 B-frames, no audio. */
        public static Spec mpeg4() {
            return new Spec("mpeg4", "mp4", 12, 2, false);
        }

        /** H.264 (OpenH264, which writes no B-frames) in MP4, keyframe every 12 frames. */
        public static Spec h264() {
            return new Spec("libopenh264", "mp4", 12, 0, false);
        }

        /** The same with a 16 kHz mono AAC track. */
        public Spec withAudio() {
            return new Spec(codec, format, gop, bFrames, true);
        }

        /** The same in another container. */
        public Spec withFormat(String container) {
            return new Spec(codec, container, gop, bFrames, audio);
        }
    }

    /** Writes {@code frames} frames of {@code width x height} at 25 fps to {@code file}. */
    public static Path write(Path file, Spec spec, int frames, int width, int height)
            throws IOException {
        double fps = 25;
        int sampleRate = 16000;
        try (FFmpegFrameRecorder recorder =
                new FFmpegFrameRecorder(file.toFile(), width, height, spec.audio() ? 1 : 0)) {
            recorder.setFormat(spec.format());
            recorder.setVideoCodecName(spec.codec());
            recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(fps);
            recorder.setGopSize(spec.gop());
            // High quality, so that the block row survives compression of tiny frames.
            recorder.setVideoBitrate(Math.max(2_000_000, width * height * 20));
            if (spec.bFrames() > 0) {
                recorder.setVideoOption("bf", Integer.toString(spec.bFrames()));
            }
            if (spec.audio()) {
                recorder.setAudioCodec(AV_CODEC_ID_AAC);
                recorder.setSampleRate(sampleRate);
                recorder.setAudioBitrate(64_000);
            }
            recorder.start();
            ByteBuffer image = ByteBuffer.allocateDirect(width * height * 3);
            int samplesPerFrame = (int) (sampleRate / fps);
            for (int i = 0; i < frames; i++) {
                image.clear();
                image.put(pattern(i, width, height).pixels()).flip();
                recorder.recordImage(
                        width, height, Frame.DEPTH_UBYTE, 3, width * 3, AV_PIX_FMT_RGB24, image);
                if (spec.audio()) {
                    ShortBuffer samples = ShortBuffer.allocate(samplesPerFrame);
                    for (int s = 0; s < samplesPerFrame; s++) {
                        double t = (double) (i * samplesPerFrame + s) / sampleRate;
                        samples.put((short) (8000 * Math.sin(2 * Math.PI * 440 * t)));
                    }
                    recorder.recordSamples(sampleRate, 1, samples.flip());
                }
            }
            recorder.stop();
        }
        return file;
    }

    /** Frame {@code index}: its number in blocks across the top quarter, a gradient below. */
    public static RgbImage pattern(int index, int width, int height) {
        byte[] pixels = new byte[width * height * 3];
        int band = height / 4;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = (y * width + x) * 3;
                if (y < band) {
                    int bit = x * BITS / width;
                    byte v = (byte) (((index >> bit) & 1) != 0 ? 235 : 16);
                    pixels[p] = v;
                    pixels[p + 1] = v;
                    pixels[p + 2] = v;
                } else {
                    pixels[p] = (byte) (x * 255 / width);
                    pixels[p + 1] = (byte) ((y * 255 / height + 7 * index) % 256);
                    pixels[p + 2] = (byte) ((x + y + 3 * index) % 256);
                }
            }
        }
        return new RgbImage(width, height, pixels);
    }

    /** Reads back the frame number a {@link #pattern} frame shows, after lossy coding. */
    public static int number(RgbImage image) {
        int y = image.height() / 8;
        int n = 0;
        for (int bit = 0; bit < BITS; bit++) {
            int x = (2 * bit + 1) * image.width() / (2 * BITS);
            if (image.get(x, y, 1) > 128) {
                n |= 1 << bit;
            }
        }
        return n;
    }
}
