/** {@code tsam-run}: predict, preprocess and benchmark with an exported TSAM model. */
package io.tsam.runtime.cli;
