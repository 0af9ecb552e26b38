/** The training loop: epochs, validation, checkpoints and resume, as one {@code TrainingRun}. */
package io.tsam.trainer.train;
