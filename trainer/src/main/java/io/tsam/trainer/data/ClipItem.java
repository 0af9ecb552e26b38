package io.tsam.trainer.data;

import io.tsam.media.pipeline.ClipTensors;

/**
 * One decoded dataset item.
 *
 * @param item the item's index in its {@link ClipDataset}
 * @param videoId the list file's id of the video
 * @param label the video's class index
 * @param clip the test clip index (0 for training items)
 * @param tensors the clip's model inputs, without the batch axis
 */
public record ClipItem(int item, String videoId, int label, int clip, ClipTensors tensors) {}
