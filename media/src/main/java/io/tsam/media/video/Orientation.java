package io.tsam.media.video;

import io.tsam.media.image.RgbImage;
import java.util.Optional;

/**
 * How a video's pictures are turned to be shown upright: one of the eight quarter-turn rotations
 * and mirrorings a container's display matrix can state (a phone held upright records its sensor's
 * landscape pictures with a 90-degree matrix).
 *
 * <p>The matrix {@code [a b u; c d v; x y w]} (ISO/IEC 14496-12, FFmpeg's {@code
 * AV_PKT_DATA_DISPLAYMATRIX}) maps a source point {@code (p, q)} to {@code (a p + c q, b p + d q)}
 * before translation into the picture; with entries in {-1, 0, 1} that is a quarter turn, a mirror
 * or both, and applying it is what the {@code ffmpeg} command line does by default ({@code
 * -autorotate}): 90 degrees is {@code transpose=clock}, 270 {@code transpose=cclock}, and so on.
 *
 * @param transpose whether rows become columns (quarter turns)
 * @param mirrorX whether the output's x runs against the source coordinate it comes from
 * @param mirrorY whether the output's y runs against the source coordinate it comes from
 */
public record Orientation(boolean transpose, boolean mirrorX, boolean mirrorY) {

    /** Pictures are shown as decoded. */
    public static final Orientation UPRIGHT = new Orientation(false, false, false);

    /**
     * The orientation a display matrix states, or empty when it is not a quarter turn or mirror (an
     * odd angle, a scale, a degenerate matrix), which is then not applied.
     *
     * @param matrix the nine 32-bit entries, as FFmpeg stores them
     */
    public static Optional<Orientation> ofDisplayMatrix(int[] matrix) {
        if (matrix.length != 9) {
            throw new IllegalArgumentException(
                    "a display matrix has 9 entries, got " + matrix.length);
        }
        int a = Integer.signum(matrix[0]);
        int b = Integer.signum(matrix[1]);
        int c = Integer.signum(matrix[3]);
        int d = Integer.signum(matrix[4]);
        boolean axisAligned = b == 0 && c == 0 && a != 0 && d != 0;
        boolean swapped = a == 0 && d == 0 && b != 0 && c != 0;
        if (!(axisAligned && sameMagnitude(matrix[0], matrix[4]))
                && !(swapped && sameMagnitude(matrix[1], matrix[3]))) {
            return Optional.empty();
        }
        // Output x comes from source q when swapped (its sign c), else from source p (sign a).
        return Optional.of(
                swapped
                        ? new Orientation(true, c < 0, b < 0)
                        : new Orientation(false, a < 0, d < 0));
    }

    /** Whether the pictures are shown as decoded. */
    public boolean upright() {
        return equals(UPRIGHT);
    }

    /** Applies this orientation to a decoded picture. */
    public RgbImage apply(RgbImage image) {
        if (upright()) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        int outWidth = transpose ? h : w;
        int outHeight = transpose ? w : h;
        byte[] src = image.pixels();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int u = mirrorX ? outWidth - 1 - x : x;
                int v = mirrorY ? outHeight - 1 - y : y;
                // Unmirrored output (u, v) reads source (v, u) when transposed, else (u, v).
                int sx = transpose ? v : u;
                int sy = transpose ? u : v;
                System.arraycopy(src, (sy * w + sx) * 3, dst, (y * outWidth + x) * 3, 3);
            }
        }
        return new RgbImage(outWidth, outHeight, dst);
    }

    /** As ffmpeg's filters would name it, e.g. {@code transpose=clock} or {@code hflip,vflip}. */
    @Override
    public String toString() {
        if (upright()) {
            return "upright";
        }
        if (transpose) {
            return "transpose="
                    + (mirrorX
                            ? (mirrorY ? "clock_flip" : "clock")
                            : mirrorY ? "cclock" : "cclock_flip");
        }
        return mirrorX ? (mirrorY ? "hflip,vflip" : "hflip") : "vflip";
    }

    private static boolean sameMagnitude(int first, int second) {
        return Math.abs((long) first) == Math.abs((long) second);
    }
}
