package io.tsam.media.pipeline;

import io.tsam.config.AudioImageConfig;
import io.tsam.config.AugmentationConfig;
import io.tsam.config.InputProfile;
import io.tsam.config.Preprocessing;
import io.tsam.config.TsamConfig;
import io.tsam.media.audio.AudioImage;
import io.tsam.media.audio.LogMelSpectrogram;
import io.tsam.media.audio.TsamAudioImage;
import io.tsam.media.image.Normalization;
import java.util.ArrayList;
import java.util.List;

/**
 * What this media pipeline computes for a model file, as the {@link Preprocessing} record the
 * exporter writes into an ONNX file and the runtime checks a model against: the file's segments and
 * sizes with its profile's normalisation and log-mel settings.
 */
public final class PipelineParameters {
    private static final int MILLIS_PER_SECOND = 1000;

    private PipelineParameters() {}

    /** The pipeline's parameters for {@code config}, by its input profile. */
    public static Preprocessing of(TsamConfig config) {
        AugmentationConfig augmentation = config.dataAugmentation();
        if (augmentation.profile() == InputProfile.TSAM) {
            AudioImageConfig audio = augmentation.audioImage();
            List<Preprocessing.MelWindow> windows = new ArrayList<>();
            for (int c = 0; c < audio.windowsMs().size(); c++) {
                windows.add(
                        new Preprocessing.MelWindow(
                                audio.windowsMs().get(c), audio.hopsMs().get(c)));
            }
            MediaConfig media = MediaConfig.of(config);
            return Preprocessing.of(
                    config,
                    media.mean(),
                    media.std(),
                    new Preprocessing.AudioFeatures(
                            0,
                            windows,
                            audio.melBands(),
                            0.0,
                            0.0,
                            audio.eps(),
                            TsamAudioImage.FFT_SIZE,
                            false));
        }
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
                        LogMelSpectrogram.LOG_OFFSET,
                        0,
                        true));
    }

    private static double millis(int samples) {
        return (double) samples * MILLIS_PER_SECOND / AudioImage.SAMPLE_RATE;
    }
}
