package io.tsam.media;

import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/** Opening media files with FFmpeg's demuxers, as every decoder of this module does. */
public final class FfmpegInput {

    private FfmpegInput() {}

    /**
     * Opens {@code path} and reads its stream information.
     *
     * @return the demuxer context; the caller closes it with {@code avformat_close_input}
     * @throws MediaException naming the file if FFmpeg cannot read it as media
     */
    public static AVFormatContext open(Path path) {
        AVFormatContext ctx = new AVFormatContext(null);
        int ret;
        // The file: prefix keeps a colon in the name from being read as a protocol; UTF-8,
        // not the platform charset, is what FFmpeg expects of a file name.
        try (BytePointer url =
                new BytePointer("file:" + path.toAbsolutePath(), StandardCharsets.UTF_8)) {
            ret = avformat_open_input(ctx, url, null, null);
        }
        if (ret < 0) {
            throw new MediaException(path, "not a readable media file (" + error(ret) + ")");
        }
        String demuxer = ctx.iformat().name().getString(StandardCharsets.UTF_8);
        if (demuxer.equals("tty")) {
            // FFmpeg renders text files as "ANSI art" video; a text file is not media here.
            avformat_close_input(ctx);
            throw new MediaException(path, "not a media file (FFmpeg sees text)");
        }
        ret = avformat_find_stream_info(ctx, (PointerPointer<?>) null);
        if (ret < 0) {
            avformat_close_input(ctx);
            throw new MediaException(path, "cannot read stream information (" + error(ret) + ")");
        }
        return ctx;
    }

    /** FFmpeg's wording for an error code. */
    public static String error(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int end = 0;
        while (end < buf.length && buf[end] != 0) {
            end++;
        }
        return new String(buf, 0, end, StandardCharsets.UTF_8);
    }
}
