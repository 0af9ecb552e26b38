/** The temporal shift of TSM/TSAM, expressed as one index gather over a zero-padded time axis. */
package io.tsam.model.shift;
