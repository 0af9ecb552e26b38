package io.tsam.runtime.predict;

/**
 * One class of a prediction.
 *
 * @param index the class index (logit position)
 * @param label the class name from the model's metadata
 * @param probability the softmax probability, averaged over the clips
 */
public record LabelScore(int index, String label, double probability) {}
