package io.tsam.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tsam.trainer.data.Batch;

/** Turns a loaded batch into the network's input arrays and label array. */
final class BatchInputs {
    private BatchInputs() {}

    /** {@code video [B,T,3,H,W]} and, for an audio model, {@code audio [B,3,H,W]}. */
    static NDList of(Batch batch, NDManager manager) {
        NDArray video = manager.create(batch.video(), new Shape(batch.videoShape()));
        if (!batch.hasAudio()) {
            return new NDList(video);
        }
        return new NDList(video, manager.create(batch.audio(), new Shape(batch.audioShape())));
    }

    /** The labels as an int64 array {@code [B]}. */
    static NDArray labels(Batch batch, NDManager manager) {
        long[] labels = new long[batch.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = batch.labels()[i];
        }
        return manager.create(labels);
    }
}
