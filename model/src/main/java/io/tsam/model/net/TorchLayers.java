package io.tsam.model.net;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.Initializer;

/**
 * Every layer of the network that holds parameters, configured and initialised as torchvision's
 * ResNet and TSM's head are: the one place for the init policy and the BatchNorm constants.
 *
 * <p>Init policy: conv weights are Kaiming normal with {@code mode="fan_out"} and the ReLU gain (He
 * et al., "Delving Deep into Rectifiers", ICCV 2015), BatchNorm weight 1, bias 0, running mean 0,
 * running variance 1 (torchvision {@code ResNet.__init__}); the classifier weight is normal with
 * standard deviation 0.001 and bias 0 (TSM {@code TSN._prepare_base_model}). The random draws come
 * from the engine's generator, so {@code Engine.getInstance().setRandomSeed(seed)} makes them
 * repeatable.
 */
public final class TorchLayers {

    /** BatchNorm's epsilon, torch's default. */
    public static final float BN_EPSILON = 1e-5f;

    /**
     * BatchNorm's running-average momentum in torch's convention: {@code running = (1 - m) *
     * running + m * batch}, with the unbiased batch variance.
     */
    public static final float BN_MOMENTUM = 0.1f;

    /** The classifier weight's standard deviation (TSM). */
    static final float HEAD_WEIGHT_STD = 0.001f;

    /**
     * Kaiming normal, fan-out mode, ReLU gain: {@code std = sqrt(2 / (out * kh * kw))} for a {@code
     * [out, in, kh, kw]} weight.
     */
    private static final Initializer KAIMING_FAN_OUT =
            (manager, shape, dataType) -> {
                long fanOut = shape.size() / shape.get(1);
                float std = (float) Math.sqrt(2.0 / fanOut);
                return manager.randomNormal(0f, std, shape, dataType);
            };

    private static final Initializer HEAD_WEIGHT =
            (manager, shape, dataType) ->
                    manager.randomNormal(0f, HEAD_WEIGHT_STD, shape, dataType);

    private TorchLayers() {}

    /**
     * Returns a square convolution without bias.
     *
     * @param filters the output channels
     * @param kernel the kernel size
     * @param stride the stride
     * @param padding the zero padding on each side
     * @return the conv, weight {@code [filters, in, kernel, kernel]}, not yet initialised
     */
    public static Conv2d conv(int filters, int kernel, int stride, int padding) {
        Conv2d conv =
                Conv2d.builder()
                        .setFilters(filters)
                        .setKernelShape(new Shape(kernel, kernel))
                        .optStride(new Shape(stride, stride))
                        .optPadding(new Shape(padding, padding))
                        .optBias(false)
                        .build();
        conv.setInitializer(KAIMING_FAN_OUT, Parameter.Type.WEIGHT);
        return conv;
    }

    /** Returns a 3x3 convolution with padding 1, torchvision's {@code conv3x3}. */
    static Conv2d conv3x3(int filters, int stride) {
        return conv(filters, 3, stride, 1);
    }

    /** Returns a 1x1 convolution, torchvision's {@code conv1x1}. */
    static Conv2d conv1x1(int filters, int stride) {
        return conv(filters, 1, stride, 0);
    }

    /**
     * Returns a BatchNorm over axis 1 with torch's epsilon and momentum.
     *
     * @return the BatchNorm, not yet initialised
     */
    public static BatchNorm batchNorm() {
        BatchNorm bn =
                BatchNorm.builder()
                        .optEpsilon(BN_EPSILON)
                        // DJL weighs the old running value by its momentum, torch the new batch.
                        .optMomentum(1f - BN_MOMENTUM)
                        .build();
        bn.setInitializer(Initializer.ONES, Parameter.Type.GAMMA);
        bn.setInitializer(Initializer.ZEROS, Parameter.Type.BETA);
        bn.setInitializer(Initializer.ZEROS, Parameter.Type.RUNNING_MEAN);
        bn.setInitializer(Initializer.ONES, Parameter.Type.RUNNING_VAR);
        return bn;
    }

    /**
     * Returns the classifier {@code new_fc}.
     *
     * @param classes the number of classes
     * @return the linear layer, weight {@code [classes, F]} and bias {@code [classes]}, not yet
     *     initialised
     */
    public static Linear head(int classes) {
        Linear head = Linear.builder().setUnits(classes).optBias(true).build();
        head.setInitializer(HEAD_WEIGHT, Parameter.Type.WEIGHT);
        head.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return head;
    }
}
