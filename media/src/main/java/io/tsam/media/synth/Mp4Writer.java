package io.tsam.media.synth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Encodes one synthetic video, frames from a {@link Scene} and sound from a {@link ToneTrack}, into
 * an MP4 file with exactly one video stream (yuv420p) and one mono AAC stream.
 */
final class Mp4Writer {
    /** Preferred H.264 encoder; the LGPL FFmpeg build ships OpenH264 but not x264. */
    static final String H264 = "libopenh264";

    /** Fallback encoder that every FFmpeg build has. */
    static final String MPEG4 = "mpeg4";

    private static final int AUDIO_BITRATE = 64_000;
    private static final int MIN_VIDEO_BITRATE = 100_000;

    private Mp4Writer() {}

    /**
     * The video encoder this FFmpeg build offers: {@link #H264} if present, else {@link #MPEG4}.
     */
    static String bestVideoCodec() {
        return avcodec.avcodec_find_encoder_by_name(H264) != null ? H264 : MPEG4;
    }

    /**
     * One clip's worth of a file: {@code spec.frames()} frames of a scene and its sound.
     *
     * @param scene the pictures
     * @param audio the sound track, {@code spec.samples()} samples
     */
    record Segment(Scene scene, float[] audio) {}

    /**
     * Writes {@code file} (overwriting it) with the segments one after the other, the pixel noise
     * drawn from {@code noise}.
     */
    static void write(
            Path file,
            SynthSpec spec,
            String videoCodec,
            List<Segment> segments,
            SplittableRandom noise)
            throws IOException {
        int width = spec.width();
        int height = spec.height();
        int frames = spec.frames();
        byte[] rgb = new byte[width * height * 3];
        try (FFmpegFrameRecorder recorder =
                        new FFmpegFrameRecorder(file.toFile(), width, height, 1);
                Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3)) {
            configure(recorder, spec, videoCodec);
            recorder.start();
            ByteBuffer pixels = (ByteBuffer) frame.image[0];
            int rowBytes = width * 3;
            for (Segment segment : segments) {
                float[] audio = segment.audio();
                for (int i = 0; i < frames; i++) {
                    segment.scene().render(i, frames, rgb, noise);
                    for (int y = 0; y < height; y++) {
                        pixels.put(y * frame.imageStride, rgb, y * rowBytes, rowBytes);
                    }
                    recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
                    // Interleave: after each frame, the samples that span it.
                    int from = (int) ((long) i * audio.length / frames);
                    int to = (int) ((long) (i + 1) * audio.length / frames);
                    if (to > from) {
                        recorder.recordSamples(
                                spec.sampleRate(), 1, FloatBuffer.wrap(audio, from, to - from));
                    }
                }
            }
            recorder.stop();
        }
    }

    private static void configure(FFmpegFrameRecorder recorder, SynthSpec spec, String videoCodec) {
        recorder.setFormat("mp4");
        recorder.setVideoCodecName(videoCodec);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(spec.fps());
        recorder.setGopSize(spec.fps());
        // About half a bit per pixel: the per-frame noise stays rough but edges stay sharp.
        recorder.setVideoBitrate(
                Math.max(MIN_VIDEO_BITRATE, spec.width() * spec.height() * spec.fps() / 2));
        // One encoder thread each: multithreaded encoders may split work differently per run,
        // and identical bytes for identical seeds are part of the contract.
        recorder.setVideoOption("threads", "1");
        recorder.setAudioCodecName("aac");
        recorder.setAudioChannels(1);
        recorder.setSampleRate(spec.sampleRate());
        recorder.setAudioBitrate(AUDIO_BITRATE);
        recorder.setAudioOption("threads", "1");
    }
}
