package io.tsam.trainer.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.LabelNames;
import io.tsam.trainer.metrics.VideoScore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The per-video scores of a validation run, like MMAction2's {@code --out}: a JSON object
 *
 * <pre>{@code
 * {"label_names": ["walk", ...],
 *  "videos": [{"id": "v1", "label": 3, "predicted": 3, "clips": 2,
 *              "probabilities": [0.01, ...]}, ...]}
 * }</pre>
 *
 * <p>{@code probabilities} are the mean of the clips' softmax probabilities, in label order; {@code
 * predicted} is the index of the highest one. Written atomically.
 */
public final class ScoresFile {
    /** The file's usual name inside a run folder. */
    public static final String FILE_NAME = "scores.json";

    private static final JsonFactory JSON = new JsonFactory();

    private ScoresFile() {}

    /**
     * Writes the scores of {@code videos} to {@code file} atomically.
     *
     * @throws IllegalArgumentException when a video's probabilities do not have one value per label
     *     name
     * @throws IOException when the file cannot be written
     */
    public static void write(Path file, LabelNames labelNames, List<VideoScore> videos)
            throws IOException {
        for (VideoScore video : videos) {
            if (video.probabilities().length != labelNames.size()) {
                throw new IllegalArgumentException(
                        "video '"
                                + video.id()
                                + "' has "
                                + video.probabilities().length
                                + " probabilities, expected one per label name ("
                                + labelNames.size()
                                + ")");
            }
        }
        AtomicFile.write(file, tmp -> writeJson(tmp, labelNames, videos));
    }

    private static void writeJson(Path tmp, LabelNames labelNames, List<VideoScore> videos)
            throws IOException {
        try (JsonGenerator out = JSON.createGenerator(tmp.toFile(), JsonEncoding.UTF8)) {
            out.writeStartObject();
            out.writeArrayFieldStart("label_names");
            for (String name : labelNames.names()) {
                out.writeString(name);
            }
            out.writeEndArray();
            out.writeArrayFieldStart("videos");
            for (VideoScore video : videos) {
                out.writeRaw('\n');
                out.writeStartObject();
                out.writeStringField("id", video.id());
                out.writeNumberField("label", video.label());
                out.writeNumberField("predicted", video.predicted());
                out.writeNumberField("clips", video.clips());
                out.writeArrayFieldStart("probabilities");
                for (float p : video.probabilities()) {
                    out.writeNumber(p);
                }
                out.writeEndArray();
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
            out.writeRaw('\n');
        }
    }
}
