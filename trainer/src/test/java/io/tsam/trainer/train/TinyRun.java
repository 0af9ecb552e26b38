package io.tsam.trainer.train;

import io.tsam.config.AugmentationConfig;
import io.tsam.config.ClipAverage;
import io.tsam.config.DataConfig;
import io.tsam.config.LrScheduler;
import io.tsam.config.ModelConfig;
import io.tsam.config.OptimizerConfig;
import io.tsam.config.OptimizerType;
import io.tsam.config.ResizeMode;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import io.tsam.config.TrainingConfig;
import io.tsam.config.TsamConfig;
import io.tsam.config.ValidationConfig;
import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SyntheticDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** A tiny synthetic data set and a TSAM configuration that trains on it in seconds. */
public final class TinyRun {
    private TinyRun() {}

    /** 8 classes x 4 videos (64x48, 1 s): 24 training and 8 validation videos. */
    public static DataConfig data(Path dir) throws IOException {
        SynthSpec spec = SynthSpec.defaults().withPerClass(4).withSize(64, 48).withSeconds(1.0);
        SyntheticDataset.generate(dir, spec, done -> {});
        return DataConfig.load(dir.resolve(SyntheticDataset.DATA_CONFIG));
    }

    /**
     * ResNet-18 TSAM (T=3 + audio, depth 2, f_div 4) at 32/28 px, batch 4, no dropout so that runs
     * are deterministic, SGD with a cosine schedule, writing under {@code results}.
     */
    public static TsamConfig config(int epochs, Path results) {
        return TsamConfig.defaults()
                .withModel(new ModelConfig(3, 1, "resnet18", 0.0, Optional.empty()))
                .withShiftTemporal(new ShiftConfig(true, 4, 2, 1, 0, ShiftStyle.TSAM))
                .withDataAugmentation(AugmentationConfig.imagenet(32, 28, ResizeMode.SQUARE, true))
                .withTrainingParam(
                        new TrainingConfig(epochs, 4, 1, 3, 0.1, OptionalDouble.of(20), 1))
                .withOptimizerParam(
                        new OptimizerConfig(
                                OptimizerType.SGD,
                                0.01,
                                0.9,
                                5e-4,
                                LrScheduler.COSINE,
                                List.of(10, 20),
                                0.1,
                                List.of(),
                                0,
                                0.0))
                .withModelValidation(new ValidationConfig(2, ClipAverage.PROBS))
                .withResultsFolder(results.toString());
    }
}
