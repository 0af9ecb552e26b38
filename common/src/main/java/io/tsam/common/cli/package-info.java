/**
 * The error policy, exit statuses, {@code --verbose} and progress bars every {@code tsam-*} command
 * shares.
 */
package io.tsam.common.cli;
