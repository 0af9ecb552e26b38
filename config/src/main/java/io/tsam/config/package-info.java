/**
 * Typed, validated access to TSAM's JSON configuration files, video list files and label-name
 * files.
 */
package io.tsam.config;
