/**
 * The {@code tsam-data} command line, and the error policy and progress bars every {@code tsam-*}
 * command shares.
 */
package io.tsam.media.cli;
