/** Classification metrics of score matrices, and the per-video averaging of multi-clip scores. */
package io.tsam.trainer.metrics;
