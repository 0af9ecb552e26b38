import ai.onnx.proto.OnnxMl.ModelProto;

import io.tsam.config.AugmentationConfig;
import io.tsam.config.LabelNames;
import io.tsam.config.ModelConfig;
import io.tsam.config.ResizeMode;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.onnx.Dim;
import io.tsam.exporter.onnx.OnnxAttributes;
import io.tsam.exporter.onnx.OnnxGraph;
import io.tsam.exporter.onnx.OnnxModelCheck;
import io.tsam.exporter.onnx.OnnxOp;
import io.tsam.exporter.onnx.OnnxRef;
import io.tsam.exporter.onnx.TsamOnnxFormat;
import io.tsam.media.synth.SynthClass;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Writes the backend's test models: tiny graphs with the inputs, output and metadata of a real TSAM
 * export (SPEC §5, {@link TsamOnnxFormat}) but a few hundred weights instead of a ResNet, so that
 * the committed files are a few KB.
 *
 * <ul>
 *   <li>{@code tiny_tsam.onnx}: resnet18 config, T=3, A=1, scale 36, crop 32, square resize; logits
 *       = Gemm(concat(per-frame RGB means [N,9], per-mel-row audio means [N,96])).
 *   <li>{@code tiny_video_only.onnx}: T=4, A=0, scale 32, crop 32, short-side resize; logits =
 *       Gemm(per-frame RGB means [N,12]).
 * </ul>
 *
 * Both have the 8 synthetic classes' names as labels. Run from the repository root with the
 * exporter's class path (see backend/src/test/fixtures-src/README.md):
 *
 * <pre>java -cp "$CP" backend/src/test/fixtures-src/TinyTsamModels.java OUT_DIR</pre>
 */
public final class TinyTsamModels {
    private static final int CLASSES = 8;
    private static final long SEED = 20240611L;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        write(out.resolve("tiny_tsam.onnx"), config(3, 1, 36, 32, ResizeMode.SQUARE));
        write(out.resolve("tiny_video_only.onnx"), config(4, 0, 32, 32, ResizeMode.SHORT_SIDE));
    }

    private static TsamConfig config(int t, int a, int scale, int crop, ResizeMode mode) {
        return TsamConfig.defaults()
                .withModel(new ModelConfig(t, a, "resnet18", 0.5, Optional.empty()))
                .withDataAugmentation(AugmentationConfig.imagenet(scale, crop, mode, true));
    }

    private static void write(Path file, TsamConfig config) throws Exception {
        ModelConfig model = config.model();
        long crop = config.dataAugmentation().cropSize();
        Dim batch = Dim.named(TsamOnnxFormat.BATCH);
        OnnxGraph graph = new OnnxGraph("tiny_tsam");
        OnnxRef video =
                graph.input(
                        TsamOnnxFormat.VIDEO,
                        List.of(
                                batch,
                                Dim.of(model.videoSegments()),
                                Dim.of(3),
                                Dim.of(crop),
                                Dim.of(crop)));
        List<OnnxRef> features = new ArrayList<>();
        OnnxRef frameMeans =
                graph.node(
                        "frame_means",
                        OnnxOp.REDUCE_MEAN,
                        List.of(video),
                        List.of(
                                OnnxAttributes.ints("axes", 3, 4),
                                OnnxAttributes.integer("keepdims", 0)));
        features.add(flatten(graph, "video_features", frameMeans));
        int width = 3 * model.videoSegments();
        if (model.hasAudio()) {
            OnnxRef audio =
                    graph.input(
                            TsamOnnxFormat.AUDIO,
                            List.of(batch, Dim.of(3), Dim.of(crop), Dim.of(crop)));
            OnnxRef rowMeans =
                    graph.node(
                            "mel_row_means",
                            OnnxOp.REDUCE_MEAN,
                            List.of(audio),
                            List.of(
                                    OnnxAttributes.ints("axes", 3),
                                    OnnxAttributes.integer("keepdims", 0)));
            features.add(flatten(graph, "audio_features", rowMeans));
            width += 3 * (int) crop;
        }
        OnnxRef joined =
                features.size() == 1
                        ? features.get(0)
                        : graph.node(
                                "features",
                                OnnxOp.CONCAT,
                                features,
                                List.of(OnnxAttributes.integer("axis", 1)));
        SplittableRandom random = new SplittableRandom(SEED + width);
        float[] weight = new float[CLASSES * width];
        float scale = (float) (3 / Math.sqrt(width));
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (random.nextDouble(-1, 1) * scale);
        }
        float[] bias = new float[CLASSES];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) random.nextDouble(-0.5, 0.5);
        }
        OnnxRef logits =
                graph.node(
                        "head",
                        OnnxOp.GEMM,
                        List.of(
                                joined,
                                graph.floatTensor("head.weight", weight, CLASSES, width),
                                graph.floatTensor("head.bias", bias, CLASSES)),
                        List.of(OnnxAttributes.integer("transB", 1)));
        graph.output(logits, TsamOnnxFormat.LOGITS, List.of(batch, Dim.of(CLASSES)));
        LabelNames labels =
                new LabelNames(Arrays.stream(SynthClass.values()).map(SynthClass::id).toList());
        String sha =
                HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256")
                                        .digest(
                                                file.getFileName()
                                                        .toString()
                                                        .getBytes(StandardCharsets.UTF_8)));
        ModelProto proto =
                graph.toModel(
                        "tiny-tsam-fixture",
                        TsamOnnxFormat.PRODUCER_VERSION,
                        TsamOnnxFormat.metadata(config, labels, sha));
        OnnxModelCheck.check(proto);
        Files.write(file, proto.toByteArray());
        System.out.println("wrote " + file + " (" + Files.size(file) + " bytes)");
    }

    private static OnnxRef flatten(OnnxGraph graph, String name, OnnxRef input) {
        return graph.node(
                name, OnnxOp.FLATTEN, List.of(input), List.of(OnnxAttributes.integer("axis", 1)));
    }
}
