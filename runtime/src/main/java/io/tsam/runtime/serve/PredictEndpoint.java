package io.tsam.runtime.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tsam.media.MediaException;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.pipeline.SlidingWindows;
import io.tsam.runtime.predict.AudioState;
import io.tsam.runtime.predict.PredictionJson;
import io.tsam.runtime.predict.Predictor;
import io.tsam.runtime.predict.PreparedVideo;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code POST /predict}: classifies an uploaded video and answers with the object {@code tsam-run
 * predict --json} prints for one file ({@link PredictionJson}), {@code file} being the upload's
 * name. {@code POST /predict?window=4&stride=2} (seconds; the stride defaults to half the window)
 * predicts over time instead: {@code {"file", "window", "stride", "windows": [{"window", "start",
 * "end", "top", "audio"}]}}, the windows run through the batcher a batch at a time.
 */
final class PredictEndpoint {

    private final Predictor predictor;
    private final DynamicBatcher batcher;
    private final BodyLimit limit;
    private final UploadReceiver receiver;
    private final int topK;
    private final int maxBatch;

    PredictEndpoint(
            Predictor predictor,
            DynamicBatcher batcher,
            BodyLimit limit,
            UploadReceiver receiver,
            int topK,
            int maxBatch) {
        this.maxBatch = maxBatch;
        this.predictor = predictor;
        this.batcher = batcher;
        this.limit = limit;
        this.receiver = receiver;
        this.topK = topK;
    }

    /** Decodes the upload on the request's thread, then runs its clips in the next batch. */
    void predict(Context ctx) {
        SlidingWindows windows = windows(ctx);
        // Opened first, so a declared length over the limit is refused before taking a place.
        InputStream body = limit.open(ctx);
        try (DynamicBatcher.Admission admission = batcher.admit();
                Upload upload = receiver.receive(ctx, body)) {
            if (windows != null) {
                ctx.json(overTime(admission, upload, windows));
                return;
            }
            PreparedVideo video = named(upload, () -> predictor.prepare(upload.file()));
            DynamicBatcher.Result result = admission.run(video);
            ObjectNode json = PredictionJson.of(result.prediction(), topK);
            json.put("file", upload.name());
            ctx.json(json);
        }
    }

    /** The windows the query asks for, or null for one prediction of the whole video. */
    private SlidingWindows windows(Context ctx) {
        String window = ctx.queryParam("window");
        String stride = ctx.queryParam("stride");
        if (window == null) {
            if (stride != null) {
                throw new IllegalArgumentException("query parameter 'stride' needs 'window'");
            }
            return null;
        }
        double length = seconds("window", window);
        return predictor.windows(length, stride == null ? length / 2 : seconds("stride", stride));
    }

    private static double seconds(String name, String value) {
        try {
            double seconds = Double.parseDouble(value);
            if (seconds > 0 && Double.isFinite(seconds)) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new IllegalArgumentException(
                "query parameter '" + name + "' must be seconds > 0, got '" + value + "'");
    }

    private ObjectNode overTime(
            DynamicBatcher.Admission admission, Upload upload, SlidingWindows windows) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("file", upload.name());
        json.put("window", windows.length());
        json.put("stride", windows.stride());
        ArrayNode list = json.putArray("windows");
        Path name = Path.of(upload.name());
        named(
                upload,
                () ->
                        predictor.predictWindows(
                                upload.file(),
                                windows,
                                maxBatch,
                                clips -> admission.run(asVideo(upload, clips)).logits(),
                                w -> {
                                    ObjectNode row = PredictionJson.window(name, w, topK);
                                    row.remove("file");
                                    list.add(row);
                                }));
        return json;
    }

    /** A part of the windows as the batcher takes it. */
    private static PreparedVideo asVideo(Upload upload, List<ClipTensors> clips) {
        ClipTensors first = clips.get(0);
        AudioState audio =
                first.audio() == null
                        ? AudioState.OFF
                        : first.audioMissing() ? AudioState.MISSING : AudioState.PRESENT;
        return new PreparedVideo(upload.file(), 0, clips, clips.size(), audio, 0, 0);
    }

    /** Runs {@code work}; a media error names the upload as the client called it. */
    private static <T> T named(Upload upload, Supplier<T> work) {
        try {
            return work.get();
        } catch (MediaException e) {
            String prefix = e.file() + ": ";
            String message = e.getMessage();
            String reason =
                    message.startsWith(prefix)
                            ? message.substring(prefix.length())
                            : message.replace(upload.file().toString(), upload.name());
            throw new MediaException(Path.of(upload.name()), reason, e);
        }
    }
}
