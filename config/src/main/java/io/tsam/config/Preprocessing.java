package io.tsam.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The preprocessing parameters of SPEC §2 as an exported model stores them under {@value
 * ModelMetadata#PREPROCESSING_KEY}: everything a runtime must compute to build the model's inputs
 * from a video.
 *
 * <p>The JSON object has the keys {@code profile}, {@code video_segments}, {@code audio_segments},
 * {@code scale_size}, {@code crop_size}, {@code resize_mode}, {@code mean}, {@code std} and {@code
 * audio} ({@code sample_rate}, {@code windows_ms}, {@code n_mels}, {@code f_min}, {@code f_max},
 * {@code log_offset}, {@code n_fft}, {@code standardise}); no other key is allowed. {@code
 * profile}, {@code n_fft} and {@code standardise} postdate the first files, which lack them and
 * were computed with {@code imagenet}, power-of-two FFTs and standardised images; every other key
 * is required.
 *
 * @param profile which preprocessing: TSAM's code or the ImageNet practice
 * @param videoSegments {@code T}, frames sampled per clip
 * @param audioSegments 1 when the model has the spectrogram image, else 0
 * @param scaleSize frames are first resized to this (square side or shorter side)
 * @param cropSize the side of the centre crop and of the spectrogram image
 * @param resizeMode square (TSAM) or shorter side (TSM)
 * @param mean the RGB means subtracted from {@code pixel / 255}
 * @param std the RGB standard deviations divided by after the mean
 * @param audio how the audio image is computed
 */
public record Preprocessing(
        InputProfile profile,
        int videoSegments,
        int audioSegments,
        int scaleSize,
        int cropSize,
        ResizeMode resizeMode,
        List<Float> mean,
        List<Float> std,
        AudioFeatures audio) {

    private static final int RGB = 3;
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Set<String> KEYS =
            Set.of(
                    "profile",
                    "video_segments",
                    "audio_segments",
                    "scale_size",
                    "crop_size",
                    "resize_mode",
                    "mean",
                    "std",
                    "audio");
    private static final Set<String> AUDIO_KEYS =
            Set.of(
                    "sample_rate",
                    "windows_ms",
                    "n_mels",
                    "f_min",
                    "f_max",
                    "log_offset",
                    "n_fft",
                    "standardise");

    public Preprocessing {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(resizeMode, "resizeMode");
        Objects.requireNonNull(audio, "audio");
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.size() != RGB || std.size() != RGB) {
            throw new IllegalArgumentException(
                    "mean and std need one value per RGB channel, got "
                            + mean.size()
                            + " and "
                            + std.size());
        }
    }

    /**
     * The parameters of a model file, with the normalisation and audio features of the pipeline
     * that built its training inputs.
     */
    public static Preprocessing of(
            TsamConfig config, List<Float> mean, List<Float> std, AudioFeatures audio) {
        AugmentationConfig augmentation = config.dataAugmentation();
        return new Preprocessing(
                augmentation.profile(),
                config.model().videoSegments(),
                config.model().audioSegments(),
                augmentation.scaleSize(),
                augmentation.cropSize(),
                augmentation.resizeMode(),
                mean,
                std,
                audio);
    }

    /**
     * The audio-image parameters (SPEC §2).
     *
     * @param sampleRate Hz the track is resampled to; 0 for the track's own rate
     * @param windows one window per image channel, in channel order
     * @param melBands mel bands per spectrogram
     * @param minHz lowest mel frequency (HTK scale)
     * @param maxHz highest mel frequency (HTK scale); 0 for half the sample rate
     * @param logOffset added before the natural log
     * @param fftSize the FFT size; 0 for the next power of two at or above each window
     * @param standardised whether each spectrogram is brought to zero mean and unit variance
     */
    public record AudioFeatures(
            int sampleRate,
            List<MelWindow> windows,
            int melBands,
            double minHz,
            double maxHz,
            double logOffset,
            int fftSize,
            boolean standardised) {
        public AudioFeatures {
            windows = List.copyOf(windows);
        }
    }

    /**
     * One spectrogram's framing.
     *
     * @param windowMs window length in milliseconds
     * @param hopMs hop length in milliseconds
     */
    public record MelWindow(double windowMs, double hopMs) {}

    /**
     * The keys of this record that must equal the model file's: segments, sizes, resize mode.
     *
     * @return one {@code key: this value vs the config's} line per difference, empty if none
     */
    public List<String> disagreementsWith(TsamConfig config) {
        Preprocessing expected = of(config, mean, std, audio);
        List<String> problems = new ArrayList<>();
        compare(problems, "profile", profile.jsonName(), expected.profile.jsonName());
        compare(problems, "video_segments", videoSegments, expected.videoSegments);
        compare(problems, "audio_segments", audioSegments, expected.audioSegments);
        compare(problems, "scale_size", scaleSize, expected.scaleSize);
        compare(problems, "crop_size", cropSize, expected.cropSize);
        compare(problems, "resize_mode", resizeMode.jsonName(), expected.resizeMode.jsonName());
        return problems;
    }

    /** Compact JSON with the keys in the order of the class javadoc. */
    public String toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("profile", profile.jsonName());
        root.put("video_segments", videoSegments);
        root.put("audio_segments", audioSegments);
        root.put("scale_size", scaleSize);
        root.put("crop_size", cropSize);
        root.put("resize_mode", resizeMode.jsonName());
        ArrayNode means = root.putArray("mean");
        mean.forEach(means::add);
        ArrayNode stds = root.putArray("std");
        std.forEach(stds::add);
        ObjectNode features = root.putObject("audio");
        features.put("sample_rate", audio.sampleRate());
        ArrayNode windows = features.putArray("windows_ms");
        for (MelWindow window : audio.windows()) {
            windows.addArray().add(window.windowMs()).add(window.hopMs());
        }
        features.put("n_mels", audio.melBands());
        features.put("f_min", audio.minHz());
        features.put("f_max", audio.maxHz());
        features.put("log_offset", audio.logOffset());
        features.put("n_fft", audio.fftSize());
        features.put("standardise", audio.standardised());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @param json the JSON text
     * @param file the model file, for messages (may be null)
     * @throws ConfigException naming the file and the dotted key ({@code
     *     tsam.preprocessing.audio.n_mels}) of a missing, unknown or mistyped value
     */
    public static Preprocessing parse(String json, Path file) {
        String at = ModelMetadata.PREPROCESSING_KEY;
        JsonNode root = ModelMetadata.readJson(json, at, file);
        ObjectNode node = object(root, at, file);
        ObjectNode features = object(node.get("audio"), at + ".audio", file);
        checkKeys(node, KEYS, at, file);
        checkKeys(features, AUDIO_KEYS, at + ".audio", file);
        List<MelWindow> windows = new ArrayList<>();
        JsonNode pairs = required(features, "windows_ms", at + ".audio", file);
        if (!pairs.isArray() || pairs.isEmpty()) {
            throw ConfigException.invalidValue(
                    file,
                    at + ".audio.windows_ms",
                    "expected a list of [window, hop] pairs",
                    pairs);
        }
        for (int i = 0; i < pairs.size(); i++) {
            List<Double> pair = numbers(pairs.get(i), 2, at + ".audio.windows_ms[" + i + "]", file);
            windows.add(new MelWindow(pair.get(0), pair.get(1)));
        }
        AudioFeatures audio =
                new AudioFeatures(
                        integer(features, "sample_rate", at + ".audio", file),
                        windows,
                        integer(features, "n_mels", at + ".audio", file),
                        number(features, "f_min", at + ".audio", file),
                        number(features, "f_max", at + ".audio", file),
                        number(features, "log_offset", at + ".audio", file),
                        features.has("n_fft") ? integer(features, "n_fft", at + ".audio", file) : 0,
                        !features.has("standardise")
                                || bool(features, "standardise", at + ".audio", file));
        return new Preprocessing(
                node.has("profile")
                        ? profile(node.get("profile"), at, file)
                        : InputProfile.IMAGENET,
                integer(node, "video_segments", at, file),
                integer(node, "audio_segments", at, file),
                integer(node, "scale_size", at, file),
                integer(node, "crop_size", at, file),
                resizeMode(required(node, "resize_mode", at, file), at, file),
                floats(required(node, "mean", at, file), at + ".mean", file),
                floats(required(node, "std", at, file), at + ".std", file),
                audio);
    }

    private static void compare(List<String> problems, String key, Object ours, Object config) {
        if (!ours.equals(config)) {
            problems.add(key + ": " + ours + " vs the config's " + config);
        }
    }

    private static ObjectNode object(JsonNode node, String at, Path file) {
        if (node == null || !node.isObject()) {
            throw ConfigException.invalidValue(file, at, "expected a JSON object", node);
        }
        return (ObjectNode) node;
    }

    private static void checkKeys(ObjectNode node, Set<String> keys, String at, Path file) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!keys.contains(name)) {
                throw ConfigException.invalidValue(
                        file,
                        at + "." + name,
                        "unknown key (valid keys: "
                                + String.join(", ", keys.stream().sorted().toList())
                                + ")",
                        node.get(name));
            }
        }
    }

    private static JsonNode required(ObjectNode node, String key, String at, Path file) {
        JsonNode value = node.get(key);
        if (value == null) {
            throw ConfigException.ofFile(file, at + "." + key + ": missing (a required key)", null);
        }
        return value;
    }

    private static int integer(ObjectNode node, String key, String at, Path file) {
        JsonNode value = required(node, key, at, file);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ConfigException.invalidValue(file, at + "." + key, "expected an integer", value);
        }
        return value.intValue();
    }

    private static double number(ObjectNode node, String key, String at, Path file) {
        return toNumber(required(node, key, at, file), at + "." + key, file);
    }

    private static double toNumber(JsonNode value, String at, Path file) {
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw ConfigException.invalidValue(file, at, "expected a finite number", value);
        }
        return value.doubleValue();
    }

    private static List<Double> numbers(JsonNode value, int count, String at, Path file) {
        if (!value.isArray() || value.size() != count) {
            throw ConfigException.invalidValue(
                    file, at, "expected a list of " + count + " numbers", value);
        }
        List<Double> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            result.add(toNumber(value.get(i), at + "[" + i + "]", file));
        }
        return result;
    }

    private static List<Float> floats(JsonNode value, String at, Path file) {
        List<Float> result = new ArrayList<>();
        for (double v : numbers(value, RGB, at, file)) {
            result.add((float) v);
        }
        return result;
    }

    private static boolean bool(ObjectNode node, String key, String at, Path file) {
        JsonNode value = required(node, key, at, file);
        if (!value.isBoolean()) {
            throw ConfigException.invalidValue(
                    file, at + "." + key, "expected true or false", value);
        }
        return value.booleanValue();
    }

    private static InputProfile profile(JsonNode value, String at, Path file) {
        for (InputProfile profile : InputProfile.values()) {
            if (value.isTextual() && profile.jsonName().equals(value.textValue())) {
                return profile;
            }
        }
        throw ConfigException.invalidValue(
                file, at + ".profile", "expected \"tsam\" or \"imagenet\"", value);
    }

    private static ResizeMode resizeMode(JsonNode value, String at, Path file) {
        for (ResizeMode mode : ResizeMode.values()) {
            if (value.isTextual() && mode.jsonName().equals(value.textValue())) {
                return mode;
            }
        }
        throw ConfigException.invalidValue(
                file, at + ".resize_mode", "expected \"square\" or \"short_side\"", value);
    }
}
