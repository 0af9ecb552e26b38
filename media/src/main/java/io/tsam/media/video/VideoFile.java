package io.tsam.media.video;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONREF;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_DISCARD;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_move_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.tsam.media.FfmpegInput;
import io.tsam.media.MediaException;
import io.tsam.media.image.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A video file decoded with FFmpeg (through the JavaCPP presets JavaCV is built on), with exact
 * random access by frame index.
 *
 * <p>Opening demuxes every packet of the video stream once, without decoding, to build the frame
 * table: the presentation timestamps sorted into presentation order and the keyframes. Frame {@code
 * i} is the {@code i}-th entry, which is the {@code i}-th picture of a full sequential decode (what
 * PyAV and decord return), also for B-frames, open GOPs, variable frame rates and containers that
 * do not store a frame count. {@link #read} then decodes only what it needs: it seeks to the last
 * keyframe at or before a target when that skips frames, decodes forward otherwise, and recognises
 * each decoded picture by its timestamp, so a seek that lands on the wrong keyframe cannot shift
 * the result. A stream whose packets lack timestamps is read sequentially from the start instead,
 * counting pictures.
 *
 * <p>Pictures are converted to RGB24 with swscale's bilinear setting at their own size, as PyAV's
 * {@code to_ndarray(format="rgb24")} and JavaCV's grabber do. Audio and other streams are skipped
 * at the demuxer. Not thread-safe.
 */
public final class VideoFile implements FrameSource {
    private static final int SWSCALE_PADDING = 64;

    private static final Logger logger = LoggerFactory.getLogger(VideoFile.class);

    /** {@link #position} decodes on from the current run. */
    private static final int CONTINUED = -2;

    /** {@link #position} started over from the first packet. */
    private static final int REWOUND = -1;

    private final Path path;
    private final int streamIndex;
    private final FrameTable table;
    private final int width;
    private final int height;
    private final double frameRate;
    private final double durationSeconds;
    private final Orientation orientation;

    private AVFormatContext format;
    private AVCodecContext codec;
    private AVPacket packet;
    private AVFrame frame;
    private AVFrame held;
    private SwsContext sws;
    private BytePointer rgb;
    private long rgbCapacity;
    private int outputHeight;

    /** The decoder continues the current run; false before the first seek and after close. */
    private boolean positioned;

    /** End of file was reached and the decoder drained; only a seek can go on. */
    private boolean drained;

    /** After a seek: packets are dropped until a keyframe, the first one decodable alone. */
    private boolean awaitKeyframe;

    /**
     * The timestamp of the picture {@link #read} decodes towards, or none: until it arrives, the
     * decoder drops pictures that no other picture references, which cannot be it and cannot be
     * needed to reach it (B-frames, about 40 % of a typical H.264 stream's pictures).
     */
    private long wantedPts = AV_NOPTS_VALUE;

    private boolean skipNonReference = true;

    /**
     * Whether the codec's decoder keeps each picture's timestamp when others are dropped: H.264's
     * does; MPEG-4 part 2's, which holds back a reference for the B-frames after it, hands out the
     * wrong pictures under the right timestamps (caught by VideoFileTest), and codecs without a
     * test here are left alone.
     */
    private final boolean skippableCodec;

    /** Index of the last picture of the current run, -1 before the first. */
    private int lastIndex = -1;

    /** Pictures produced since the last rewind; the index of a picture in an untimed stream. */
    private int sequential;

    private long framesDecoded;
    private long seeks;
    private boolean closed;

    private VideoFile(Path path, boolean autorotate) {
        this.path = path;
        boolean ok = false;
        try {
            format = FfmpegInput.open(path);
            streamIndex = videoStream(format, path);
            AVStream stream = format.streams(streamIndex);
            AVCodecParameters par = stream.codecpar();
            codec = openDecoder(par, path);
            skippableCodec = par.codec_id() == AV_CODEC_ID_H264;
            packet = av_packet_alloc();
            frame = av_frame_alloc();
            held = av_frame_alloc();
            width = par.width();
            height = par.height();
            orientation = autorotate ? orientation(par, path) : Orientation.UPRIGHT;
            table = scan();
            if (table.size() == 0) {
                throw new MediaException(path, "the video stream holds no frames");
            }
            frameRate = frameRate(stream, table);
            durationSeconds = duration(format, stream, table, frameRate);
            ok = true;
        } finally {
            if (!ok) {
                release();
            }
        }
    }

    /**
     * Opens a video file and indexes its frames; pictures come upright ({@link #open(Path,
     * boolean)}).
     */
    public static VideoFile open(Path path) {
        return open(path, true);
    }

    /**
     * Opens a video file and indexes its frames.
     *
     * @param autorotate whether pictures are turned by the stream's display matrix
     * @return an open source; the caller closes it
     * @throws MediaException naming the file if it is missing, not media, has no video stream or no
     *     decodable video codec
     */
    public static VideoFile open(Path path, boolean autorotate) {
        if (!Files.isRegularFile(path)) {
            throw new MediaException(
                    path, Files.exists(path) ? "not a regular file" : "no such file");
        }
        return new VideoFile(path, autorotate);
    }

    /** How pictures are turned before they are handed out; upright without autorotation. */
    public Orientation orientation() {
        checkOpen();
        return orientation;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public int frameCount() {
        checkOpen();
        return table.size();
    }

    /**
     * The stream's average frame rate in frames per second: as the file states it, else from the
     * timestamps, 0 for a single untimed frame.
     */
    public double frameRate() {
        checkOpen();
        return frameRate;
    }

    /** The video stream's duration in seconds. */
    public double durationSeconds() {
        checkOpen();
        return durationSeconds;
    }

    /**
     * Each frame's presentation time in microseconds, in frame order, as {@link #forEach} reports
     * it; an untimed stream counts frames at its frame rate.
     */
    public long[] presentationMicros() {
        checkOpen();
        long[] micros = new long[table.size()];
        AVRational timeBase = format.streams(streamIndex).time_base();
        for (int i = 0; i < micros.length; i++) {
            micros[i] =
                    table.timed()
                            ? Math.round(table.pts(i) * 1e6 * timeBase.num() / timeBase.den())
                            : frameRate > 0 ? Math.round(i * 1e6 / frameRate) : 0;
        }
        return micros;
    }

    /** The coded picture width. */
    public int width() {
        checkOpen();
        return width;
    }

    /** The coded picture height. */
    public int height() {
        checkOpen();
        return height;
    }

    @Override
    public int[] keyframes() {
        checkOpen();
        return table.timed() ? table.keyIndices() : new int[0];
    }

    @Override
    public DecodeStats stats() {
        checkOpen();
        return new DecodeStats(framesDecoded, seeks);
    }

    @Override
    public List<RgbImage> read(int[] indices) {
        checkOpen();
        return FrameRequests.read(indices, table.size(), path, this::decode);
    }

    /**
     * Decodes the whole video from the start and hands every picture to {@code visitor}, in
     * presentation order; the visitor's exceptions propagate. The visitor must not use this source.
     */
    public void forEach(FrameVisitor visitor) throws IOException {
        checkOpen();
        rewind();
        AVRational timeBase = format.streams(streamIndex).time_base();
        for (AVFrame f = nextFrame(); f != null; f = nextFrame()) {
            int index = sequential - 1;
            lastIndex = index;
            long pts = timestamp(f);
            long micros;
            if (pts != AV_NOPTS_VALUE) {
                micros = Math.round(pts * 1e6 * timeBase.num() / timeBase.den());
            } else {
                micros = frameRate > 0 ? Math.round(index * 1e6 / frameRate) : 0;
            }
            visitor.visit(index, micros, toRgb(f));
            checkOpen(); // the visitor may have closed the source
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
        }
    }

    /**
     * Decodes the picture with index {@code target}.
     *
     * <p>A seek that lands after the target (MPEG-TS seeks by decoding time, for one) retries from
     * the keyframe before, and from the top of the file after the first keyframe; a run that ends
     * without passing the target does the same. A picture the decoder never produces (a damaged
     * packet) is replaced by its nearest earlier neighbour.
     */
    private RgbImage decode(int target) {
        wantedPts =
                skipNonReference && skippableCodec && table.timed()
                        ? table.pts(target)
                        : AV_NOPTS_VALUE;
        try {
            return decodeWanted(target);
        } finally {
            wantedPts = AV_NOPTS_VALUE;
        }
    }

    private RgbImage decodeWanted(int target) {
        int start = position(target);
        boolean haveEarlier = false; // held is a picture before target from this run
        while (true) {
            AVFrame f = nextFrame();
            if (f == null) {
                if (haveEarlier) {
                    logger.warn(
                            "{}: decoding ended before frame {}; using frame {}",
                            path,
                            target,
                            lastIndex);
                    return toRgb(held);
                }
                if (start == REWOUND) {
                    throw new MediaException(path, "no decodable video frame");
                }
                start = retreat(start, target);
                continue;
            }
            int index = indexOf(f);
            if (index < 0) {
                continue;
            }
            if (index > target && !haveEarlier && start != REWOUND) {
                logger.debug("{}: looking for frame {}, decoding began at {}", path, target, index);
                start = retreat(start, target);
                continue;
            }
            lastIndex = index;
            if (index == target) {
                return toRgb(f);
            }
            if (index > target) {
                logger.warn("{}: frame {} could not be decoded; using a neighbour", path, target);
                return toRgb(haveEarlier ? held : f);
            }
            haveEarlier = true;
            av_frame_unref(held);
            av_frame_move_ref(held, f);
        }
    }

    /**
     * Puts the decoder where the next pictures lead to {@code target}.
     *
     * @return the keyframe it sought (see {@link FrameTable#keyframeAtOrBefore}), {@link
     *     #CONTINUED} if it decodes on from the current run, {@link #REWOUND} if it started over
     */
    private int position(int target) {
        boolean continuing = positioned && !drained && lastIndex < target;
        if (!table.timed()) {
            if (continuing) {
                return CONTINUED;
            }
            rewind();
            return REWOUND;
        }
        int key = table.keyframeAtOrBefore(target);
        if (continuing && (key < 0 || table.keyIndex(key) <= lastIndex + 1)) {
            return CONTINUED;
        }
        return seekKeyframe(key);
    }

    /** Restarts further back than {@code start} when decoding from there missed {@code target}. */
    private int retreat(int start, int target) {
        if (start == CONTINUED && table.timed()) {
            return seekKeyframe(table.keyframeAtOrBefore(target));
        }
        return seekKeyframe(start == CONTINUED ? -1 : start - 1);
    }

    /** Seeks to keyframe {@code key}, or rewinds when it is -1. */
    private int seekKeyframe(int key) {
        if (key < 0) {
            rewind();
            return REWOUND;
        }
        // Seeking by the keyframe's presentation time finds it both in indexes keyed by
        // decoding time (MP4) and by presentation time (Matroska cues).
        seek(table.keyTimestamp(key));
        return key;
    }

    private void seek(long timestamp) {
        seeks++;
        boolean sought = av_seek_frame(format, streamIndex, timestamp, AVSEEK_FLAG_BACKWARD) >= 0;
        if (!sought) {
            reopen();
        }
        resetDecoder();
        // Some demuxers (MPEG-TS) seek to a byte position that may fall inside a GOP, where
        // pictures would decode from missing references.
        awaitKeyframe = sought;
    }

    /** Back to the first packet: reopening is the one way that works for every container. */
    private void rewind() {
        seeks++;
        reopen();
        resetDecoder();
    }

    /** Opens the file afresh; if that fails (the file vanished), the source is closed. */
    private void reopen() {
        avformat_close_input(format);
        try {
            format = FfmpegInput.open(path);
        } catch (MediaException e) {
            format = null;
            close();
            throw e;
        }
        discardOtherStreams(format, streamIndex);
    }

    private void resetDecoder() {
        avcodec_flush_buffers(codec);
        awaitKeyframe = false;
        av_frame_unref(held);
        positioned = true;
        drained = false;
        lastIndex = -1;
        sequential = 0;
    }

    /** The next decoded picture, or null at the end of the stream. */
    private AVFrame nextFrame() {
        if (drained) {
            return null;
        }
        while (true) {
            av_frame_unref(frame);
            int ret = avcodec_receive_frame(codec, frame);
            if (ret >= 0) {
                framesDecoded++;
                sequential++;
                return frame;
            }
            if (ret == AVERROR_EOF) {
                drained = true;
                return null;
            }
            if (ret != AVERROR_EAGAIN()) {
                throw new MediaException(path, "video decoding failed: " + FfmpegInput.error(ret));
            }
            feedDecoder();
        }
    }

    /** Sends the next packet of the video stream to the decoder, or starts draining it. */
    private void feedDecoder() {
        while (true) {
            int ret = av_read_frame(format, packet);
            if (ret < 0) {
                if (ret != AVERROR_EOF) {
                    logger.debug("{}: reading stopped early: {}", path, FfmpegInput.error(ret));
                }
                avcodec_send_packet(codec, null);
                return;
            }
            try {
                if (packet.stream_index() == streamIndex) {
                    if (awaitKeyframe && (packet.flags() & AV_PKT_FLAG_KEY) == 0) {
                        continue;
                    }
                    awaitKeyframe = false;
                    // Set per packet: frame threads copy it when the packet is submitted.
                    boolean skippable =
                            wantedPts != AV_NOPTS_VALUE
                                    && packet.pts() != AV_NOPTS_VALUE
                                    && packet.pts() != wantedPts;
                    codec.skip_frame(skippable ? AVDISCARD_NONREF : AVDISCARD_DEFAULT);
                    int sent = avcodec_send_packet(codec, packet);
                    if (sent < 0) {
                        // One damaged packet loses a picture; the decoder resyncs at the next.
                        logger.debug(
                                "{}: skipped a video packet: {}", path, FfmpegInput.error(sent));
                        continue;
                    }
                    return;
                }
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    private int indexOf(AVFrame f) {
        if (!table.timed()) {
            return sequential - 1;
        }
        long pts = timestamp(f);
        return pts == AV_NOPTS_VALUE ? -1 : table.indexOf(pts);
    }

    private static long timestamp(AVFrame f) {
        long pts = f.pts();
        return pts != AV_NOPTS_VALUE ? pts : f.best_effort_timestamp();
    }

    /**
     * Whether {@link #read} lets an H.264 decoder drop the pictures no other picture references on
     * its way to a target (on by default; the pictures read are the same either way, only the work
     * differs, which is what turning it off is for).
     */
    public void skipNonReference(boolean skip) {
        checkOpen();
        skipNonReference = skip;
    }

    /**
     * From now on, pictures come scaled to {@code height} rows (the width keeping the aspect ratio,
     * rounded to nearest, at least 1) with swscale's bicubic filter, as {@code ffmpeg -vf
     * scale=-1:height} does; 0 restores the coded size with the bilinear converter. The rows are
     * those of the upright picture: a quarter-turned stream is scaled to {@code height} columns
     * before it is turned.
     */
    public void scaleToHeight(int height) {
        checkOpen();
        if (height < 0) {
            throw new IllegalArgumentException("height must be >= 0, got " + height);
        }
        outputHeight = height;
    }

    private RgbImage toRgb(AVFrame f) {
        return orientation.apply(convert(f));
    }

    /** The picture in RGB at its coded orientation, scaled as {@link #scaleToHeight} says. */
    private RgbImage convert(AVFrame f) {
        int sourceWidth = f.width();
        int sourceHeight = f.height();
        int w = sourceWidth;
        int h = sourceHeight;
        if (outputHeight > 0 && orientation.transpose()) {
            w = outputHeight;
            h = (int) Math.max(1, Math.round((double) sourceHeight * w / sourceWidth));
        } else if (outputHeight > 0) {
            h = outputHeight;
            w = (int) Math.max(1, Math.round((double) sourceWidth * h / sourceHeight));
        }
        int stride = (w * 3 + 31) & ~31; // swscale's SIMD paths want aligned rows
        long size = (long) stride * h;
        // swscale's SIMD writers can run past the end of the last row (a 40-pixel-wide MPEG-4
        // frame corrupted the heap): pad the buffer as av_frame_get_buffer does.
        long allocated = size + SWSCALE_PADDING;
        if (allocated > rgbCapacity) {
            if (rgb != null) {
                av_free(rgb);
            }
            rgb = new BytePointer(av_malloc(allocated)).capacity(allocated);
            rgbCapacity = allocated;
        }
        sws =
                sws_getCachedContext(
                        sws,
                        sourceWidth,
                        sourceHeight,
                        f.format(),
                        w,
                        h,
                        AV_PIX_FMT_RGB24,
                        outputHeight > 0 ? SWS_BICUBIC : SWS_BILINEAR,
                        null,
                        null,
                        (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new MediaException(path, "cannot convert pixel format " + f.format() + " to RGB");
        }
        try (PointerPointer<BytePointer> dst = new PointerPointer<>(1);
                IntPointer dstStride = new IntPointer(1)) {
            dst.put(0, rgb);
            dstStride.put(0, stride);
            sws_scale(sws, f.data(), f.linesize(), 0, sourceHeight, dst, dstStride);
        }
        byte[] pixels = new byte[w * h * 3];
        ByteBuffer buffer = rgb.position(0).limit(size).asByteBuffer();
        for (int y = 0; y < h; y++) {
            buffer.get(y * stride, pixels, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, pixels);
    }

    /** Demuxes every video packet once to learn the presentation order and the keyframes. */
    private FrameTable scan() {
        FrameTable.Builder builder = new FrameTable.Builder();
        int ret;
        while ((ret = av_read_frame(format, packet)) >= 0) {
            if (packet.stream_index() == streamIndex
                    && packet.size() > 0
                    // Packets the demuxer marks discard (an edit list starting mid-GOP) are
                    // decoded for reference only and never shown.
                    && (packet.flags() & AV_PKT_FLAG_DISCARD) == 0) {
                builder.add(packet.pts(), (packet.flags() & AV_PKT_FLAG_KEY) != 0);
            }
            av_packet_unref(packet);
        }
        if (ret != AVERROR_EOF) {
            logger.warn(
                    "{}: the file ends early ({}); using its first {} frames",
                    path,
                    FfmpegInput.error(ret),
                    builder.size());
        }
        return builder.build(AV_NOPTS_VALUE);
    }

    private void release() {
        if (held != null) {
            av_frame_free(held);
            held = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (codec != null) {
            avcodec_free_context(codec);
            codec = null;
        }
        if (format != null) {
            avformat_close_input(format);
            format = null;
        }
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (rgb != null) {
            av_free(rgb);
            rgb = null;
        }
        positioned = false;
    }

    /** The orientation the stream's display matrix states; upright without one. */
    private static Orientation orientation(AVCodecParameters par, Path path) {
        AVPacketSideData side =
                av_packet_side_data_get(
                        par.coded_side_data(), par.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
        if (side == null || side.isNull() || side.size() < 9 * Integer.BYTES) {
            return Orientation.UPRIGHT;
        }
        int[] matrix = new int[9];
        side.data()
                .capacity(9 * Integer.BYTES)
                .asByteBuffer()
                .order(ByteOrder.nativeOrder())
                .asIntBuffer()
                .get(matrix);
        Optional<Orientation> turned = Orientation.ofDisplayMatrix(matrix);
        if (turned.isEmpty()) {
            logger.warn(
                    "{}: the display matrix {} is not a quarter turn or mirror; pictures are used"
                            + " as decoded",
                    path,
                    Arrays.toString(matrix));
        }
        return turned.orElse(Orientation.UPRIGHT);
    }

    private static int videoStream(AVFormatContext ctx, Path path) {
        int best = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (best >= 0 && isMovingVideo(ctx.streams(best))) {
            discardOtherStreams(ctx, best);
            return best;
        }
        for (int i = 0; i < ctx.nb_streams(); i++) {
            if (isMovingVideo(ctx.streams(i))) {
                discardOtherStreams(ctx, i);
                return i;
            }
        }
        throw new MediaException(path, "no video stream");
    }

    /** A video stream that is not a cover picture (which MP3 and M4A files carry as "video"). */
    private static boolean isMovingVideo(AVStream stream) {
        return stream.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO
                && (stream.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0;
    }

    private static void discardOtherStreams(AVFormatContext ctx, int keep) {
        for (int i = 0; i < ctx.nb_streams(); i++) {
            if (i != keep) {
                ctx.streams(i).discard(AVDISCARD_ALL);
            }
        }
    }

    private static AVCodecContext openDecoder(AVCodecParameters par, Path path) {
        AVCodec decoder = avcodec_find_decoder(par.codec_id());
        String name = avcodec_get_name(par.codec_id()).getString(StandardCharsets.UTF_8);
        if (decoder == null || decoder.isNull()) {
            throw new MediaException(path, "no decoder for video codec " + name);
        }
        AVCodecContext ctx = avcodec_alloc_context3(decoder);
        int ret = avcodec_parameters_to_context(ctx, par);
        if (ret >= 0) {
            ctx.thread_count(0); // one per core
            ret = avcodec_open2(ctx, decoder, (PointerPointer<?>) null);
        }
        if (ret < 0) {
            avcodec_free_context(ctx);
            throw new MediaException(
                    path, "cannot open the " + name + " decoder (" + FfmpegInput.error(ret) + ")");
        }
        return ctx;
    }

    private static double frameRate(AVStream stream, FrameTable table) {
        for (AVRational r : new AVRational[] {stream.avg_frame_rate(), stream.r_frame_rate()}) {
            if (r.num() > 0 && r.den() > 0) {
                return (double) r.num() / r.den();
            }
        }
        double span = table.ptsSpan() * timeBase(stream);
        return span > 0 ? (table.size() - 1) / span : 0;
    }

    private static double duration(
            AVFormatContext ctx, AVStream stream, FrameTable table, double frameRate) {
        if (stream.duration() != AV_NOPTS_VALUE && stream.duration() > 0) {
            return stream.duration() * timeBase(stream);
        }
        if (ctx.duration() != AV_NOPTS_VALUE && ctx.duration() > 0) {
            return (double) ctx.duration() / AV_TIME_BASE;
        }
        double span = table.ptsSpan() * timeBase(stream);
        return span + (frameRate > 0 ? 1 / frameRate : 0);
    }

    private static double timeBase(AVStream stream) {
        return (double) stream.time_base().num() / stream.time_base().den();
    }
}
