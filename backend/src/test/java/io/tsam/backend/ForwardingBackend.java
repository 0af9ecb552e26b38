package io.tsam.backend;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A backend that hands everything to another one; tests override what they watch or change. */
public abstract class ForwardingBackend implements InferenceBackend {

    /** The backend that does the work. */
    protected final InferenceBackend delegate;

    protected ForwardingBackend(InferenceBackend delegate) {
        this.delegate = delegate;
    }

    @Override
    public Path modelFile() {
        return delegate.modelFile();
    }

    @Override
    public String provider() {
        return delegate.provider();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public List<TensorSpec> inputs() {
        return delegate.inputs();
    }

    @Override
    public TensorSpec output() {
        return delegate.output();
    }

    @Override
    public Map<String, String> metadata() {
        return delegate.metadata();
    }

    @Override
    public int maxBatch() {
        return delegate.maxBatch();
    }

    @Override
    public float[] run(int batch, Map<String, FloatBuffer> inputs) {
        return delegate.run(batch, inputs);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
