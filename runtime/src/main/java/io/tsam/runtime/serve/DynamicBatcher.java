package io.tsam.runtime.serve;

import io.tsam.runtime.predict.Prediction;
import io.tsam.runtime.predict.Predictor;
import io.tsam.runtime.predict.PreparedVideo;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the clips of concurrent requests through the model together: one thread takes requests from
 * a queue, up to {@code maxBatch} clips at a time in arrival order, and runs each batch as one
 * {@link Predictor#classify} call.
 *
 * <p>Admission is bounded: a request takes one of {@code maxQueue} places before its body is read
 * ({@link #admit()}, refused at once when none is free) and gives it back when it is answered, so
 * the requests in memory, and the queue with them, never exceed {@code maxQueue}.
 *
 * <p>The first request of a batch waits at most {@code maxDelay} for others to join it, and only
 * while other admitted requests are still being read or decoded: requests already queued are all in
 * this batch, and their clients wait for it, so nobody else is about to arrive.
 *
 * <p>{@link #close(Duration)} admits nothing new, lets the admitted requests finish (for at most
 * the time given), then stops the thread. It does not close the predictor's backend.
 */
final class DynamicBatcher implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(DynamicBatcher.class);

    /**
     * One request's share of a batch.
     *
     * @param prediction its ranking, as {@link Predictor#classify} made it
     * @param logits its rows of the batch's logits, row-major {@code [clips, classes]}
     * @param batchClips the clips in the whole batch
     */
    record Result(Prediction prediction, float[] logits, int batchClips) {}

    /** A queued request. */
    private record Job(PreparedVideo video, long enqueuedNanos, CompletableFuture<Result> result) {
        int clips() {
            return video.clips().size();
        }
    }

    private final Predictor predictor;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final int maxQueue;
    private final ServeMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final Thread thread;
    private int admitted;
    private int arriving;
    private int peakAdmitted;
    private int peakQueued;
    private boolean closed;
    private boolean stopped;

    /**
     * Starts the batcher thread.
     *
     * @param predictor runs the batches
     */
    DynamicBatcher(
            Predictor predictor,
            int maxBatch,
            Duration maxDelay,
            int maxQueue,
            ServeMetrics metrics) {
        this.predictor = predictor;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = maxDelay.toNanos();
        this.maxQueue = maxQueue;
        this.metrics = metrics;
        this.thread = new Thread(this::loop, "tsam-serve-batcher");
        thread.start();
    }

    /**
     * Takes a place for one request.
     *
     * @return the place, which the caller closes once the request is answered
     * @throws ServeException {@code QUEUE_FULL} when {@code maxQueue} requests are admitted, {@code
     *     CLOSING} once the batcher is closing
     */
    Admission admit() {
        lock.lock();
        try {
            if (closed) {
                throw new ServeException(
                        ServeException.Reason.CLOSING, "the server is shutting down");
            }
            if (admitted >= maxQueue) {
                throw new ServeException(
                        ServeException.Reason.QUEUE_FULL,
                        "the server is busy: "
                                + maxQueue
                                + " requests are in progress (--max-queue); retry later");
            }
            admitted++;
            arriving++;
            peakAdmitted = Math.max(peakAdmitted, admitted);
            publish();
            return new Admission();
        } finally {
            lock.unlock();
        }
    }

    /** The most requests admitted at once so far. */
    int peakAdmitted() {
        lock.lock();
        try {
            return peakAdmitted;
        } finally {
            lock.unlock();
        }
    }

    /** The requests waiting for the batcher now. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** The longest the queue has been so far. */
    int peakQueued() {
        lock.lock();
        try {
            return peakQueued;
        } finally {
            lock.unlock();
        }
    }

    /** Whether new requests are admitted. */
    boolean accepting() {
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops admitting, waits up to {@code timeout} for the admitted requests to be answered, then
     * stops the thread; requests still queued after the timeout fail with {@code CLOSING}.
     *
     * @return whether every admitted request was answered in time
     */
    boolean close(Duration timeout) {
        boolean drained = false;
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            long left = timeout.toNanos();
            while (admitted > 0 && left > 0) {
                left = changed.awaitNanos(left);
            }
            drained = admitted == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // awaitNanos holds the lock again when it returns or throws.
            if (!drained) {
                stop();
            }
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return drained;
    }

    /** Closes with no time limit on the admitted requests. */
    @Override
    public void close() {
        close(Duration.ofNanos(Long.MAX_VALUE));
    }

    /** Gives up on the admitted requests: fails the queued ones and ends the thread; lock held. */
    private void stop() {
        stopped = true;
        for (Job job = queue.poll(); job != null; job = queue.poll()) {
            job.result().completeExceptionally(stoppedException());
        }
        publish();
        changed.signalAll();
    }

    private static ServeException stoppedException() {
        return new ServeException(
                ServeException.Reason.CLOSING, "the server shut down before this request ran");
    }

    private void loop() {
        try {
            for (List<Job> batch = nextBatch(); !batch.isEmpty(); batch = nextBatch()) {
                run(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next batch, or an empty list once closed with nothing left to run. */
    private List<Job> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (stopped || (closed && admitted == 0)) {
                    return List.of();
                }
                changed.await();
            }
            long deadline = queue.peek().enqueuedNanos() + maxDelayNanos;
            while (!closed && arriving > 0 && !full()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            List<Job> batch = new ArrayList<>();
            int clips = 0;
            while (!queue.isEmpty()) {
                int next = queue.peek().clips();
                if (!batch.isEmpty() && clips + next > maxBatch) {
                    break;
                }
                batch.add(queue.poll());
                clips += next;
            }
            publish();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the queue's head already makes a batch no later arrival could join. */
    private boolean full() {
        int clips = 0;
        for (Job job : queue) {
            if (clips > 0 && clips + job.clips() > maxBatch) {
                return true;
            }
            clips += job.clips();
            if (clips >= maxBatch) {
                return true;
            }
        }
        return false;
    }

    private void run(List<Job> batch) {
        long start = System.nanoTime();
        int clips = 0;
        List<PreparedVideo> videos = new ArrayList<>(batch.size());
        for (Job job : batch) {
            metrics.queueWait(start - job.enqueuedNanos());
            videos.add(job.video());
            clips += job.clips();
        }
        try {
            List<Prediction> predictions = predictor.classify(videos);
            metrics.batch(clips, System.nanoTime() - start);
            for (int i = 0; i < batch.size(); i++) {
                Prediction prediction = predictions.get(i);
                batch.get(i).result().complete(new Result(prediction, prediction.logits(), clips));
            }
        } catch (RuntimeException | Error e) {
            // Each request of the batch answers with the failure; the batcher carries on.
            logger.error("a batch of {} clips failed", clips, e);
            for (Job job : batch) {
                job.result().completeExceptionally(e);
            }
        }
    }

    /** Publishes the queue's state; called with the lock held. */
    private void publish() {
        metrics.queue(queue.size(), admitted);
    }

    /**
     * One admitted request's place: it submits the request's clips, in one part or (a long video's
     * windows) in several one after the other, and closing gives the place back.
     */
    final class Admission implements AutoCloseable {
        private boolean submitted;
        private boolean running;
        private boolean released;

        private Admission() {}

        /**
         * Queues a video's clips and waits for their batch to run.
         *
         * @throws IllegalStateException if this place is given back or still runs a part
         * @throws ServeException {@code CLOSING} if the wait is interrupted
         * @throws RuntimeException the batch's failure
         */
        Result run(PreparedVideo video) {
            Job job = new Job(video, System.nanoTime(), new CompletableFuture<>());
            lock.lock();
            try {
                if (running || released) {
                    throw new IllegalStateException("an admission runs one part at a time");
                }
                if (stopped) {
                    throw stoppedException();
                }
                if (!submitted) {
                    // No longer being read or decoded, as far as batching waits go.
                    arriving--;
                }
                submitted = true;
                running = true;
                queue.add(job);
                peakQueued = Math.max(peakQueued, queue.size());
                publish();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            try {
                return job.result().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServeException(
                        ServeException.Reason.CLOSING, "interrupted while waiting for the model");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                if (e.getCause() instanceof Error cause) {
                    throw cause;
                }
                throw new IllegalStateException(e.getCause());
            } finally {
                lock.lock();
                try {
                    running = false;
                } finally {
                    lock.unlock();
                }
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (released) {
                    return;
                }
                released = true;
                if (!submitted) {
                    arriving--;
                }
                admitted--;
                publish();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
