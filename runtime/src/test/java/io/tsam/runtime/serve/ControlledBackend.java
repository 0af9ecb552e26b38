package io.tsam.runtime.serve;

import io.tsam.backend.ForwardingBackend;
import io.tsam.backend.InferenceBackend;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A backend that runs another one but lets a test slow it down or hold it: every run first sleeps
 * {@code delayMillis}, and while {@link #hold()} is on, waits for {@link #release()}. It records
 * the batch sizes it ran and whether it was closed, and does not close the backend it wraps.
 */
final class ControlledBackend extends ForwardingBackend {

    private final long delayMillis;
    private final List<Integer> batches = new ArrayList<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final CountDownLatch entered = new CountDownLatch(1);
    private volatile boolean closed;

    ControlledBackend(InferenceBackend delegate, long delayMillis) {
        super(delegate);
        this.delayMillis = delayMillis;
    }

    /** Makes the next runs wait for {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    /** Lets held runs go, and every later one. */
    void release() {
        gate.countDown();
    }

    /** Waits until a run has started. */
    boolean awaitRun(long seconds) throws InterruptedException {
        return entered.await(seconds, TimeUnit.SECONDS);
    }

    /** The batch size of every run so far. */
    synchronized List<Integer> batches() {
        return List.copyOf(batches);
    }

    boolean closed() {
        return closed;
    }

    @Override
    public float[] run(int batch, Map<String, FloatBuffer> inputs) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        entered.countDown();
        try {
            gate.await();
            Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        synchronized (this) {
            batches.add(batch);
        }
        return delegate.run(batch, inputs);
    }

    @Override
    public String description() {
        return "controlled " + delegate.description();
    }

    @Override
    public void close() {
        closed = true;
    }
}
