/**
 * Generates a synthetic TSAM data set whose classes only a model of both time and sound can tell
 * apart.
 */
package io.tsam.media.synth;
