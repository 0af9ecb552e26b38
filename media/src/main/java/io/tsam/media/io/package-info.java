/** Files the pipeline writes for people and other tools: numpy tensors and PNG previews. */
package io.tsam.media.io;
