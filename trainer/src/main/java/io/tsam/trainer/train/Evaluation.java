package io.tsam.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.tsam.config.ClipAverage;
import io.tsam.model.net.TsamNet;
import io.tsam.trainer.data.Batch;
import io.tsam.trainer.data.BatchLoader;
import io.tsam.trainer.data.ClipDataset;
import io.tsam.trainer.metrics.ClassificationMetrics;
import io.tsam.trainer.metrics.VideoScores;
import io.tsam.trainer.optim.LabelSmoothingCrossEntropy;

/**
 * The scores of a net on a validation set: every clip of every video in inference mode (no dropout,
 * BatchNorm running statistics), clip probabilities averaged per video as TSM's multi-clip test
 * does.
 *
 * @param scores per-video averaged probabilities
 * @param metrics top-1, top-5, mean-class accuracy and confusion of the per-video scores, with the
 *     mean per-clip cross-entropy as loss
 */
public record Evaluation(VideoScores scores, ClassificationMetrics metrics) {
    private static final LabelSmoothingCrossEntropy CROSS_ENTROPY =
            new LabelSmoothingCrossEntropy(0);

    /**
     * Scores {@code net} on {@code dataset} (a validation dataset).
     *
     * @param manager where the per-batch arrays live (each batch in its own sub-manager)
     * @param average how a video's clips combine ({@code model_validation.average})
     * @param task the name the listener shows for this pass
     */
    public static Evaluation run(
            TsamNet net,
            ParameterStore parameters,
            NDManager manager,
            ClipDataset dataset,
            int batchSize,
            int workers,
            ClipAverage average,
            TrainingListener listener,
            String task) {
        VideoScores scores = new VideoScores(net.classes(), average);
        double lossSum = 0;
        int clips = 0;
        listener.passStarted(task, dataset.size());
        try (BatchLoader loader =
                BatchLoader.builder()
                        .setDataset(dataset)
                        .setBatchSize(batchSize)
                        .setEpoch(0)
                        .optWorkers(workers)
                        .build()) {
            for (Batch batch : loader) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray logits =
                            net.forward(parameters, BatchInputs.of(batch, scope), false)
                                    .singletonOrThrow();
                    double loss =
                            CROSS_ENTROPY.loss(logits, BatchInputs.labels(batch, scope)).getFloat();
                    scores.add(batch.videoIds(), batch.labels(), logits.toFloatArray());
                    lossSum += loss * batch.size();
                    clips += batch.size();
                    listener.batchDone(batch.size(), loss);
                }
            }
        } finally {
            listener.passFinished();
        }
        return new Evaluation(scores, scores.metrics().withMeanLoss(lossSum / clips));
    }
}
