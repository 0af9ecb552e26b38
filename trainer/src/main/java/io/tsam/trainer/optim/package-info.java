/** Optimizers, learning-rate schedule, gradient clipping and loss with PyTorch semantics. */
package io.tsam.trainer.optim;
