package io.tsam.exporter.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.tsam.config.LabelNames;
import io.tsam.config.ModelConfig;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.onnx.lowering.LoweringContext;
import io.tsam.exporter.onnx.lowering.LoweringRegistry;
import io.tsam.model.net.TsamNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Lowers a {@link TsamNet} with its loaded weights to the ONNX model of SPEC §5: the inputs and
 * output of {@link TsamOnnxFormat}, one set of backbone initialisers shared by all {@code N * (T +
 * A)} images, BatchNorm folded into the convs, the shift as constant-index gathers, and the
 * metadata a runtime needs.
 *
 * <p>The graph comes from walking the net's own blocks through a {@link LoweringRegistry}; nothing
 * here describes the network. {@code H = W = data_augmentation.crop_size}; {@code N} is symbolic.
 */
public final class TsamOnnxExporter {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final long RGB = 3;

    private final TsamNet net;
    private final TsamConfig config;
    private final LabelNames labels;
    private final String checkpointSha256;
    private final LoweringRegistry registry;

    private TsamOnnxExporter(
            TsamNet net,
            TsamConfig config,
            LabelNames labels,
            String checkpointSha256,
            LoweringRegistry registry) {
        this.net = net;
        this.config = config;
        this.labels = labels;
        this.checkpointSha256 = checkpointSha256;
        this.registry = registry;
    }

    /** Returns a builder; the net, its config and the checkpoint's SHA-256 are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds the model. The net's parameters are only read.
     *
     * @return the model, checked with {@link OnnxModelCheck}
     * @throws IllegalArgumentException naming the block's path if a block cannot be exported
     */
    public ModelProto export() {
        ModelConfig model = config.model();
        long crop = config.dataAugmentation().cropSize();
        Dim batch = Dim.named(TsamOnnxFormat.BATCH);
        OnnxGraph graph = new OnnxGraph("tsam_" + model.baseArch());
        List<OnnxRef> inputs = new ArrayList<>();
        inputs.add(
                graph.input(
                        TsamOnnxFormat.VIDEO,
                        List.of(
                                batch,
                                Dim.of(model.videoSegments()),
                                Dim.of(RGB),
                                Dim.of(crop),
                                Dim.of(crop))));
        if (model.hasAudio()) {
            inputs.add(
                    graph.input(
                            TsamOnnxFormat.AUDIO,
                            List.of(batch, Dim.of(RGB), Dim.of(crop), Dim.of(crop))));
        }
        List<OnnxRef> outputs = LoweringContext.root(graph, registry).lower(net, inputs);
        graph.output(outputs.get(0), TsamOnnxFormat.LOGITS, List.of(batch, Dim.of(net.classes())));
        ModelProto proto =
                graph.toModel(
                        TsamOnnxFormat.PRODUCER_NAME,
                        TsamOnnxFormat.PRODUCER_VERSION,
                        TsamOnnxFormat.metadata(config, labels, checkpointSha256));
        OnnxModelCheck.check(proto);
        return proto;
    }

    /** Builds a {@link TsamOnnxExporter}. */
    public static final class Builder {

        private TsamNet net;
        private TsamConfig config;
        private LabelNames labels;
        private String checkpointSha256;
        private LoweringRegistry registry;

        private Builder() {}

        /** Sets the net, initialised and holding the weights to export (required). */
        public Builder setNet(TsamNet net) {
            this.net = net;
            return this;
        }

        /** Sets the model file the net was built from (required). */
        public Builder setConfig(TsamConfig config) {
            this.config = config;
            return this;
        }

        /** Sets the SHA-256 of the checkpoint file the weights came from (required). */
        public Builder setCheckpointSha256(String checkpointSha256) {
            this.checkpointSha256 = checkpointSha256;
            return this;
        }

        /** Sets the class names; {@code "0", "1", ...} by default. */
        public Builder optLabels(LabelNames labels) {
            this.labels = labels;
            return this;
        }

        /** Sets the lowerings; {@link LoweringRegistry#standard()} by default. */
        public Builder optRegistry(LoweringRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * Returns the exporter.
         *
         * @throws NullPointerException if a required value is missing
         * @throws IllegalArgumentException if the net was not built from the config, the labels do
         *     not match the classes, or the SHA-256 is not 64 lower-case hex digits
         */
        public TsamOnnxExporter build() {
            Objects.requireNonNull(net, "TsamOnnxExporter needs setNet");
            Objects.requireNonNull(config, "TsamOnnxExporter needs setConfig");
            Objects.requireNonNull(checkpointSha256, "TsamOnnxExporter needs setCheckpointSha256");
            if (!net.model().equals(config.model())
                    || !net.shift().equals(config.shiftTemporal())) {
                throw new IllegalArgumentException(
                        "the net was built from model "
                                + net.model()
                                + " and shift "
                                + net.shift()
                                + ", but the config says "
                                + config.model()
                                + " and "
                                + config.shiftTemporal());
            }
            LabelNames names = labels == null ? LabelNames.indices(net.classes()) : labels;
            if (names.size() != net.classes()) {
                throw new IllegalArgumentException(
                        "there are "
                                + names.size()
                                + " label names but the head has "
                                + net.classes()
                                + " classes");
            }
            if (!SHA256.matcher(checkpointSha256).matches()) {
                throw new IllegalArgumentException(
                        "the checkpoint SHA-256 must be 64 lower-case hex digits, got '"
                                + checkpointSha256
                                + "'");
            }
            return new TsamOnnxExporter(
                    net,
                    config,
                    names,
                    checkpointSha256,
                    registry == null ? LoweringRegistry.standard() : registry);
        }
    }
}
