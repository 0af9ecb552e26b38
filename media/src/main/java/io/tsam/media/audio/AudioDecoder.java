package io.tsam.media.audio;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_DBL;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S32;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_U8;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_get_packed_sample_fmt;
import static org.bytedeco.ffmpeg.global.avutil.av_get_sample_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_sample_fmt_is_planar;

import io.tsam.media.FfmpegInput;
import io.tsam.media.MediaException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decodes a file's audio stream with FFmpeg's decoders into float samples per channel, converting
 * integer and double samples exactly as swresample's float conversion does.
 *
 * <p>Written against FFmpeg directly rather than through JavaCV's grabber, whose {@code release}
 * calls {@code malloc_trim}: run once per decoded track, that handed every free page of the process
 * (libtorch's and the JVM's too) back to the kernel, and a 2-core training run spent a quarter of
 * its time in system calls and page faults taking them back.
 */
final class AudioDecoder {
    private static final int GROWTH_START = 4096;

    // Java arrays hold a little less than 2^31 elements.
    private static final int MAX_SAMPLES = Integer.MAX_VALUE - 8;

    private final Path file;
    private float[][] data;
    private int length;

    private AudioDecoder(Path file) {
        this.file = file;
    }

    /** See {@link AudioTrack#read}; the file is known to exist. */
    static Optional<AudioTrack> decode(Path file) {
        AVFormatContext format = FfmpegInput.open(file);
        try {
            int stream = audioStream(format);
            if (stream < 0) {
                return Optional.empty();
            }
            for (int i = 0; i < format.nb_streams(); i++) {
                if (i != stream) {
                    format.streams(i).discard(AVDISCARD_ALL);
                }
            }
            return Optional.of(new AudioDecoder(file).run(format, stream));
        } finally {
            avformat_close_input(format);
        }
    }

    /** The first audio stream whose disposition flags are all clear, else the first one. */
    private static int audioStream(AVFormatContext format) {
        int first = -1;
        for (int i = 0; i < format.nb_streams(); i++) {
            AVCodecParameters par = format.streams(i).codecpar();
            if (par.codec_type() != AVMEDIA_TYPE_AUDIO) {
                continue;
            }
            if (format.streams(i).disposition() == 0) {
                return i;
            }
            first = first < 0 ? i : first;
        }
        return first;
    }

    private AudioTrack run(AVFormatContext format, int stream) {
        AVCodecParameters par = format.streams(stream).codecpar();
        int channels = par.ch_layout().nb_channels();
        int rate = par.sample_rate();
        if (channels <= 0 || rate <= 0) {
            throw new MediaException(
                    file,
                    "audio stream reports "
                            + channels
                            + " channels at "
                            + rate
                            + " Hz; cannot decode it");
        }
        data = new float[channels][GROWTH_START];
        AVCodecContext codec = openDecoder(par);
        AVPacket packet = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        try {
            int ret;
            while ((ret = av_read_frame(format, packet)) >= 0) {
                try {
                    if (packet.stream_index() == stream) {
                        // A damaged packet loses its samples; the decoder resyncs at the next.
                        if (avcodec_send_packet(codec, packet) >= 0) {
                            drain(codec, frame);
                        }
                    }
                } finally {
                    av_packet_unref(packet);
                }
            }
            // A truncated file ends here like a complete one: what was decoded is the track.
            avcodec_send_packet(codec, null);
            drain(codec, frame);
        } finally {
            av_frame_free(frame);
            av_packet_free(packet);
            avcodec_free_context(codec);
        }
        float[][] out = new float[channels][];
        for (int c = 0; c < channels; c++) {
            out[c] = Arrays.copyOf(data[c], length);
        }
        return new AudioTrack(rate, out);
    }

    private AVCodecContext openDecoder(AVCodecParameters par) {
        AVCodec decoder = avcodec_find_decoder(par.codec_id());
        String name = avcodec_get_name(par.codec_id()).getString(StandardCharsets.UTF_8);
        if (decoder == null || decoder.isNull()) {
            throw new MediaException(file, "no decoder for audio codec " + name);
        }
        AVCodecContext ctx = avcodec_alloc_context3(decoder);
        int ret = avcodec_parameters_to_context(ctx, par);
        if (ret >= 0) {
            ret = avcodec_open2(ctx, decoder, (PointerPointer<?>) null);
        }
        if (ret < 0) {
            avcodec_free_context(ctx);
            throw new MediaException(
                    file,
                    "cannot decode the audio track (the "
                            + name
                            + " decoder: "
                            + FfmpegInput.error(ret)
                            + ")");
        }
        return ctx;
    }

    private void drain(AVCodecContext codec, AVFrame frame) {
        while (true) {
            int ret = avcodec_receive_frame(codec, frame);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
                return;
            }
            if (ret < 0) {
                throw new MediaException(
                        file, "cannot decode the audio track (" + FfmpegInput.error(ret) + ")");
            }
            try {
                append(frame);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    private void append(AVFrame frame) {
        int channels = data.length;
        int n = frame.nb_samples();
        if (frame.ch_layout().nb_channels() != channels) {
            throw new MediaException(
                    file,
                    "the audio stream changes from "
                            + channels
                            + " to "
                            + frame.ch_layout().nb_channels()
                            + " channels");
        }
        ensure(n);
        int format = frame.format();
        int packed = av_get_packed_sample_fmt(format);
        boolean planar = av_sample_fmt_is_planar(format) != 0;
        int bytes = bytesPerSample(packed, format);
        for (int c = 0; c < channels; c++) {
            BytePointer plane = frame.extended_data(planar ? c : 0);
            int stride = planar ? 1 : channels;
            int first = planar ? 0 : c;
            ByteBuffer buffer =
                    plane.capacity((long) n * stride * bytes)
                            .asByteBuffer()
                            .order(ByteOrder.nativeOrder());
            float[] out = data[c];
            for (int i = 0; i < n; i++) {
                out[length + i] = sample(buffer, (first + i * stride) * bytes, packed);
            }
        }
        length += n;
    }

    /** One sample as a float, as swresample's conversions to float compute it. */
    private static float sample(ByteBuffer buffer, int offset, int packed) {
        if (packed == AV_SAMPLE_FMT_FLT) {
            return buffer.getFloat(offset);
        }
        if (packed == AV_SAMPLE_FMT_S16) {
            return buffer.getShort(offset) * (1.0f / (1 << 15));
        }
        if (packed == AV_SAMPLE_FMT_S32) {
            return buffer.getInt(offset) * (1.0f / (1L << 31));
        }
        if (packed == AV_SAMPLE_FMT_DBL) {
            return (float) buffer.getDouble(offset);
        }
        return ((buffer.get(offset) & 0xff) - 0x80) * (1.0f / (1 << 7));
    }

    private int bytesPerSample(int packed, int format) {
        if (packed == AV_SAMPLE_FMT_FLT || packed == AV_SAMPLE_FMT_S32) {
            return 4;
        }
        if (packed == AV_SAMPLE_FMT_S16) {
            return 2;
        }
        if (packed == AV_SAMPLE_FMT_DBL) {
            return 8;
        }
        if (packed == AV_SAMPLE_FMT_U8) {
            return 1;
        }
        BytePointer name = av_get_sample_fmt_name(format);
        throw new MediaException(
                file,
                "the audio decoder produces samples of format "
                        + (name == null ? String.valueOf(format) : name.getString())
                        + ", which cannot be read");
    }

    private void ensure(int extra) {
        long needed = (long) length + extra;
        if (needed > MAX_SAMPLES) {
            throw new MediaException(
                    file, "audio track is longer than " + MAX_SAMPLES + " samples per channel");
        }
        if (needed > data[0].length) {
            int capacity = (int) Math.min(MAX_SAMPLES, Math.max(needed, 2L * data[0].length));
            for (int c = 0; c < data.length; c++) {
                data[c] = Arrays.copyOf(data[c], capacity);
            }
        }
    }
}
