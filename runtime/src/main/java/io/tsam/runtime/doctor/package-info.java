/**
 * {@code tsam-run doctor}: what this machine can run (CPU features, providers, GPUs and NVIDIA
 * software) and, with a model, whether each provider computes what the CPU computes.
 */
package io.tsam.runtime.doctor;
