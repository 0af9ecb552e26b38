/** Loads the checkpoint to export into a TSAM net, with its config, labels and SHA-256. */
package io.tsam.exporter.source;
