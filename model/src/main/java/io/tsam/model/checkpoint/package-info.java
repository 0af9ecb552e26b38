/**
 * Reading PyTorch and safetensors weights, mapping them into the TSM layout, and native
 * checkpoints.
 */
package io.tsam.model.checkpoint;
