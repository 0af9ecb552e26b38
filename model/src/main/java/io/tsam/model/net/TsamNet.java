package io.tsam.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tsam.config.ModelConfig;
import io.tsam.config.ShiftConfig;
import java.util.Arrays;
import java.util.Objects;

/**
 * The TSAM network of SPEC section 1: one shared ResNet backbone over the {@code S = T + A} images
 * of each sample, then dropout, the mean over {@code S} and the classifier.
 *
 * <p>Inputs: {@code video [N, T, 3, H, W]} and, when {@code model.audio_segments = 1}, {@code audio
 * [N, 3, H, W]}. The images are concatenated to {@code [N, T + A, 3, H, W]}, flattened to {@code [N
 * * (T + A), 3, H, W]} for one backbone pass, and the features {@code [N, S, F]} are averaged over
 * {@code S}. Output: {@code logits [N, classes]}. Children are TSM's {@code base_model} and {@code
 * new_fc}; {@link PyTorchNames} maps the parameters to checkpoint names.
 *
 * <p>Lifecycle as any DJL block: build, {@link #initialize} with {@link #inputShapes}, then
 * forward; the parameter initialisers are set at construction ({@link TorchLayers}).
 */
public final class TsamNet extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final int RGB = 3;

    private final ModelConfig model;
    private final ShiftConfig shift;
    private final int classes;
    private final ResNetBackbone backbone;
    private final Linear head;

    private TsamNet(ModelConfig model, ShiftConfig shift, int classes) {
        super(VERSION);
        this.model = model;
        this.shift = shift;
        this.classes = classes;
        backbone = addChildBlock("base_model", new ResNetBackbone(model, shift));
        head = addChildBlock("new_fc", TorchLayers.head(classes));
    }

    /** Returns a builder; model, shift and classes are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The model config the net was built from. */
    public ModelConfig model() {
        return model;
    }

    /** The shift config the net was built from. */
    public ShiftConfig shift() {
        return shift;
    }

    /** The number of classes, the head's outputs. */
    public int classes() {
        return classes;
    }

    /** The shared backbone, {@code base_model}. */
    public ResNetBackbone backbone() {
        return backbone;
    }

    /** The classifier {@code new_fc}: weight {@code [classes, F]}, bias {@code [classes]}. */
    public Linear head() {
        return head;
    }

    /**
     * Returns the input shapes for a batch, to pass to {@link #initialize}.
     *
     * @param batch the batch size {@code N}
     * @param height the image height
     * @param width the image width
     * @return {@code video [N, T, 3, H, W]}, then {@code audio [N, 3, H, W]} if the model has audio
     */
    public Shape[] inputShapes(long batch, long height, long width) {
        Shape video = new Shape(batch, model.videoSegments(), RGB, height, width);
        return model.hasAudio()
                ? new Shape[] {video, new Shape(batch, RGB, height, width)}
                : new Shape[] {video};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        checkInputs(inputs.getShapes());
        NDArray video = inputs.get(0);
        NDArray images = model.hasAudio() ? video.concat(inputs.get(1).expandDims(1), 1) : video;
        Shape shape = images.getShape();
        long batch = shape.get(0);
        long segments = shape.get(1);
        NDArray flat = images.reshape(batch * segments, RGB, shape.get(3), shape.get(4));
        NDArray features =
                backbone.forward(parameterStore, new NDList(flat), training, params)
                        .singletonOrThrow()
                        .reshape(batch, segments, backbone.featureDim());
        NDArray dropped =
                Dropout.dropout(features, (float) model.dropout(), training).singletonOrThrow();
        NDArray pooled = dropped.mean(new int[] {1});
        return head.forward(parameterStore, new NDList(pooled), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkInputs(inputShapes);
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        checkInputs(inputShapes);
        Shape video = inputShapes[0];
        long batch = video.get(0);
        backbone.initialize(
                manager,
                dataType,
                new Shape(batch * model.segments(), RGB, video.get(3), video.get(4)));
        head.initialize(manager, dataType, new Shape(batch, backbone.featureDim()));
    }

    private void checkInputs(Shape[] shapes) {
        Shape[] expected = inputShapes(-1, -1, -1);
        boolean ok = shapes.length == expected.length;
        for (int i = 0; ok && i < shapes.length; i++) {
            ok = fits(shapes[i], expected[i], shapes[0]);
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    "a TSAM net with model.video_segments="
                            + model.videoSegments()
                            + " and model.audio_segments="
                            + model.audioSegments()
                            + " takes "
                            + (model.hasAudio()
                                    ? "video [N, T, 3, H, W] and audio [N, 3, H, W]"
                                    : "video [N, T, 3, H, W]")
                            + " with T="
                            + model.videoSegments()
                            + ", got "
                            + Arrays.toString(shapes));
        }
    }

    /** Whether {@code shape} matches {@code pattern} (-1 = any) and the video's N, H and W. */
    private static boolean fits(Shape shape, Shape pattern, Shape video) {
        int dims = shape.dimension();
        if (dims != pattern.dimension() || video.dimension() != 5) {
            return false;
        }
        for (int d = 0; d < dims; d++) {
            if (pattern.get(d) >= 0 && shape.get(d) != pattern.get(d)) {
                return false;
            }
        }
        return shape.get(0) == video.get(0)
                && shape.get(dims - 2) == video.get(3)
                && shape.get(dims - 1) == video.get(4);
    }

    /** Builds a {@link TsamNet}: {@code setModel}, {@code setShift}, {@code setClasses}. */
    public static final class Builder {

        private ModelConfig model;
        private ShiftConfig shift;
        private int classes;

        private Builder() {}

        /** Sets the {@code model} section: segments, {@code arch}, dropout. */
        public Builder setModel(ModelConfig model) {
            this.model = model;
            return this;
        }

        /** Sets the {@code shift_temporal} section. */
        public Builder setShift(ShiftConfig shift) {
            this.shift = shift;
            return this;
        }

        /** Sets the number of classes, at least 1. */
        public Builder setClasses(int classes) {
            this.classes = classes;
            return this;
        }

        /**
         * Builds the net; parameters are not yet initialised.
         *
         * @return the net
         * @throws IllegalArgumentException if {@code classes < 1} or {@code model.arch} names no
         *     supported depth
         * @throws NullPointerException if the model or shift config is missing
         */
        public TsamNet build() {
            Objects.requireNonNull(model, "TsamNet needs setModel(ModelConfig)");
            Objects.requireNonNull(shift, "TsamNet needs setShift(ShiftConfig)");
            if (classes < 1) {
                throw new IllegalArgumentException(
                        "the number of classes must be >= 1, got "
                                + classes
                                + "; call setClasses with the label count");
            }
            return new TsamNet(model, shift, classes);
        }
    }
}
