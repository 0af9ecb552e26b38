/**
 * The TSAM network (SPEC section 1) as DJL blocks: a torchvision ResNet v1.5 backbone with TSM's
 * residual shift, a shared pass over video and audio images, and the averaging head.
 */
package io.tsam.model.net;
