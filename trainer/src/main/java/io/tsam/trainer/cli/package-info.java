/** The {@code tsam-train} command line. */
package io.tsam.trainer.cli;
