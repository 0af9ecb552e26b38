package io.tsam.trainer.data;

import io.tsam.media.pipeline.MediaConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batches of one epoch of a {@link ClipDataset}, decoded ahead of the consumer by worker
 * threads so that loading overlaps the compute.
 *
 * <p>Workers claim batches in order and build each one whole; at most {@code prefetch} batches are
 * claimed but not yet taken, which bounds memory. Batches come out in order, and their content
 * depends only on the dataset, the epoch and the batch size, never on the number of workers or
 * their timing. The first item that fails to load ends the epoch: the workers stop and the next
 * call to {@link Iterator#next()} throws the {@link ClipLoadException} (or, for anything else, an
 * {@link IllegalStateException} whose cause is the worker's error).
 *
 * <p>Workers start in {@link Builder#build()}. The caller owns the loader and closes it; {@link
 * #close()} stops the workers after the clip each one is decoding, even mid-epoch, and a second
 * close does nothing. The batches can be iterated once, from one thread.
 */
public final class BatchLoader implements AutoCloseable, Iterable<Batch> {
    private static final Logger logger = LoggerFactory.getLogger(BatchLoader.class);
    private static final long CLOSE_WARNING_SECONDS = 10;

    private final ClipDataset dataset;
    private final int batchSize;
    private final int epoch;
    private final int[] order;
    private final int batchCount;
    private final Semaphore unclaimed;
    private final AtomicInteger nextToBuild = new AtomicInteger();
    private final Object lock = new Object();
    private final Map<Integer, Batch> ready = new HashMap<>();
    private final ExecutorService workers;
    private Throwable failure;
    private volatile boolean stopping;
    private volatile boolean closed;
    private boolean iterated;
    private int nextToTake;

    private BatchLoader(Builder builder, int workerCount, int prefetch) {
        this.dataset = builder.dataset;
        this.batchSize = builder.batchSize;
        this.epoch = builder.epoch;
        this.order = dataset.order(epoch);
        this.batchCount = dataset.batchCount(batchSize);
        this.unclaimed = new Semaphore(prefetch);
        this.workers = Executors.newFixedThreadPool(workerCount, threadFactory(epoch));
        for (int i = 0; i < workerCount; i++) {
            workers.execute(this::work);
        }
    }

    /** A builder; {@code setDataset}, {@code setBatchSize} and {@code setEpoch} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of batches this epoch yields, see {@link ClipDataset#batchCount(int)}. */
    public int batchCount() {
        return batchCount;
    }

    /** The epoch whose order and augmentation the batches follow. */
    public int epoch() {
        return epoch;
    }

    /** The dataset the batches come from. */
    public ClipDataset dataset() {
        return dataset;
    }

    /**
     * The batches, in order.
     *
     * @throws IllegalStateException when called a second time or after {@link #close()}
     */
    @Override
    public Iterator<Batch> iterator() {
        checkOpen();
        if (iterated) {
            throw new IllegalStateException(
                    "the batches of epoch " + epoch + " were already iterated; build a new loader");
        }
        iterated = true;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                checkOpen();
                return nextToTake < batchCount;
            }

            @Override
            public Batch next() {
                return take();
            }
        };
    }

    private Batch take() {
        checkOpen();
        if (nextToTake >= batchCount) {
            throw new NoSuchElementException(
                    "epoch " + epoch + " has only " + batchCount + " batches");
        }
        Batch batch;
        try {
            batch = awaitBatch(nextToTake);
        } catch (InterruptedException e) {
            // The workers may already be stopping: no later call could get a batch either.
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while waiting for batch " + nextToTake + " of epoch " + epoch, e);
        }
        nextToTake++;
        unclaimed.release();
        return batch;
    }

    private Batch awaitBatch(int index) throws InterruptedException {
        synchronized (lock) {
            while (failure == null && !closed && !ready.containsKey(index)) {
                lock.wait();
            }
            checkOpen();
            if (failure != null) {
                throw failure instanceof ClipLoadException load
                        ? load.rethrownHere()
                        : new IllegalStateException(
                                "a data-loading worker failed: " + failure, failure);
            }
            return ready.remove(index);
        }
    }

    private void work() {
        try (ClipReader reader = dataset.newReader()) {
            while (!stopping) {
                unclaimed.acquire();
                int index = nextToBuild.getAndIncrement();
                if (index >= batchCount) {
                    // Lets the other workers see the end too.
                    unclaimed.release();
                    return;
                }
                Batch batch = build(reader, index);
                if (batch == null) {
                    return;
                }
                synchronized (lock) {
                    ready.put(index, batch);
                    lock.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            // close() or another worker's failure stopped the epoch.
        } catch (Throwable t) {
            // Any Throwable: a worker that died silently would leave the consumer waiting forever.
            synchronized (lock) {
                if (failure == null && !stopping) {
                    failure = t;
                }
                lock.notifyAll();
            }
            stopWorkers();
        }
    }

    /** Builds batch {@code index}, or returns null when the loader is stopping. */
    private Batch build(ClipReader reader, int index) {
        int start = index * batchSize;
        int count = Math.min(batchSize, order.length - start);
        MediaConfig media = dataset.media();
        int videoLength = media.videoLength();
        int audioLength = media.audio() ? media.imageLength() : 0;
        float[] video = new float[count * videoLength];
        float[] audio = new float[count * audioLength];
        int[] labels = new int[count];
        List<String> ids = new ArrayList<>(count);
        int[] clips = new int[count];
        int[] items = new int[count];
        boolean[] audioMissing = new boolean[count];
        for (int i = 0; i < count; i++) {
            if (stopping) {
                return null;
            }
            ClipItem item = reader.read(order[start + i], epoch);
            System.arraycopy(item.tensors().video(), 0, video, i * videoLength, videoLength);
            if (audioLength > 0) {
                System.arraycopy(item.tensors().audio(), 0, audio, i * audioLength, audioLength);
            }
            labels[i] = item.label();
            ids.add(item.videoId());
            clips[i] = item.clip();
            items[i] = item.item();
            audioMissing[i] = item.tensors().audioMissing();
        }
        return new Batch(
                index,
                media.videoSegments(),
                media.cropSize(),
                video,
                audio,
                labels,
                ids,
                clips,
                items,
                audioMissing);
    }

    private void stopWorkers() {
        stopping = true;
        // Interrupts workers waiting for a free slot; one decoding a clip stops after it.
        workers.shutdownNow();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the batch loader of epoch " + epoch + " is closed");
        }
    }

    /** Stops the workers and waits until each has finished the clip it was decoding. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopWorkers();
        synchronized (lock) {
            ready.clear();
            lock.notifyAll();
        }
        try {
            while (!workers.awaitTermination(CLOSE_WARNING_SECONDS, TimeUnit.SECONDS)) {
                logger.warn(
                        "still waiting for the data-loading workers of epoch {} to stop", epoch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threadFactory(int epoch) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread =
                    new Thread(runnable, "tsam-data-e" + epoch + "-" + count.getAndIncrement());
            // A worker stuck in a decoder must not keep the JVM alive after the trainer exits.
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Configures a {@link BatchLoader}. */
    public static final class Builder {
        private ClipDataset dataset;
        private int batchSize;
        private int epoch = -1;
        private int workers = 1;
        private Integer prefetch;

        private Builder() {}

        /** The dataset to batch (required). */
        public Builder setDataset(ClipDataset dataset) {
            this.dataset = dataset;
            return this;
        }

        /** Clips per batch, >= 1 (required); {@code training_param.batch_size}. */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** The epoch, >= 0 (required): it seeds the training order and augmentation. */
        public Builder setEpoch(int epoch) {
            this.epoch = epoch;
            return this;
        }

        /**
         * Decoding threads, >= 1 (default 1). The trainer passes {@code max(1,
         * training_param.num_workers)}: decoding always runs off the training thread.
         */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Batches decoded ahead of the consumer, >= 1 (default twice the workers). */
        public Builder optPrefetch(int batches) {
            this.prefetch = batches;
            return this;
        }

        /**
         * Checks the settings and starts the workers.
         *
         * @throws IllegalArgumentException for a missing or out-of-range setting, or a training
         *     list with fewer videos than one batch (it would have no batch at all)
         */
        public BatchLoader build() {
            Objects.requireNonNull(dataset, "setDataset is required");
            if (batchSize < 1) {
                throw new IllegalArgumentException(
                        "batch size must be >= 1 (setBatchSize is required), got " + batchSize);
            }
            if (epoch < 0) {
                throw new IllegalArgumentException(
                        "epoch must be >= 0 (setEpoch is required), got " + epoch);
            }
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be >= 1, got " + workers);
            }
            if (prefetch != null && prefetch < 1) {
                throw new IllegalArgumentException("prefetch must be >= 1, got " + prefetch);
            }
            if (dataset.batchCount(batchSize) == 0) {
                throw new IllegalArgumentException(
                        "the training list has "
                                + dataset.size()
                                + " videos, fewer than batch_size "
                                + batchSize
                                + ": an epoch would have no full batch; lower batch_size");
            }
            return new BatchLoader(this, workers, prefetch == null ? 2 * workers : prefetch);
        }
    }
}
