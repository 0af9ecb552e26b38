package io.tsam.trainer.data;

import io.tsam.config.AugmentationConfig;
import io.tsam.config.ClipAverage;
import io.tsam.config.DataConfig;
import io.tsam.config.ModelConfig;
import io.tsam.config.ResizeMode;
import io.tsam.config.TrainingConfig;
import io.tsam.config.TsamConfig;
import io.tsam.config.ValidationConfig;
import io.tsam.config.VideoList;
import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SyntheticDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

/** A tiny synthetic data set and the model settings the data tests read it with. */
final class SyntheticData {
    static final int SEGMENTS = 3;
    static final int SCALE = 32;
    static final int CROP = 28;
    static final long SEED = 5;

    private SyntheticData() {}

    /** Writes 8 classes x 2 videos (64x48, 1 s at 25 fps): 8 training and 8 validation videos. */
    static DataConfig generate(Path dir) throws IOException {
        SynthSpec spec =
                SynthSpec.defaults()
                        .withPerClass(2)
                        .withSize(64, 48)
                        .withSeconds(1.0)
                        .withThreads(2);
        SyntheticDataset.generate(dir, spec, done -> {});
        return DataConfig.load(dir.resolve(SyntheticDataset.DATA_CONFIG));
    }

    /** T = 3, 32/28 sizes, the given audio segments and validation clips, seed {@link #SEED}. */
    static TsamConfig config(int audioSegments, int numClips) {
        TsamConfig defaults = TsamConfig.defaults();
        return defaults.withModel(
                        new ModelConfig(SEGMENTS, audioSegments, "resnet18", 0.5, Optional.empty()))
                .withDataAugmentation(
                        AugmentationConfig.imagenet(SCALE, CROP, ResizeMode.SQUARE, true))
                .withTrainingParam(
                        new TrainingConfig(1, 3, 1, SEED, 0.0, OptionalDouble.empty(), 1))
                .withModelValidation(new ValidationConfig(numClips, ClipAverage.PROBS));
    }

    static VideoList training(DataConfig data) {
        return VideoList.read(data.trainList());
    }

    static VideoList validation(DataConfig data) {
        return VideoList.read(data.valList());
    }
}
