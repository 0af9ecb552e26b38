package io.tsam.media;

import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps FFmpeg's native INFO output (stream dumps, encoder statistics) out of test logs, as the
 * CLIs do; errors still show. Registered for every test class through {@code
 * junit-platform.properties}.
 */
public final class QuietFfmpegExtension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }
}
