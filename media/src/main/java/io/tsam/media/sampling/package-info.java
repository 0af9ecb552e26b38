/** Which frames of a video a TSN-style model sees (SPEC §2, "Frame sampling"). */
package io.tsam.media.sampling;
