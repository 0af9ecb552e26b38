package io.tsam.exporter.onnx;

import io.tsam.config.LabelNames;
import io.tsam.config.ModelMetadata;
import io.tsam.config.TsamConfig;
import io.tsam.media.pipeline.PipelineParameters;
import java.util.Map;

/**
 * What a TSAM ONNX file promises its readers (SPEC §5): the names of its inputs and output and the
 * {@code metadata_props} keys, so that a runtime needs nothing but the file.
 *
 * <p>Inputs: {@value #VIDEO} float32 {@code [N, T, 3, H, W]} and, when {@code audio_segments = 1},
 * {@value #AUDIO} float32 {@code [N, 3, H, W]}; output {@value #LOGITS} float32 {@code [N,
 * classes]}. {@code N} is the symbolic dimension {@value #BATCH}; {@code H = W = crop_size}.
 *
 * <p>The names and metadata keys are {@link ModelMetadata}'s, in the {@code config} module, so that
 * the runtime reads what this exporter writes without depending on it. The metadata values:
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
    public static final String VIDEO = ModelMetadata.VIDEO_INPUT;

    /** The audio input, present iff {@code audio_segments = 1}. */
    public static final String AUDIO = ModelMetadata.AUDIO_INPUT;

    /** The output. */
    public static final String LOGITS = ModelMetadata.LOGITS_OUTPUT;

    /** The symbolic batch dimension. */
    public static final String BATCH = ModelMetadata.BATCH_DIM;

    /** The metadata key of the format version. */
    public static final String FORMAT_VERSION_KEY = ModelMetadata.FORMAT_VERSION_KEY;

    /** The format version this exporter writes. */
    public static final String FORMAT_VERSION = ModelMetadata.FORMAT_VERSION;

    /** The metadata key of the class names. */
    public static final String LABELS = ModelMetadata.LABELS_KEY;

    /** The metadata key of the model config. */
    public static final String CONFIG = ModelMetadata.CONFIG_KEY;

    /** The metadata key of the preprocessing parameters. */
    public static final String PREPROCESSING = ModelMetadata.PREPROCESSING_KEY;

    /** The metadata key of the source checkpoint's SHA-256. */
    public static final String CHECKPOINT_SHA256 = ModelMetadata.CHECKPOINT_SHA256_KEY;

    /** The model's {@code producer_name}. */
    public static final String PRODUCER_NAME = "tsam-exporter";

    /** The model's {@code producer_version}. */
    public static final String PRODUCER_VERSION = "0.1.0";

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
        return new ModelMetadata(config, labels, PipelineParameters.of(config), checkpointSha256)
                .toProperties();
    }

    /**
     * Returns the {@value #PREPROCESSING} JSON of a model file.
     *
     * @param config the model file
     * @return a JSON object, keys as in the class javadoc
     */
    public static String preprocessing(TsamConfig config) {
        return PipelineParameters.of(config).toJson();
    }
}
