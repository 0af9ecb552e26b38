package io.tsam.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TsamConfigTest {
    private static final Path NAME = Path.of("cfg.json");

    private static ConfigException parseError(String json) {
        return assertThrows(ConfigException.class, () -> TsamConfig.parse(json, NAME));
    }

    @Test
    void emptyObjectGivesTheDocumentedDefaults() {
        TsamConfig config = TsamConfig.parse("{}", NAME);

        assertEquals(TsamConfig.defaults(), config);
        assertEquals(256, config.dataAugmentation().scaleSize());
        assertEquals(224, config.dataAugmentation().cropSize());
        assertEquals(ResizeMode.SQUARE, config.dataAugmentation().resizeMode());
        assertTrue(config.dataAugmentation().flip());
        assertEquals(8, config.model().videoSegments());
        assertEquals(1, config.model().audioSegments());
        assertEquals("resnet50", config.model().arch());
        assertEquals(0.5, config.model().dropout());
        assertEquals(Optional.empty(), config.model().backboneWeights());
        assertEquals(new ShiftConfig(true, 8, 1, 1, 0, ShiftStyle.TSAM), config.shiftTemporal());
        TrainingConfig training = config.trainingParam();
        assertEquals(25, training.epochs());
        assertEquals(8, training.batchSize());
        assertEquals(2, training.numWorkers());
        assertEquals(0L, training.seed());
        assertEquals(0.0, training.labelSmoothing());
        assertEquals(OptionalDouble.of(20.0), training.clipGradient());
        assertEquals(1, training.evalFreq());
        OptimizerConfig optimizer = config.optimizerParam();
        assertEquals(OptimizerType.SGD, optimizer.optimizer());
        assertEquals(0.01, optimizer.lr());
        assertEquals(0.9, optimizer.momentum());
        assertEquals(5e-4, optimizer.weightDecay());
        assertEquals(LrScheduler.STEP, optimizer.lrScheduler());
        assertEquals(List.of(10, 20), optimizer.lrSteps());
        assertEquals(0.1, optimizer.lrDecay());
        assertEquals(0, optimizer.warmupEpochs());
        assertEquals(0.0, optimizer.minLr());
        assertEquals(1, config.modelValidation().numClips());
        assertEquals("results", config.resultsFolder());
    }

    @Test
    void fileWithOnlyModelAndShiftIsValidAndDefaultsTheRest() {
        TsamConfig config =
                TsamConfig.parse(
                        """
                        {
                          "model": {"video_segments": 16, "audio_segments": 0, "arch": "resnet50_timm"},
                          "shift_temporal": {"status": true, "f_div": 4, "shift_depth": 4,
                                             "n_insert": 2, "m_insert": 1}
                        }
                        """,
                        NAME);

        assertEquals(16, config.model().videoSegments());
        assertEquals(0, config.model().audioSegments());
        assertFalse(config.model().hasAudio());
        assertEquals(16, config.model().segments());
        assertEquals("resnet50_timm", config.model().arch());
        assertEquals("resnet50", config.model().baseArch());
        assertEquals(0.5, config.model().dropout());
        assertEquals(new ShiftConfig(true, 4, 4, 2, 1, ShiftStyle.TSAM), config.shiftTemporal());
        assertEquals(AugmentationConfig.defaults(), config.dataAugmentation());
        assertEquals(TrainingConfig.defaults(), config.trainingParam());
        assertEquals(OptimizerConfig.defaults(), config.optimizerParam());
    }

    @Test
    void shiftSelectsBlocksByModulo() {
        ShiftConfig everyOther = new ShiftConfig(true, 8, 1, 2, 1, ShiftStyle.TSAM);
        assertFalse(everyOther.shifts(0));
        assertTrue(everyOther.shifts(1));
        assertFalse(everyOther.shifts(2));
        assertTrue(everyOther.shifts(5));
        assertTrue(ShiftConfig.defaults().shifts(0));
        assertTrue(ShiftConfig.defaults().shifts(3));
        assertFalse(new ShiftConfig(false, 8, 1, 1, 0, ShiftStyle.TSAM).shifts(0));
    }

    @Test
    void defaultsAreWrittenInFullAsCanonicalJson() {
        String expected =
                """
                {
                  "data_augmentation": {
                    "profile": "imagenet",
                    "scale_size": 256,
                    "crop_size": 224,
                    "resize_mode": "square",
                    "flip": true,
                    "scales": [1.0, 0.875, 0.75, 0.66],
                    "color_jitter": false,
                    "random_grayscale": 0.0,
                    "gaussian_blur": false,
                    "audio_image": {
                      "n_mels": 128,
                      "window_ms": [25.0, 50.0, 100.0],
                      "hop_ms": [10.0, 25.0, 50.0],
                      "eps": 1.0E-6
                    },
                    "random_shift_waveform": null,
                    "fps": 10.0,
                    "autorotate": true
                  },
                  "model": {
                    "video_segments": 8,
                    "audio_segments": 1,
                    "arch": "resnet50",
                    "dropout": 0.5,
                    "backbone_weights": null
                  },
                  "shift_temporal": {
                    "status": true,
                    "f_div": 8,
                    "shift_depth": 1,
                    "n_insert": 1,
                    "m_insert": 0,
                    "style": "tsam"
                  },
                  "training_param": {
                    "epochs": 25,
                    "batch_size": 8,
                    "num_workers": 2,
                    "seed": 0,
                    "label_smoothing": 0.0,
                    "clip_gradient": 20.0,
                    "eval_freq": 1
                  },
                  "optimizer_param": {
                    "optimizer": "sgd",
                    "lr": 0.01,
                    "momentum": 0.9,
                    "weight_decay": 0.0005,
                    "lr_scheduler": "step",
                    "lr_steps": [10, 20],
                    "lr_decay": 0.1,
                    "lr_factors": [],
                    "warmup_epochs": 0,
                    "min_lr": 0.0
                  },
                  "model_validation": {
                    "num_clips": 1,
                    "average": "logits"
                  },
                  "results_folder": "results"
                }""";
        assertEquals(expected, TsamConfig.defaults().toJson());
    }

    @Test
    void nonDefaultConfigRoundTripsThroughJson() {
        TsamConfig config =
                TsamConfig.defaults()
                        .withDataAugmentation(
                                AugmentationConfig.imagenet(160, 160, ResizeMode.SHORT_SIDE, false))
                        .withModel(
                                new ModelConfig(
                                        4,
                                        0,
                                        "resnet101_timm",
                                        0.0,
                                        Optional.of(Path.of("weights/in21k.pth"))))
                        .withShiftTemporal(new ShiftConfig(false, 3, 2, 3, 2, ShiftStyle.TSAM))
                        .withTrainingParam(
                                new TrainingConfig(
                                        1, 1, 0, -1234567890123L, 0.1, OptionalDouble.empty(), 3))
                        .withOptimizerParam(
                                new OptimizerConfig(
                                        OptimizerType.ADAMW,
                                        3e-5,
                                        0.0,
                                        0.0,
                                        LrScheduler.COSINE,
                                        List.of(),
                                        1.0,
                                        List.of(),
                                        2,
                                        1e-7))
                        .withModelValidation(new ValidationConfig(10, ClipAverage.PROBS))
                        .withResultsFolder("out/runs");

        String json = config.toJson();

        assertEquals(config, TsamConfig.parse(json, NAME));
        assertTrue(json.contains("\"clip_gradient\": null"), json);
        assertTrue(json.contains("\"lr_steps\": []"), json);
        assertTrue(json.contains("\"backbone_weights\": \"weights/in21k.pth\""), json);
    }

    @Test
    void loadResolvesBackboneWeightsAgainstTheFileFolder(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("configs/run.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"model\": {\"backbone_weights\": \"../weights/r50.pth\"}}");

        TsamConfig config = TsamConfig.load(file);

        assertEquals(
                Optional.of(dir.toAbsolutePath().resolve("weights/r50.pth")),
                config.model().backboneWeights());
        assertEquals(
                Optional.of(Path.of("../weights/r50.pth")),
                TsamConfig.parse(Files.readString(file), file).model().backboneWeights());
    }

    @Test
    void exampleConfigHoldsTheSyntheticDatasetSettings() {
        TsamConfig config = TsamConfig.load(Path.of("example_config.json"));

        AugmentationConfig augmentation = config.dataAugmentation();
        assertEquals(InputProfile.IMAGENET, augmentation.profile(), "no profile key: ImageNet's");
        assertEquals(128, augmentation.scaleSize());
        assertEquals(112, augmentation.cropSize());
        assertEquals(false, augmentation.flip());
        assertEquals(new ModelConfig(8, 1, "resnet18", 0.5, Optional.empty()), config.model());
        assertEquals(new ShiftConfig(true, 8, 2, 1, 0, ShiftStyle.TSAM), config.shiftTemporal());
        assertEquals(12, config.trainingParam().epochs());
        assertEquals(8, config.trainingParam().batchSize());
        assertEquals(2, config.trainingParam().numWorkers());
        OptimizerConfig optimizer = config.optimizerParam();
        assertEquals(OptimizerType.SGD, optimizer.optimizer());
        assertEquals(0.01, optimizer.lr());
        assertEquals(0.9, optimizer.momentum());
        assertEquals(5e-4, optimizer.weightDecay());
        assertEquals(LrScheduler.COSINE, optimizer.lrScheduler());
        assertEquals(1, optimizer.warmupEpochs());
        assertEquals(1, config.modelValidation().numClips());
        assertEquals("results", config.resultsFolder());
    }

    @Test
    void unknownKeySuggestsTheNearestKeyAndListsTheValidOnes() {
        ConfigException e = parseError("{\"model\": {\"video_segmnts\": 8}}");

        assertEquals(
                "cfg.json: unknown key 'model.video_segmnts' (did you mean 'video_segments'? valid"
                        + " keys in 'model': video_segments, audio_segments, arch, dropout,"
                        + " backbone_weights)",
                e.getMessage());
        assertEquals(NAME, e.file());
        assertEquals("model.video_segmnts", e.key());
    }

    @Test
    void unknownTopLevelKeyAndDistantKeys() {
        assertEquals(
                "cfg.json: unknown key 'shift_temporl' (did you mean 'shift_temporal'? valid keys:"
                        + " data_augmentation, model, shift_temporal, training_param,"
                        + " optimizer_param, model_validation, results_folder)",
                parseError("{\"shift_temporl\": {}}").getMessage());
        assertEquals(
                "cfg.json: unknown key 'optimizer_param.learning_rate' (valid keys in"
                        + " 'optimizer_param': optimizer, lr, momentum, weight_decay, lr_scheduler,"
                        + " lr_steps, lr_decay, lr_factors, warmup_epochs, min_lr)",
                parseError("{\"optimizer_param\": {\"learning_rate\": 0.1}}").getMessage());
        assertEquals(
                "training_param.Batch_Size",
                parseError("{\"training_param\": {\"Batch_Size\": 4}}").key());
        assertTrue(
                parseError("{\"training_param\": {\"Batch_Size\": 4}}")
                        .getMessage()
                        .contains("did you mean 'batch_size'?"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            textBlock =
                    """
            {"model": {"video_segments": "8"}}          | model.video_segments          | expected an integer, got "8"
            {"model": {"video_segments": 8.5}}          | model.video_segments          | expected an integer, got 8.5
            {"model": {"video_segments": 8.0}}          | model.video_segments          | expected an integer, got 8.0
            {"model": {"video_segments": null}}         | model.video_segments          | expected an integer, got null
            {"model": {"video_segments": 3000000000}}   | model.video_segments          | expected a 32-bit integer, got 3000000000
            {"shift_temporal": {"status": 1}}           | shift_temporal.status         | expected true or false, got 1
            {"data_augmentation": {"flip": "true"}}     | data_augmentation.flip        | expected true or false, got "true"
            {"model": {"dropout": "0.5"}}               | model.dropout                 | expected a number, got "0.5"
            {"model": {"arch": 50}}                     | model.arch                    | expected a string, got 50
            {"model": {"backbone_weights": 3}}          | model.backbone_weights        | expected a file path (a non-empty string) or null, got 3
            {"model": []}                               | model                         | expected an object, got []
            {"training_param": {"clip_gradient": "x"}}  | training_param.clip_gradient  | expected a number, got "x"
            {"training_param": {"seed": 1.5}}           | training_param.seed           | expected an integer, got 1.5
            {"optimizer_param": {"optimizer": "adam"}}  | optimizer_param.optimizer     | expected one of "sgd", "adamw", got "adam"
            {"optimizer_param": {"lr_scheduler": null}} | optimizer_param.lr_scheduler  | expected one of "step", "cosine", got null
            {"optimizer_param": {"lr_steps": 10}}       | optimizer_param.lr_steps      | expected an array of integers, got 10
            {"optimizer_param": {"lr_steps": [10, "20"]}} | optimizer_param.lr_steps[1] | expected an integer, got "20"
            {"data_augmentation": {"resize_mode": "crop"}} | data_augmentation.resize_mode | expected one of "square", "short_side", got "crop"
            {"results_folder": false}                   | results_folder                | expected a string, got false
            """)
    void wrongJsonTypeIsNotCoerced(String json, String key, String expected) {
        ConfigException e = parseError(json);

        assertEquals("cfg.json: " + key + ": " + expected, e.getMessage());
        assertEquals(key, e.key());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            textBlock =
                    """
            {"data_augmentation": {"scale_size": 0}}    | data_augmentation.scale_size    | expected an integer >= 1, got 0
            {"data_augmentation": {"crop_size": 300}}   | data_augmentation.crop_size     | expected an integer <= scale_size (256), got 300
            {"data_augmentation": {"scale_size": 128}}  | data_augmentation.crop_size     | expected an integer <= scale_size (128), got 224
            {"model": {"video_segments": 0}}            | model.video_segments            | expected an integer >= 1, got 0
            {"model": {"audio_segments": 2}}            | model.audio_segments            | expected 0 or 1, got 2
            {"model": {"arch": "resnet152"}}            | model.arch                      | expected one of resnet18, resnet34, resnet50, resnet101 (each optionally with the suffix _timm), got "resnet152"
            {"model": {"dropout": 1}}                   | model.dropout                   | expected a number in [0, 1), got 1.0
            {"model": {"dropout": -0.1}}                | model.dropout                   | expected a number in [0, 1), got -0.1
            {"shift_temporal": {"f_div": 1}}            | shift_temporal.f_div            | expected an integer >= 2, got 1
            {"shift_temporal": {"shift_depth": 0}}      | shift_temporal.shift_depth      | expected an integer >= 1, got 0
            {"shift_temporal": {"n_insert": 0}}         | shift_temporal.n_insert         | expected an integer >= 1, got 0
            {"shift_temporal": {"n_insert": 2, "m_insert": 2}} | shift_temporal.m_insert  | expected an integer >= 0 and < n_insert (2), got 2
            {"shift_temporal": {"m_insert": -1}}        | shift_temporal.m_insert         | expected an integer >= 0 and < n_insert (1), got -1
            {"training_param": {"epochs": 0}}           | training_param.epochs           | expected an integer >= 1, got 0
            {"training_param": {"batch_size": 0}}       | training_param.batch_size       | expected an integer >= 1, got 0
            {"training_param": {"num_workers": -1}}     | training_param.num_workers      | expected an integer >= 0, got -1
            {"training_param": {"label_smoothing": 1}}  | training_param.label_smoothing  | expected a number in [0, 1), got 1.0
            {"training_param": {"clip_gradient": 0}}    | training_param.clip_gradient    | expected a number > 0, got 0.0
            {"training_param": {"eval_freq": 0}}        | training_param.eval_freq        | expected an integer >= 1, got 0
            {"optimizer_param": {"lr": 0}}              | optimizer_param.lr              | expected a number > 0, got 0.0
            {"optimizer_param": {"momentum": 1}}        | optimizer_param.momentum        | expected a number in [0, 1), got 1.0
            {"optimizer_param": {"weight_decay": -1e-4}} | optimizer_param.weight_decay   | expected a number >= 0, got -1.0E-4
            {"optimizer_param": {"lr_steps": [20, 10]}} | optimizer_param.lr_steps        | expected strictly increasing epochs >= 1, got [20, 10]
            {"optimizer_param": {"lr_steps": [0, 10]}}  | optimizer_param.lr_steps        | expected strictly increasing epochs >= 1, got [0, 10]
            {"optimizer_param": {"lr_decay": 0}}        | optimizer_param.lr_decay        | expected a number in (0, 1], got 0.0
            {"optimizer_param": {"lr_decay": 1.5}}      | optimizer_param.lr_decay        | expected a number in (0, 1], got 1.5
            {"optimizer_param": {"warmup_epochs": -1}}  | optimizer_param.warmup_epochs   | expected an integer >= 0, got -1
            {"optimizer_param": {"min_lr": -1}}         | optimizer_param.min_lr          | expected a number >= 0, got -1.0
            {"optimizer_param": {"min_lr": 0.1}}        | optimizer_param.min_lr          | expected a number <= lr (0.01), got 0.1
            {"model_validation": {"num_clips": 0}}      | model_validation.num_clips      | expected an integer >= 1, got 0
            {"results_folder": ""}                      | results_folder                  | expected a non-empty string, got ""
            """)
    void outOfRangeValueNamesFileKeyRangeAndValue(String json, String key, String expected) {
        ConfigException e = parseError(json);

        assertEquals("cfg.json: " + key + ": " + expected, e.getMessage());
        assertEquals(NAME, e.file());
        assertEquals(key, e.key());
    }

    @Test
    void valuesBuiltInCodeAreCheckedToo() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> new ShiftConfig(true, 8, 1, 2, 3, ShiftStyle.TSAM));

        assertEquals(
                "shift_temporal.m_insert: expected an integer >= 0 and < n_insert (2), got 3",
                e.getMessage());
        assertNull(e.file());
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        ConfigException e = parseError("{\n  \"model\": {\n    \"arch\": \"resnet18\",,\n  }\n}");

        assertTrue(
                e.getMessage().startsWith("cfg.json: not valid JSON (line 3, column 24): "),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertNull(e.key());
    }

    @Test
    void otherWholeDocumentErrors() {
        assertEquals(
                "cfg.json: not valid JSON: the document is empty", parseError(" ").getMessage());
        assertEquals(
                "cfg.json: expected a JSON object at the top level, got [1,2]",
                parseError("[1, 2]").getMessage());
        assertTrue(
                parseError("{\"model\": {}, \"model\": {}}")
                        .getMessage()
                        .contains("duplicate key 'model'"));
        assertTrue(
                parseError("{} {}")
                        .getMessage()
                        .endsWith("unexpected content after the end of the JSON document"));
        assertTrue(
                parseError("{\"a\": tru}")
                        .getMessage()
                        .startsWith("cfg.json: not valid JSON (line 1,"));
    }

    @Test
    void missingFileAndDirectoryAreOneLineErrors(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");

        ConfigException e = assertThrows(ConfigException.class, () -> TsamConfig.load(missing));

        assertEquals(missing + ": no such file", e.getMessage());
        assertEquals(missing, e.file());
        assertEquals(
                dir + ": is a directory, expected a file",
                assertThrows(ConfigException.class, () -> TsamConfig.load(dir)).getMessage());
    }

    @Test
    void loadErrorsNameTheFileAsGiven(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "\uFEFF{\"shift_temporal\": {\"f_div\": 1}}");

        ConfigException e = assertThrows(ConfigException.class, () -> TsamConfig.load(file));

        assertEquals(
                file + ": shift_temporal.f_div: expected an integer >= 2, got 1", e.getMessage());
    }

    @Test
    void nearestKeyOnlyWhenReasonablyClose() {
        List<String> keys = List.of("epochs", "batch_size", "lr", "num_workers");
        assertEquals("epochs", JsonSection.nearest("epoch", keys));
        assertEquals("batch_size", JsonSection.nearest("batchsize", keys));
        assertEquals("batch_size", JsonSection.nearest("bacth_size", keys));
        assertEquals("lr", JsonSection.nearest("LR", keys));
        assertNull(JsonSection.nearest("xy", keys));
        assertNull(JsonSection.nearest("learning_rate", keys));
        assertEquals(1, JsonSection.editDistance("ab", "ba"));
        assertEquals(3, JsonSection.editDistance("kitten", "sitting"));
    }

    @Test
    void aUserFileWithoutStyleMeansTsamAndLogitAveraging() {
        TsamConfig config = TsamConfig.parse("{\"shift_temporal\": {\"f_div\": 4}}", null);
        assertEquals(ShiftStyle.TSAM, config.shiftTemporal().style());
        assertEquals(ClipAverage.LOGITS, config.modelValidation().average());
        TsamConfig tsm = TsamConfig.parse("{\"shift_temporal\": {\"style\": \"tsm\"}}", null);
        assertEquals(ClipAverage.PROBS, tsm.modelValidation().average());
        TsamConfig explicit =
                TsamConfig.parse(
                        "{\"shift_temporal\": {\"style\": \"tsm\"},"
                                + " \"model_validation\": {\"average\": \"logits\"}}",
                        null);
        assertEquals(ClipAverage.LOGITS, explicit.modelValidation().average());
    }

    @Test
    void aStoredCopyWithoutStyleWasComputedWithTsmAndProbabilityAveraging() {
        TsamConfig old = TsamConfig.parseStored("{\"shift_temporal\": {\"f_div\": 4}}", null);
        assertEquals(ShiftStyle.TSM, old.shiftTemporal().style());
        assertEquals(ClipAverage.PROBS, old.modelValidation().average());
        TsamConfig current = TsamConfig.defaults();
        assertEquals(current, TsamConfig.parseStored(current.toJson(), null));
    }

    @Test
    void autorotationIsOnForNewFilesAndOffForModelsStoredBeforeIt() {
        assertTrue(TsamConfig.parse("{}", null).dataAugmentation().autorotate());
        assertFalse(TsamConfig.parseStored("{}", null).dataAugmentation().autorotate());
        TsamConfig off = TsamConfig.parse("{\"data_augmentation\": {\"autorotate\": false}}", null);
        assertFalse(off.dataAugmentation().autorotate());
        assertTrue(
                TsamConfig.parseStored(TsamConfig.defaults().toJson(), null)
                        .dataAugmentation()
                        .autorotate());
    }

    @Test
    void anUnknownStyleListsTheValidOnes() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                TsamConfig.parse(
                                        "{\"shift_temporal\": {\"style\": \"mmaction\"}}",
                                        Path.of("m.json")));
        assertEquals(
                "m.json: shift_temporal.style: expected one of \"tsam\", \"tsm\", got \"mmaction\"",
                e.getMessage());
    }
}
