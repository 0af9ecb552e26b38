package io.tsam.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class TsamCodeLayoutTest {
    private static final Path FILE = Path.of("kinetics_config.json");

    /** A model file in the layout of TSAM's published configs, as its users write them. */
    private static final String PUBLISHED =
            """
            {
              "help": "trained on Kinetics-400 with audio",
              "data_augmentation": {
                "video_image_param": {"input_size": 256, "output_size": 224},
                "video_augmentation": {"RandomHorizontalFlip": true, "scales": [1, 0.875, 0.75],
                                       "ColorJitter": true, "RandomGrayscale": 0.2,
                                       "GaussianBlur": false},
                "audio_image_param": {"window_sizes": [25, 50, 100], "hop_sizes": [10, 25, 50],
                                      "n_mels": 224, "eps": 1e-6, "spec_size": [3, 224, 224],
                                      "num_segments": 1, "m_segments": 1},
                "audio_augmentation": {"status": true, "random_shift_waveform": [1.0, 0.5]}
              },
              "model": {"video_segments": 16, "audio_segments": 1, "arch": "resnet50_timm",
                        "pretrain": "imagenet", "dropout": 0.5},
              "shift_temporal": {"status": true, "f_div": 4, "shift_depth": 4, "n_insert": 2,
                                 "m_insert": 0},
              "training_param": {"epochs": 50, "batch_size": 64, "num_workers": 20},
              "optimizer_param": {"lr": 0.05, "lr_decay": [0.2, 5, 0.01, 30, 0.002, 45],
                                  "momentum": 0.9, "gd": 20, "weight_decay": 1e-4},
              "save_epoch": [90],
              "results_folder": "results"
            }
            """;

    @Test
    void thePublishedLayoutMeansTsamsComputation() {
        TsamConfig config = TsamConfig.parse(PUBLISHED, FILE);

        assertEquals(
                new ModelConfig(16, 1, "resnet50_timm", 0.5, Optional.empty()), config.model());
        assertEquals(new ShiftConfig(true, 4, 4, 2, 0, ShiftStyle.TSAM), config.shiftTemporal());
        assertEquals(new ValidationConfig(1, ClipAverage.LOGITS), config.modelValidation());
        AugmentationConfig augmentation = config.dataAugmentation();
        assertEquals(InputProfile.TSAM, augmentation.profile());
        assertEquals(256, augmentation.scaleSize());
        assertEquals(224, augmentation.cropSize());
        assertEquals(List.of(1.0, 0.875, 0.75), augmentation.scales());
        assertEquals(
                new AudioImageConfig(
                        224, List.of(25.0, 50.0, 100.0), List.of(10.0, 25.0, 50.0), 1e-6),
                augmentation.audioImage());
        assertEquals(List.of(1.0, 0.5), augmentation.waveformShift());
        assertEquals(
                List.of(
                        "data_augmentation.color_jitter (TSAM's ColorJitter): true",
                        "data_augmentation.random_grayscale (TSAM's RandomGrayscale): 0.2"),
                augmentation.unsupportedForTraining());
        TrainingConfig training = config.trainingParam();
        assertEquals(50, training.epochs());
        assertEquals(64, training.batchSize());
        assertEquals(OptionalDouble.empty(), training.clipGradient(), "TSAM's code never clips");
        OptimizerConfig optimizer = config.optimizerParam();
        assertEquals(List.of(5, 30, 45), optimizer.lrSteps());
        assertEquals(1.0, optimizer.factorAfter(0));
        assertEquals(0.2, optimizer.factorAfter(1));
        assertEquals(0.002, optimizer.factorAfter(3));
        assertEquals("results", config.resultsFolder());
    }

    @Test
    void theMappedConfigIsWrittenAndReadBackInThisProjectsLayout() {
        TsamConfig config = TsamConfig.parse(PUBLISHED, FILE);
        assertEquals(config, TsamConfig.parse(config.toJson(), null));
        assertEquals(config, TsamConfig.parseStored(config.toJson(), null));
    }

    @Test
    void theLaterLayoutNestsTheModelUnderTsm() {
        String nested =
                """
                {
                  "TSM": {
                    "video_segments": 12, "audio_segments": 1, "motion": false, "num_class": 8,
                    "main": {"arch": "resnet50_timm", "pretrain": "imagenet", "dropout": 0.5,
                             "last_pool": 1, "input_mode": 2,
                             "backbone_weights": "weights/resnet50_miil_21k.pth"},
                    "shift_temporal": {"status": true, "f_div": 8, "shift_depth": 1,
                                       "n_insert": 2, "m_insert": 0},
                    "shift_temporal_modality": {"status": false, "f_div": 8, "n_insert": 2,
                                                "m_insert": 1},
                    "motion_param": {"k_frames": 5}
                  },
                  "net_run_param": {"epochs": 10, "batch_size": 8, "num_workers": 4},
                  "net_optim_param": {"lr": 0.1, "lr_decay": [0.1, 3, 0.01, 6],
                                      "momentum": 0.9, "gd": 20, "weight_decay": 1e-4},
                  "root_folder": "logs"
                }
                """;
        TsamConfig config = TsamConfig.parse(nested, FILE);
        assertEquals(
                new ModelConfig(
                        12,
                        1,
                        "resnet50_timm",
                        0.5,
                        Optional.of(Path.of("weights/resnet50_miil_21k.pth"))),
                config.model());
        assertEquals(new ShiftConfig(true, 8, 1, 2, 0, ShiftStyle.TSAM), config.shiftTemporal());
        assertEquals(InputProfile.TSAM, config.dataAugmentation().profile());
        assertEquals(10, config.trainingParam().epochs());
        assertEquals(List.of(3, 6), config.optimizerParam().lrSteps());
        assertEquals("logs", config.resultsFolder());
    }

    @Test
    void settingsThisToolchainDoesNotComputeAreNamed() {
        assertMessage(
                "{\"TSM\": {\"motion\": true}}",
                "kinetics_config.json: TSM.motion: expected false (TSAM's motion segments are"
                        + " not implemented), got true");
        assertMessage(
                "{\"TSM\": {\"shift_temporal_modality\": {\"status\": true}}}",
                "kinetics_config.json: TSM.shift_temporal_modality.status: expected false (the"
                        + " shift across modalities is not implemented), got true");
        assertMessage(
                "{\"TSM\": {\"main\": {\"last_pool\": 2}}}",
                "kinetics_config.json: TSM.main.last_pool: expected 1 (TSAM's max-pool over"
                        + " features is not implemented), got 2");
        assertMessage(
                "{\"TSM\": {\"main\": {\"arch\": \"densenet121\"}}}",
                "kinetics_config.json: model.arch: expected one of resnet18, resnet34, resnet50,"
                        + " resnet101 (each optionally with the suffix _timm), got \"densenet121\"");
        assertMessage(
                "{\"data_augmentation\": {\"audio_image_param\": {\"num_segments\": 2}}}",
                "kinetics_config.json: data_augmentation.audio_image_param.num_segments: expected"
                        + " 1 (several audio sub-segments are not implemented), got 2");
        assertMessage(
                "{\"data_augmentation\": {\"video_image_param\": {}}, \"optimizer_param\":"
                        + " {\"lr_decay\": [0.1, 5, 0.01]}}",
                "kinetics_config.json: optimizer_param.lr_decay: expected (factor, epoch) pairs, an"
                        + " even count of numbers, got [0.1, 5.0, 0.01]");
        assertMessage(
                "{\"TSM\": {}, \"dataset\": {}}",
                "kinetics_config.json: unknown key 'dataset' (valid keys: help, save_epoch, TSM,"
                        + " data_augmentation, training_param, optimizer_param, results_folder)");
    }

    private static void assertMessage(String json, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> TsamConfig.parse(json, FILE));
        assertEquals(message, e.getMessage());
    }
}
