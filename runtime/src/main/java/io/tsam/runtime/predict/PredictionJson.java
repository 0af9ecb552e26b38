package io.tsam.runtime.predict;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.media.sampling.FrameSampling;
import java.nio.file.Path;

/**
 * The JSON form of a prediction, one shape for every front end ({@code tsam-run predict --json}, a
 * server): {@code file}, {@code top} ({@code [{label, prob}]}, most probable first), {@code audio}
 * ({@code present}, {@code missing} or {@code off}), {@code clips} and {@code timings_ms} ({@code
 * decode}, {@code audio}, {@code inference}, {@code total}, rounded to microseconds), and {@code
 * sampling} when the frames were not the exact test frames; or, for a file that failed, {@code
 * file} and {@code error}.
 */
public final class PredictionJson {

    private static final double MICROS_PER_MS = 1000;

    private PredictionJson() {}

    /** The object of a prediction with its {@code topK} most probable classes. */
    public static ObjectNode of(Prediction prediction, int topK) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("file", prediction.file().toString());
        ArrayNode top = root.putArray("top");
        for (LabelScore score : prediction.top(topK)) {
            top.addObject().put("label", score.label()).put("prob", score.probability());
        }
        root.put("audio", prediction.audio().jsonName());
        root.put("clips", prediction.clips());
        if (prediction.sampling() != FrameSampling.EXACT) {
            root.put("sampling", prediction.sampling().cliName());
        }
        Timings t = prediction.timings();
        root.putObject("timings_ms")
                .put("decode", round(t.decodeMs()))
                .put("audio", round(t.audioMs()))
                .put("inference", round(t.inferenceMs()))
                .put("total", round(t.totalMs()));
        return root;
    }

    /**
     * The object of one window of a prediction over time: {@code file}, {@code window} (its
     * number), {@code start} and {@code end} in seconds, {@code top} and {@code audio}.
     */
    public static ObjectNode window(Path file, WindowPrediction window, int topK) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("file", file.toString());
        root.put("window", window.index());
        root.put("start", round(window.start()));
        root.put("end", round(window.end()));
        ArrayNode top = root.putArray("top");
        for (LabelScore score : window.top(topK)) {
            top.addObject().put("label", score.label()).put("prob", score.probability());
        }
        root.put("audio", window.audio().jsonName());
        return root;
    }

    /** The object of a file that could not be classified. */
    public static ObjectNode error(Path file, String message) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("file", file.toString());
        root.put("error", message);
        return root;
    }

    private static double round(double ms) {
        return Math.round(ms * MICROS_PER_MS) / MICROS_PER_MS;
    }
}
