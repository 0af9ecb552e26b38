/**
 * From video files to class probabilities with an exported TSAM model: preprocessing as the model's
 * metadata says, batched inference, multi-clip averaging and top-k.
 */
package io.tsam.runtime.predict;
