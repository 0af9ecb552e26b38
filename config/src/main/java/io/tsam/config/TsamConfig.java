package io.tsam.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
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

    /**
     * Reads a model file that this toolchain stored with a result (a checkpoint sidecar, an ONNX
     * file's metadata, a run folder's copy). Such a copy holds every key that existed when it was
     * written, so a key it lacks postdates it, and takes the value the file was computed with, not
     * today's default: {@code shift_temporal.style} {@code "tsm"}, {@code
     * data_augmentation.profile} {@code "imagenet"} and {@code model_validation.average} {@code
     * "probs"}.
     *
     * @param nameForMessages the file name errors start with, or null for none
     * @throws ConfigException if the text is not JSON or not a valid config
     */
    public static TsamConfig parseStored(String json, Path nameForMessages) {
        JsonNode tree = ConfigJson.readTree(json, nameForMessages);
        if (tree instanceof ObjectNode root) {
            fillMissing(
                    root, ShiftConfig.SECTION, ShiftConfig.STYLE_KEY, ShiftStyle.TSM.jsonName());
            fillMissing(
                    root,
                    AugmentationConfig.SECTION,
                    AugmentationConfig.PROFILE_KEY,
                    InputProfile.IMAGENET.jsonName());
            fillMissing(
                    root,
                    AugmentationConfig.SECTION,
                    AugmentationConfig.AUTOROTATE_KEY,
                    BooleanNode.FALSE);
            fillMissing(
                    root,
                    ValidationConfig.SECTION,
                    ValidationConfig.AVERAGE_KEY,
                    ClipAverage.PROBS.jsonName());
            json = ConfigJson.write(root);
        }
        return parse(json, nameForMessages, null);
    }

    /**
     * Reads a stored model file from disk, as {@link #parseStored}.
     *
     * @throws ConfigException if the file is missing, unreadable, not JSON or not a valid config
     */
    public static TsamConfig loadStored(Path file) {
        return parseStored(ConfigFiles.readText(file), file);
    }

    /**
     * Returns a copy computing with {@code style}: the shift style, and the clip average too unless
     * {@code averageStated} (an absent average follows the style, see {@link ValidationConfig}).
     */
    public TsamConfig withShiftStyle(ShiftStyle style, boolean averageStated) {
        TsamConfig result = withShiftTemporal(shiftTemporal.withStyle(style));
        return averageStated
                ? result
                : result.withModelValidation(
                        new ValidationConfig(
                                modelValidation.numClips(),
                                ValidationConfig.defaultAverage(style)));
    }

    /**
     * Whether the model file chooses the shift style: its own {@code shift_temporal.style}, or
     * TSAM's config layout, which always means TSAM's style; where it does not, a caller that knows
     * better than the default (e.g. from a checkpoint's naming) may choose the style.
     *
     * @throws ConfigException if the file cannot be read or is not JSON
     */
    public static boolean statesShiftStyle(Path file) {
        JsonSection root = JsonSection.root(ConfigFiles.readText(file), file, null);
        return TsamCodeLayout.recognises(root)
                || states(file, ShiftConfig.SECTION, ShiftConfig.STYLE_KEY);
    }

    /**
     * Whether the model file chooses the input profile: its own {@code data_augmentation.profile},
     * or TSAM's config layout, which always means TSAM's profile.
     *
     * @throws ConfigException if the file cannot be read or is not JSON
     */
    public static boolean statesInputProfile(Path file) {
        JsonSection root = JsonSection.root(ConfigFiles.readText(file), file, null);
        return TsamCodeLayout.recognises(root)
                || states(file, AugmentationConfig.SECTION, AugmentationConfig.PROFILE_KEY);
    }

    /** A copy computing its inputs by {@code profile}. */
    public TsamConfig withInputProfile(InputProfile profile) {
        return withDataAugmentation(dataAugmentation.withProfile(profile));
    }

    /**
     * Whether the model file sets {@code model_validation.average} itself.
     *
     * @throws ConfigException if the file cannot be read or is not JSON
     */
    public static boolean statesClipAverage(Path file) {
        return states(file, ValidationConfig.SECTION, ValidationConfig.AVERAGE_KEY);
    }

    private static boolean states(Path file, String section, String key) {
        JsonNode node = ConfigJson.readTree(ConfigFiles.readText(file), file).get(section);
        return node != null && node.has(key);
    }

    private static void fillMissing(ObjectNode root, String section, String key, String value) {
        fillMissing(root, section, key, TextNode.valueOf(value));
    }

    private static void fillMissing(ObjectNode root, String section, String key, JsonNode value) {
        JsonNode node = root.get(section);
        if (node == null) {
            node = root.putObject(section);
        }
        if (node instanceof ObjectNode object && !object.has(key)) {
            object.set(key, value);
        }
    }

    private static TsamConfig parse(String json, Path file, Path baseDir) {
        try {
            JsonSection root = JsonSection.root(json, file, baseDir);
            if (TsamCodeLayout.recognises(root)) {
                return TsamCodeLayout.read(root);
            }
            TsamConfig defaults = defaults();
            AugmentationConfig augmentation =
                    AugmentationConfig.read(root.section(AugmentationConfig.SECTION));
            ModelConfig model = ModelConfig.read(root.section(ModelConfig.SECTION));
            ShiftConfig shift = ShiftConfig.read(root.section(ShiftConfig.SECTION));
            TsamConfig config =
                    new TsamConfig(
                            augmentation,
                            model,
                            shift,
                            TrainingConfig.read(root.section(TrainingConfig.SECTION)),
                            OptimizerConfig.read(root.section(OptimizerConfig.SECTION)),
                            ValidationConfig.read(
                                    root.section(ValidationConfig.SECTION),
                                    ValidationConfig.defaultAverage(shift.style())),
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
