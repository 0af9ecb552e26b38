package io.tsam.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Reads the model files of TSAM's own code as they are and maps them onto {@link TsamConfig} (SPEC
 * §3): the layout of its published configs ({@code data_augmentation.video_image_param}, {@code
 * video_augmentation}, {@code audio_image_param}, {@code audio_augmentation}, {@code model}, {@code
 * shift_temporal}, {@code training_param}, {@code optimizer_param} with {@code lr_decay} as
 * (factor, epoch) pairs) and the later one that nests the model under {@code "TSM": {"main": {...},
 * "video_segments", ...}}.
 *
 * <p>Such a file means TSAM's computation: shift style {@code tsam}, input profile {@code tsam},
 * clips averaged by logits, and, as TSAM's code does, no gradient clipping ({@code gd} is never
 * read there). A setting this toolchain does not compute ({@code motion: true}, {@code
 * shift_temporal_modality.status: true}, {@code last_pool > 1}, more than one audio sub-segment,
 * ...) is an error naming the key; keys that change nothing ({@code help}, {@code save_epoch},
 * {@code pretrain}, {@code input_mode}, {@code num_class}) are accepted.
 */
final class TsamCodeLayout {
    private static final String NESTED = "TSM";
    private static final List<String> OWN_SECTIONS =
            List.of(
                    "video_image_param",
                    "video_augmentation",
                    "audio_image_param",
                    "audio_augmentation");

    private TsamCodeLayout() {}

    /** Whether a model file's top level is in one of TSAM's layouts rather than this project's. */
    static boolean recognises(JsonSection root) {
        if (root.has(NESTED)) {
            return true;
        }
        JsonSection augmentation = root.peek(AugmentationConfig.SECTION);
        JsonSection model = root.peek(ModelConfig.SECTION);
        JsonSection optimizer = root.peek(OptimizerConfig.SECTION);
        return (augmentation != null && OWN_SECTIONS.stream().anyMatch(augmentation::has))
                || (model != null && model.has("pretrain"))
                || (optimizer != null && optimizer.has("gd"));
    }

    /** Maps a file {@link #recognises} recognises; unknown keys are errors as elsewhere. */
    static TsamConfig read(JsonSection root) {
        root.string("help", "");
        root.integers("save_epoch", List.of());
        JsonSection model;
        JsonSection shift;
        int videoSegments;
        int audioSegments;
        if (root.has(NESTED)) {
            JsonSection nested = root.section(NESTED);
            videoSegments = nested.integer("video_segments", 8);
            audioSegments = nested.integer("audio_segments", 1);
            refuseTrue(nested, "motion", "TSAM's motion segments are not implemented");
            nested.integer("num_class", 0);
            JsonSection disabled = nested.section("shift_temporal_modality");
            refuseTrue(disabled, "status", "the shift across modalities is not implemented");
            disabled.ignoreRest();
            JsonSection spatial = nested.section("shift_spatial");
            refuseTrue(spatial, "status", "the spatial shift is not implemented");
            spatial.ignoreRest();
            nested.section("motion_param").ignoreRest();
            model = nested.section("main");
            shift = nested.section(ShiftConfig.SECTION);
            nested.finish();
        } else {
            model = root.section(ModelConfig.SECTION);
            videoSegments = model.integer("video_segments", 8);
            audioSegments = model.integer("audio_segments", 1);
            shift = root.section(ShiftConfig.SECTION);
        }
        ModelConfig modelConfig = readModel(model, videoSegments, audioSegments);
        ShiftConfig shiftConfig = ShiftConfig.read(shift);
        AugmentationConfig augmentation =
                readAugmentation(root.section(AugmentationConfig.SECTION));
        TrainingConfig training =
                readTraining(
                        root.section(
                                root.has("net_run_param") ? "net_run_param" : "training_param"));
        OptimizerConfig optimizer =
                readOptimizer(
                        root.section(
                                root.has("net_optim_param")
                                        ? "net_optim_param"
                                        : "optimizer_param"));
        String results =
                root.string(root.has("root_folder") ? "root_folder" : "results_folder", "results");
        root.finish();
        return new TsamConfig(
                augmentation,
                modelConfig,
                shiftConfig,
                training,
                optimizer,
                new ValidationConfig(1, ClipAverage.LOGITS),
                results);
    }

    private static ModelConfig readModel(JsonSection s, int videoSegments, int audioSegments) {
        ModelConfig d = ModelConfig.defaults();
        String arch = s.string("arch", d.arch());
        s.string("pretrain", "");
        double dropout = s.number("dropout", d.dropout());
        Optional<Path> weights = s.optionalPath("backbone_weights", d.backboneWeights());
        int lastPool = s.integer("last_pool", 1);
        if (lastPool != 1) {
            throw ConfigException.invalidValue(
                    null,
                    s.pathOf("last_pool"),
                    "expected 1 (TSAM's max-pool over features is not implemented)",
                    lastPool);
        }
        s.integer("input_mode", 2);
        s.finish();
        return new ModelConfig(videoSegments, audioSegments, arch, dropout, weights);
    }

    private static AugmentationConfig readAugmentation(JsonSection s) {
        AugmentationConfig d = AugmentationConfig.defaults();
        JsonSection image = s.section("video_image_param");
        int scale = image.integer("input_size", d.scaleSize());
        int crop = image.integer("output_size", d.cropSize());
        image.finish();
        JsonSection video = s.section("video_augmentation");
        boolean flip = video.bool("RandomHorizontalFlip", d.flip());
        List<Double> scales = video.numbers("scales", d.scales());
        boolean jitter = video.bool("ColorJitter", false);
        double grayscale = video.number("RandomGrayscale", 0.0);
        boolean blur = video.bool("GaussianBlur", false);
        video.finish();
        AudioImageConfig audio = readAudioImage(s.section("audio_image_param"), crop);
        JsonSection audioAugmentation = s.section("audio_augmentation");
        boolean shiftOn = audioAugmentation.bool("status", false);
        List<Double> shift = audioAugmentation.numbers("random_shift_waveform", List.of());
        audioAugmentation.finish();
        s.finish();
        return new AugmentationConfig(
                InputProfile.TSAM,
                scale,
                crop,
                d.resizeMode(),
                flip,
                scales,
                jitter,
                grayscale,
                blur,
                audio,
                shiftOn ? shift : List.of(),
                d.fps(),
                d.autorotate());
    }

    private static AudioImageConfig readAudioImage(JsonSection s, int crop) {
        AudioImageConfig d = AudioImageConfig.defaults();
        List<Integer> size = s.integers("spec_size", List.of(3, crop, crop));
        if (!size.equals(List.of(3, crop, crop))) {
            throw ConfigException.invalidValue(
                    null,
                    s.pathOf("spec_size"),
                    "expected [3, "
                            + crop
                            + ", "
                            + crop
                            + "] (the audio image goes through the backbone with the frames,"
                            + " so it has their size, video_image_param.output_size)",
                    size);
        }
        int segments = s.integer("num_segments", 1);
        if (segments != 1) {
            throw ConfigException.invalidValue(
                    null,
                    s.pathOf("num_segments"),
                    "expected 1 (several audio sub-segments are not implemented)",
                    segments);
        }
        s.integer("m_segments", 1);
        AudioImageConfig result =
                new AudioImageConfig(
                        s.integer("n_mels", d.melBands()),
                        s.numbers("window_sizes", d.windowsMs()),
                        s.numbers("hop_sizes", d.hopsMs()),
                        s.number("eps", d.eps()));
        s.finish();
        return result;
    }

    private static TrainingConfig readTraining(JsonSection s) {
        TrainingConfig d = TrainingConfig.defaults();
        TrainingConfig result =
                new TrainingConfig(
                        s.integer("epochs", d.epochs()),
                        s.integer("batch_size", d.batchSize()),
                        s.integer("num_workers", d.numWorkers()),
                        d.seed(),
                        0.0,
                        OptionalDouble.empty(),
                        1);
        s.finish();
        return result;
    }

    /**
     * TSAM's SGD: {@code lr_decay} pairs (factor, epoch) set {@code lr * factor} from the epoch.
     */
    private static OptimizerConfig readOptimizer(JsonSection s) {
        OptimizerConfig d = OptimizerConfig.defaults();
        double lr = s.number("lr", d.lr());
        List<Double> pairs = s.numbers("lr_decay", List.of());
        String key = s.pathOf("lr_decay");
        if (pairs.size() % 2 != 0) {
            throw ConfigException.invalidValue(
                    null, key, "expected (factor, epoch) pairs, an even count of numbers", pairs);
        }
        List<Integer> steps = new ArrayList<>();
        List<Double> factors = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            double epoch = pairs.get(i + 1);
            if (epoch != Math.rint(epoch) || epoch < 1) {
                throw ConfigException.invalidValue(
                        null, key + "[" + (i + 1) + "]", "expected an epoch >= 1", epoch);
            }
            factors.add(pairs.get(i));
            steps.add((int) epoch);
        }
        double momentum = s.number("momentum", d.momentum());
        s.number("gd", 0);
        double weightDecay = s.number("weight_decay", d.weightDecay());
        s.finish();
        return new OptimizerConfig(
                OptimizerType.SGD,
                lr,
                momentum,
                weightDecay,
                LrScheduler.STEP,
                steps,
                d.lrDecay(),
                factors,
                0,
                0.0);
    }

    private static void refuseTrue(JsonSection s, String key, String reason) {
        if (s.bool(key, false)) {
            throw ConfigException.invalidValue(
                    null, s.pathOf(key), "expected false (" + reason + ")", true);
        }
    }
}
