/**
 * The decode, sampling and feature pipeline shared by training and serving: what a TSAM model sees
 * is computed here and nowhere else (SPEC §2).
 */
package io.tsam.media;
