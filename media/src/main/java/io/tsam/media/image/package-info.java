/** Pictures and the spatial transforms of SPEC §2: resize, crop, flip, normalise. */
package io.tsam.media.image;
