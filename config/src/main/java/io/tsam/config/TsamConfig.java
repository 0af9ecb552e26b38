package io.tsam.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The TSAM model file: every section of SPEC §3, each key optional with a documented default.
 *
 * <p>Reading is strict: an unknown key, a value of the wrong JSON type (nothing is coerced) or a
 * value out of range is a {@link ConfigException} naming the file, the dotted key and what was
 * expected. {@link #toJson()} writes every key, defaults included, so the text stored beside a
 * checkpoint or in an ONNX file says exactly what was used.
 *
 * @param dataAugmentation {@code data_augmentation}
 * @param model {@code model}
 * @param shiftTemporal {@code shift_temporal}
 * @param trainingParam {@code training_param}
 * @param optimizerParam {@code optimizer_param}
 * @param modelValidation {@code model_validation}
 * @param resultsFolder {@code results_folder}: where training runs write their output
 */
public record TsamConfig(
        AugmentationConfig dataAugmentation,
        ModelConfig model,
        ShiftConfig shiftTemporal,
        TrainingConfig trainingParam,
        OptimizerConfig optimizerParam,
        ValidationConfig modelValidation,
        String resultsFolder) {

    public TsamConfig {
        Objects.requireNonNull(dataAugmentation, "dataAugmentation");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(shiftTemporal, "shiftTemporal");
        Objects.requireNonNull(trainingParam, "trainingParam");
        Objects.requireNonNull(optimizerParam, "optimizerParam");
        Objects.requireNonNull(modelValidation, "modelValidation");
        Check.nonEmpty("results_folder", resultsFolder);
    }

    /** Every section at its defaults. */
    public static TsamConfig defaults() {
        return new TsamConfig(
                AugmentationConfig.defaults(),
                ModelConfig.defaults(),
                ShiftConfig.defaults(),
                TrainingConfig.defaults(),
                OptimizerConfig.defaults(),
                ValidationConfig.defaults(),
                "results");
    }

    /**
     * Reads a model file; a relative {@code model.backbone_weights} resolves against the file's
     * folder.
     *
     * @throws ConfigException if the file is missing, unreadable, not JSON or not a valid config
     */
    public static TsamConfig load(Path file) {
        return parse(ConfigFiles.readText(file), file, ConfigFiles.folderOf(file));
    }

    /**
     * Reads model-file text; paths are kept as written.
     *
     * @param nameForMessages the file name errors start with, or null for none
     * @throws ConfigException if the text is not JSON or not a valid config
     */
    public static TsamConfig parse(String json, Path nameForMessages) {
        return parse(json, nameForMessages, null);
    }

    private static TsamConfig parse(String json, Path file, Path baseDir) {
        try {
            JsonSection root = JsonSection.root(json, file, baseDir);
            TsamConfig defaults = defaults();
            TsamConfig config =
                    new TsamConfig(
                            AugmentationConfig.read(root.section(AugmentationConfig.SECTION)),
                            ModelConfig.read(root.section(ModelConfig.SECTION)),
                            ShiftConfig.read(root.section(ShiftConfig.SECTION)),
                            TrainingConfig.read(root.section(TrainingConfig.SECTION)),
                            OptimizerConfig.read(root.section(OptimizerConfig.SECTION)),
                            ValidationConfig.read(root.section(ValidationConfig.SECTION)),
                            root.string("results_folder", defaults.resultsFolder()));
            root.finish();
            return config;
        } catch (ConfigException e) {
            throw e.file() == null && file != null ? e.withFile(file) : e;
        }
    }

    /** Pretty JSON holding every key, defaults included; {@link #parse} reads it back equal. */
    public String toJson() {
        ObjectNode node = ConfigJson.newObject();
        node.set(AugmentationConfig.SECTION, dataAugmentation.toJsonNode());
        node.set(ModelConfig.SECTION, model.toJsonNode());
        node.set(ShiftConfig.SECTION, shiftTemporal.toJsonNode());
        node.set(TrainingConfig.SECTION, trainingParam.toJsonNode());
        node.set(OptimizerConfig.SECTION, optimizerParam.toJsonNode());
        node.set(ValidationConfig.SECTION, modelValidation.toJsonNode());
        node.put("results_folder", resultsFolder);
        return ConfigJson.write(node);
    }

    /** A copy with another {@code data_augmentation} section. */
    public TsamConfig withDataAugmentation(AugmentationConfig section) {
        return new TsamConfig(
                section,
                model,
                shiftTemporal,
                trainingParam,
                optimizerParam,
                modelValidation,
                resultsFolder);
    }

    /** A copy with another {@code model} section. */
    public TsamConfig withModel(ModelConfig section) {
        return new TsamConfig(
                dataAugmentation,
                section,
                shiftTemporal,
                trainingParam,
                optimizerParam,
                modelValidation,
                resultsFolder);
    }

    /** A copy with another {@code shift_temporal} section. */
    public TsamConfig withShiftTemporal(ShiftConfig section) {
        return new TsamConfig(
                dataAugmentation,
                model,
                section,
                trainingParam,
                optimizerParam,
                modelValidation,
                resultsFolder);
    }

    /** A copy with another {@code training_param} section. */
    public TsamConfig withTrainingParam(TrainingConfig section) {
        return new TsamConfig(
                dataAugmentation,
                model,
                shiftTemporal,
                section,
                optimizerParam,
                modelValidation,
                resultsFolder);
    }

    /** A copy with another {@code optimizer_param} section. */
    public TsamConfig withOptimizerParam(OptimizerConfig section) {
        return new TsamConfig(
                dataAugmentation,
                model,
                shiftTemporal,
                trainingParam,
                section,
                modelValidation,
                resultsFolder);
    }

    /** A copy with another {@code model_validation} section. */
    public TsamConfig withModelValidation(ValidationConfig section) {
        return new TsamConfig(
                dataAugmentation,
                model,
                shiftTemporal,
                trainingParam,
                optimizerParam,
                section,
                resultsFolder);
    }

    /** A copy with another {@code results_folder}. */
    public TsamConfig withResultsFolder(String folder) {
        return new TsamConfig(
                dataAugmentation,
                model,
                shiftTemporal,
                trainingParam,
                optimizerParam,
                modelValidation,
                folder);
    }
}
