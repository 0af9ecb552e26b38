/** Writing the files users care about so that a crash never leaves half of one. */
package io.tsam.common.io;
