/** From a video (or extracted frames) and a model's settings to the tensors the model receives. */
package io.tsam.media.pipeline;
