package io.tsam.exporter.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.config.AugmentationConfig;
import io.tsam.config.LabelNames;
import io.tsam.config.TsamConfig;
import io.tsam.media.audio.AudioImage;
import io.tsam.media.audio.LogMelSpectrogram;
import io.tsam.media.image.Normalization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a TSAM ONNX file promises its readers (SPEC §5): the names of its inputs and output and the
 * {@code metadata_props} keys, so that a runtime needs nothing but the file.
 *
 * <p>Inputs: {@value #VIDEO} float32 {@code [N, T, 3, H, W]} and, when {@code audio_segments = 1},
 * {@value #AUDIO} float32 {@code [N, 3, H, W]}; output {@value #LOGITS} float32 {@code [N,
 * classes]}. {@code N} is the symbolic dimension {@value #BATCH}; {@code H = W = crop_size}.
 *
 * <p>Metadata (every value a string):
 *
 * <ul>
 *   <li>{@value #FORMAT_VERSION_KEY}: {@value #FORMAT_VERSION}, bumped when a key changes meaning;
 *   <li>{@value #LABELS}: a JSON list of the class names in logit order ({@code "0"}, {@code "1"},
 *       ... without a label file);
 *   <li>{@value #CONFIG}: the model file as {@link TsamConfig#toJson()} writes it, every key;
 *   <li>{@value #PREPROCESSING}: a JSON object with what SPEC §2 needs to build the inputs: {@code
 *       video_segments}, {@code audio_segments}, {@code scale_size}, {@code crop_size}, {@code
 *       resize_mode} ({@code "square"} or {@code "short_side"}), {@code mean} and {@code std} (RGB,
 *       applied to {@code pixel / 255}), and {@code audio}: {@code sample_rate} (Hz), {@code
 *       windows_ms} (one {@code [window, hop]} pair per audio channel, in channel order), {@code
 *       n_mels}, {@code f_min}, {@code f_max} (Hz, HTK scale) and {@code log_offset};
 *   <li>{@value #CHECKPOINT_SHA256}: the SHA-256 of the checkpoint file the weights came from, 64
 *       lower-case hex digits.
 * </ul>
 *
 * <p>{@code producer_name} is {@value #PRODUCER_NAME}, {@code producer_version} {@value
 * #PRODUCER_VERSION}.
 */
public final class TsamOnnxFormat {

    /** The video input. */
    public static final String VIDEO = "video";

    /** The audio input, present iff {@code audio_segments = 1}. */
    public static final String AUDIO = "audio";

    /** The output. */
    public static final String LOGITS = "logits";

    /** The symbolic batch dimension. */
    public static final String BATCH = "N";

    /** The metadata key of the format version. */
    public static final String FORMAT_VERSION_KEY = "tsam.format_version";

    /** The format version this exporter writes. */
    public static final String FORMAT_VERSION = "1";

    /** The metadata key of the class names. */
    public static final String LABELS = "tsam.labels";

    /** The metadata key of the model config. */
    public static final String CONFIG = "tsam.config";

    /** The metadata key of the preprocessing parameters. */
    public static final String PREPROCESSING = "tsam.preprocessing";

    /** The metadata key of the source checkpoint's SHA-256. */
    public static final String CHECKPOINT_SHA256 = "tsam.checkpoint_sha256";

    /** The model's {@code producer_name}. */
    public static final String PRODUCER_NAME = "tsam-exporter";

    /** The model's {@code producer_version}. */
    public static final String PRODUCER_VERSION = "0.1.0";

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int MILLIS_PER_SECOND = 1000;

    private TsamOnnxFormat() {}

    /**
     * Returns the {@code metadata_props} of a model, in the order of the class javadoc.
     *
     * @param config the model file
     * @param labels one name per class
     * @param checkpointSha256 the source checkpoint's SHA-256
     * @return key to value
     */
    public static Map<String, String> metadata(
            TsamConfig config, LabelNames labels, String checkpointSha256) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(FORMAT_VERSION_KEY, FORMAT_VERSION);
        ArrayNode names = JSON.createArrayNode();
        labels.names().forEach(names::add);
        metadata.put(LABELS, write(names));
        metadata.put(CONFIG, config.toJson());
        metadata.put(PREPROCESSING, preprocessing(config));
        metadata.put(CHECKPOINT_SHA256, checkpointSha256);
        return metadata;
    }

    /**
     * Returns the {@value #PREPROCESSING} JSON of a model file.
     *
     * @param config the model file
     * @return a JSON object, keys as in the class javadoc
     */
    public static String preprocessing(TsamConfig config) {
        AugmentationConfig augmentation = config.dataAugmentation();
        ObjectNode root = JSON.createObjectNode();
        root.put("video_segments", config.model().videoSegments());
        root.put("audio_segments", config.model().audioSegments());
        root.put("scale_size", augmentation.scaleSize());
        root.put("crop_size", augmentation.cropSize());
        root.put("resize_mode", augmentation.resizeMode().jsonName());
        ArrayNode mean = root.putArray("mean");
        Normalization.MEAN.forEach(mean::add);
        ArrayNode std = root.putArray("std");
        Normalization.STD.forEach(std::add);
        ObjectNode audio = root.putObject("audio");
        audio.put("sample_rate", AudioImage.SAMPLE_RATE);
        ArrayNode windows = audio.putArray("windows_ms");
        for (AudioImage.Window window : AudioImage.WINDOWS) {
            windows.addArray().add(millis(window.winLength())).add(millis(window.hopLength()));
        }
        audio.put("n_mels", AudioImage.MEL_BANDS);
        audio.put("f_min", AudioImage.F_MIN);
        audio.put("f_max", AudioImage.F_MAX);
        audio.put("log_offset", LogMelSpectrogram.LOG_OFFSET);
        return write(root);
    }

    private static double millis(int samples) {
        return (double) samples * MILLIS_PER_SECOND / AudioImage.SAMPLE_RATE;
    }

    private static String write(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
