package io.tsam.runtime.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tsam.media.MediaException;
import io.tsam.runtime.predict.PredictionJson;
import io.tsam.runtime.predict.Predictor;
import io.tsam.runtime.predict.PreparedVideo;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * {@code POST /predict}: classifies an uploaded video and answers with the object {@code tsam-run
 * predict --json} prints for one file ({@link PredictionJson}), {@code file} being the upload's
 * name.
 */
final class PredictEndpoint {

    private final Predictor predictor;
    private final DynamicBatcher batcher;
    private final BodyLimit limit;
    private final UploadReceiver receiver;
    private final int topK;

    PredictEndpoint(
            Predictor predictor,
            DynamicBatcher batcher,
            BodyLimit limit,
            UploadReceiver receiver,
            int topK) {
        this.predictor = predictor;
        this.batcher = batcher;
        this.limit = limit;
        this.receiver = receiver;
        this.topK = topK;
    }

    /** Decodes the upload on the request's thread, then runs its clips in the next batch. */
    void predict(Context ctx) {
        // Opened first, so a declared length over the limit is refused before taking a place.
        InputStream body = limit.open(ctx);
        try (DynamicBatcher.Admission admission = batcher.admit();
                Upload upload = receiver.receive(ctx, body)) {
            PreparedVideo video = prepare(upload);
            DynamicBatcher.Result result = admission.run(video);
            ObjectNode json = PredictionJson.of(result.prediction(), topK);
            json.put("file", upload.name());
            ctx.json(json);
        }
    }

    /** The upload's clips; a media error names the upload as the client called it. */
    private PreparedVideo prepare(Upload upload) {
        try {
            return predictor.prepare(upload.file());
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
