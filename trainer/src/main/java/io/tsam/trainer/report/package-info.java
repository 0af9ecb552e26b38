/** What a training run leaves for people: the per-epoch metrics log, charts and score files. */
package io.tsam.trainer.report;
