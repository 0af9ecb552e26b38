package io.tsam.backend;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backend that hands every batch to another one and keeps a copy of exactly what it was given,
 * and the buffer objects themselves, so tests can see what the model was fed.
 */
public final class RecordingBackend extends ForwardingBackend {

    /**
     * One run as received.
     *
     * @param batch the batch size
     * @param values a copy of each input buffer's values, position to limit
     * @param buffers the buffer objects passed in
     */
    public record Call(int batch, Map<String, float[]> values, Map<String, FloatBuffer> buffers) {}

    private final List<Call> calls = new ArrayList<>();

    public RecordingBackend(InferenceBackend delegate) {
        super(delegate);
    }

    /** The runs so far, in order. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public String description() {
        return "recording " + delegate.description();
    }

    @Override
    public float[] run(int batch, Map<String, FloatBuffer> inputs) {
        Map<String, float[]> copies = new LinkedHashMap<>();
        inputs.forEach(
                (name, buffer) -> {
                    float[] values = new float[buffer.remaining()];
                    buffer.duplicate().get(values);
                    copies.put(name, values);
                });
        synchronized (this) {
            calls.add(new Call(batch, copies, Map.copyOf(inputs)));
        }
        return delegate.run(batch, inputs);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
