package io.tsam.runtime.serve;

import io.tsam.runtime.backend.InferenceBackend;
import io.tsam.runtime.backend.TensorSpec;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A backend that keeps a copy of what it returns: the adapter that lets one model run answer both
 * kinds of request in a batch, since {@link io.tsam.runtime.predict.Predictor#classify} returns
 * rankings (what {@code /predict} needs) but not the logits (what the inference protocol returns).
 * The batcher runs {@code classify} and then {@link #drain()}s the logits of that same run.
 *
 * <p>Only the batcher thread runs the model, so the kept outputs need no locking; {@link #run} from
 * several threads at once is not supported. Closing closes the wrapped backend.
 */
final class LogitsTap implements InferenceBackend {

    private final InferenceBackend backend;
    private final List<float[]> outputs = new ArrayList<>();

    LogitsTap(InferenceBackend backend) {
        this.backend = backend;
    }

    /**
     * The outputs of the runs since the last drain, concatenated in run order: row-major {@code
     * [samples, classes]}.
     */
    float[] drain() {
        int length = 0;
        for (float[] output : outputs) {
            length += output.length;
        }
        float[] all = new float[length];
        int at = 0;
        for (float[] output : outputs) {
            System.arraycopy(output, 0, all, at, output.length);
            at += output.length;
        }
        outputs.clear();
        return all;
    }

    @Override
    public float[] run(int batch, Map<String, FloatBuffer> inputs) {
        float[] output = backend.run(batch, inputs);
        outputs.add(output.clone());
        return output;
    }

    @Override
    public Path modelFile() {
        return backend.modelFile();
    }

    @Override
    public String provider() {
        return backend.provider();
    }

    @Override
    public String description() {
        return backend.description();
    }

    @Override
    public List<TensorSpec> inputs() {
        return backend.inputs();
    }

    @Override
    public TensorSpec output() {
        return backend.output();
    }

    @Override
    public int maxBatch() {
        return backend.maxBatch();
    }

    @Override
    public void close() {
        backend.close();
    }
}
