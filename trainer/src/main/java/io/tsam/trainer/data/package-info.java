/** Training and validation clips of a list file, decoded ahead of the model by worker threads. */
package io.tsam.trainer.data;
