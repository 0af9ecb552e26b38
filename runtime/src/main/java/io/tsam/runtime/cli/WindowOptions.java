package io.tsam.runtime.cli;

import io.tsam.media.pipeline.SlidingWindows;
import io.tsam.runtime.predict.Predictor;
import picocli.CommandLine.Option;

/** {@code --window} and {@code --stride}: where the windows of a prediction over time lie. */
final class WindowOptions {

    @Option(
            names = "--window",
            paramLabel = "DURATION",
            converter = SecondsConverter.class,
            description =
                    "Window length (e.g. 4s, 500ms): one prediction per window, its T frames those"
                            + " on screen at the middles of T equal segments, its audio image built"
                            + " from its own span.")
    Double window;

    @Option(
            names = "--stride",
            paramLabel = "DURATION",
            converter = SecondsConverter.class,
            description = "Time between window starts (default: half a window).")
    Double stride;

    /**
     * The windows asked for.
     *
     * @param defaultWindow the length without {@code --window}, or null for no windows then
     * @return the windows, or null when there are none
     * @throws IllegalArgumentException for {@code --stride} without a window
     */
    SlidingWindows windows(Predictor predictor, Double defaultWindow) {
        Double length = window != null ? window : defaultWindow;
        if (length == null) {
            if (stride != null) {
                throw new IllegalArgumentException("--stride needs --window");
            }
            return null;
        }
        return predictor.windows(length, stride != null ? stride : length / 2);
    }

    /** Whether {@code --window} was given. */
    boolean given() {
        return window != null;
    }
}
