/** Random access to the decoded frames of a video file or of a folder of extracted JPEG frames. */
package io.tsam.media.video;
