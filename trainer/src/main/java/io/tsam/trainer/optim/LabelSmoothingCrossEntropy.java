package io.tsam.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Cross-entropy with label smoothing, as {@code torch.nn.CrossEntropyLoss(label_smoothing=eps)}
 * with mean reduction.
 *
 * <p>With {@code logp = log_softmax(logits)} over {@code K} classes, sample {@code i} contributes
 * {@code (1 - eps) * -logp[i, y_i] + eps / K * -sum_k logp[i, k]}; the loss is the batch mean. It
 * is differentiable: compute it inside a {@code GradientCollector}.
 *
 * @param smoothing {@code training_param.label_smoothing}, in [0, 1]
 */
public record LabelSmoothingCrossEntropy(double smoothing) {

    public LabelSmoothingCrossEntropy {
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new IllegalArgumentException(
                    "label smoothing must be in [0, 1], got " + smoothing);
        }
    }

    /**
     * Computes the loss.
     *
     * @param logits {@code [N, K]} floating-point scores
     * @param labels {@code [N]} integer classes in {@code [0, K)}
     * @return the scalar mean loss, attached to the logits' manager
     */
    public NDArray loss(NDArray logits, NDArray labels) {
        Shape shape = logits.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("logits must be [N, K], got " + shape);
        }
        if (!labels.getShape().equals(new Shape(shape.get(0)))) {
            throw new IllegalArgumentException(
                    "labels must be ["
                            + shape.get(0)
                            + "] for logits "
                            + shape
                            + ", got "
                            + labels.getShape());
        }
        if (!labels.getDataType().isInteger()) {
            throw new IllegalArgumentException(
                    "labels must be integers, got " + labels.getDataType());
        }
        long classes = shape.get(1);
        try (NDManager scope = NDManager.subManagerOf(logits)) {
            scope.tempAttachAll(logits, labels);
            NDArray logProbs = logits.logSoftmax(1);
            NDArray index = labels.toType(DataType.INT64, false).reshape(-1, 1);
            NDArray nll = logProbs.gather(index, 1).mean().neg();
            NDArray loss = nll;
            if (smoothing > 0) {
                NDArray uniform = logProbs.sum(new int[] {1}).mean().neg();
                // float factors: a double would promote the 0-dim float32 loss to float64.
                float target = (float) (1 - smoothing);
                float spread = (float) (smoothing / classes);
                loss = nll.mul(target).add(uniform.mul(spread));
            }
            return scope.ret(loss);
        }
    }
}
