package io.tsam.media.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import io.tsam.media.image.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Phone-style clips for the orientation tests: QuickTime files (as phones write them) whose video
 * track carries a display matrix, with the pictures stored turned so that applying the matrix gives
 * the upright frames back. PNG pictures keep every pixel exact, so an upright and a turned clip of
 * the same frames must decode to identical tensors.
 */
public final class RotatedClips {

    private static final int FPS = 10;

    private RotatedClips() {}

    /** The display matrix FFmpeg builds for a clockwise turn of {@code degrees} and mirrors. */
    public static int[] matrix(double degrees, boolean hflip, boolean vflip) {
        int[] matrix = new int[9];
        avutil.av_display_rotation_set(matrix, degrees);
        avutil.av_display_matrix_flip(matrix, hflip ? 1 : 0, vflip ? 1 : 0);
        return matrix;
    }

    /**
     * Writes {@code upright} as a clip whose track states {@code matrix} (null: none), the stored
     * pictures turned by the inverse of what the matrix says.
     */
    public static Path write(Path file, List<RgbImage> upright, int[] matrix) throws IOException {
        Orientation orientation =
                matrix == null
                        ? Orientation.UPRIGHT
                        : Orientation.ofDisplayMatrix(matrix).orElseThrow();
        RgbImage first = stored(orientation, upright.get(0));
        try (FFmpegFrameRecorder recorder =
                new FFmpegFrameRecorder(file.toFile(), first.width(), first.height(), 0)) {
            recorder.setFormat("mov");
            recorder.setVideoCodecName("png");
            recorder.setPixelFormat(AV_PIX_FMT_RGB24);
            recorder.setFrameRate(FPS);
            recorder.start();
            for (RgbImage image : upright) {
                RgbImage picture = stored(orientation, image);
                try (Frame frame =
                        new Frame(picture.width(), picture.height(), Frame.DEPTH_UBYTE, 3)) {
                    ByteBuffer pixels = (ByteBuffer) frame.image[0];
                    int row = picture.width() * 3;
                    for (int y = 0; y < picture.height(); y++) {
                        pixels.put(y * frame.imageStride, picture.pixels(), y * row, row);
                    }
                    recorder.record(frame, AV_PIX_FMT_RGB24);
                }
            }
            recorder.stop();
        }
        if (matrix != null) {
            writeTrackMatrix(file, matrix);
        }
        return file;
    }

    /** Every element of the turns and mirrors is its own inverse or of order 4: o^3 undoes o. */
    private static RgbImage stored(Orientation orientation, RgbImage upright) {
        return orientation.apply(orientation.apply(orientation.apply(upright)));
    }

    /**
     * Puts {@code matrix} into the video track's header box ({@code tkhd}), where QuickTime and MP4
     * keep it, big-endian as ISO/IEC 14496-12 stores it.
     */
    private static void writeTrackMatrix(Path file, int[] matrix) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int box = indexOf(bytes, new byte[] {'t', 'k', 'h', 'd'});
        if (box < 0) {
            throw new IOException(file + " has no tkhd box");
        }
        int version = bytes[box + 4];
        // After the type: version and flags (4), the times, id and duration (20 or 32), then
        // reserved, layer, group, volume and reserved (16).
        int offset = box + 4 + 4 + (version == 1 ? 32 : 20) + 16;
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        for (int i = 0; i < 9; i++) {
            buffer.putInt(offset + 4 * i, matrix[i]);
        }
        Files.write(file, bytes);
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
