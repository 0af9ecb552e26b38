package io.tsam.trainer.metrics;

/**
 * The averaged class probabilities of one video.
 *
 * @param id the list file's id of the video
 * @param label the true class index
 * @param clips the number of clips averaged
 * @param probabilities {@code [classes]} mean of the clips' softmax probabilities; not copied
 */
public record VideoScore(String id, int label, int clips, float[] probabilities) {

    /** The predicted class: the highest probability, lowest index on ties. */
    public int predicted() {
        return ClassificationMetrics.argmax(probabilities, 0, probabilities.length);
    }
}
