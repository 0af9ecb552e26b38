package io.tsam.media.video;

import org.bytedeco.ffmpeg.global.avutil;

/** How loud FFmpeg's own native log is. */
public final class FfmpegLogging {
    private FfmpegLogging() {}

    /**
     * Silences FFmpeg's native logging unless {@code -v/--verbose} is among {@code args}: a corrupt
     * file should give our one-line error, not pages of decoder noise. Call first in {@code main}.
     */
    public static void quietUnlessVerbose(String[] args) {
        boolean verbose = false;
        for (String arg : args) {
            verbose |= arg.equals("-v") || arg.equals("--verbose");
        }
        avutil.av_log_set_level(verbose ? avutil.AV_LOG_WARNING : avutil.AV_LOG_QUIET);
    }
}
