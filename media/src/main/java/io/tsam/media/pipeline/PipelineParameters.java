package io.tsam.media.pipeline;

import io.tsam.config.Preprocessing;
import io.tsam.config.TsamConfig;
import io.tsam.media.audio.AudioImage;
import io.tsam.media.audio.LogMelSpectrogram;
import io.tsam.media.image.Normalization;
import java.util.ArrayList;
import java.util.List;

/**
 * What this media pipeline computes for a model file, as the {@link Preprocessing} record the
 * exporter writes into an ONNX file and the runtime checks a model against: the file's segments and
 * sizes with the pipeline's fixed normalisation and log-mel settings.
 */
public final class PipelineParameters {
    private static final int MILLIS_PER_SECOND = 1000;

    private PipelineParameters() {}

    /** The pipeline's parameters for {@code config}. */
    public static Preprocessing of(TsamConfig config) {
        List<Preprocessing.MelWindow> windows = new ArrayList<>();
        for (AudioImage.Window window : AudioImage.WINDOWS) {
            windows.add(
                    new Preprocessing.MelWindow(
                            millis(window.winLength()), millis(window.hopLength())));
        }
        return Preprocessing.of(
                config,
                Normalization.MEAN,
                Normalization.STD,
                new Preprocessing.AudioFeatures(
                        AudioImage.SAMPLE_RATE,
                        windows,
                        AudioImage.MEL_BANDS,
                        AudioImage.F_MIN,
                        AudioImage.F_MAX,
                        LogMelSpectrogram.LOG_OFFSET));
    }

    private static double millis(int samples) {
        return (double) samples * MILLIS_PER_SECOND / AudioImage.SAMPLE_RATE;
    }
}
