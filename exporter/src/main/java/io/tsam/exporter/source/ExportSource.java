package io.tsam.exporter.source;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.tsam.config.InputProfile;
import io.tsam.config.LabelNames;
import io.tsam.config.ShiftStyle;
import io.tsam.config.TsamConfig;
import io.tsam.model.checkpoint.CheckpointException;
import io.tsam.model.checkpoint.CheckpointInfo;
import io.tsam.model.checkpoint.NativeCheckpoint;
import io.tsam.model.checkpoint.NetWeights;
import io.tsam.model.checkpoint.StateDict;
import io.tsam.model.checkpoint.TensorFiles;
import io.tsam.model.net.PyTorchNames;
import io.tsam.model.net.TsamNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A checkpoint loaded for export: its model config, class names and SHA-256, and a {@link TsamNet}
 * holding its weights.
 *
 * <p>Accepted checkpoints (SPEC §4): a native {@code .safetensors} with its JSON sidecar, whose
 * config and labels are used unless given; or a PyTorch {@code .pth}/{@code .pt} or a {@code
 * .safetensors} file in the TSM layout or saved by TSAM's code, which need the model file. The
 * number of classes is the number of rows of {@code new_fc.weight}, so a backbone-only state dict
 * cannot be exported.
 *
 * <p>The source owns the net's arrays and frees them on {@link #close()}; a second close does
 * nothing.
 */
public final class ExportSource implements AutoCloseable {

    private static final String HEAD_WEIGHT = "new_fc.weight";
    private static final String TSAM_HEAD_WEIGHT = "last_fc.weight";
    private static final String DATA_PARALLEL = "module.";

    private final Path checkpoint;
    private final TsamConfig config;
    private final LabelNames labels;
    private final String checkpointSha256;
    private final NDManager manager;
    private final TsamNet net;
    private final List<String> notes;
    private boolean closed;

    private ExportSource(
            Path checkpoint,
            TsamConfig config,
            LabelNames labels,
            String checkpointSha256,
            NDManager manager,
            TsamNet net,
            List<String> notes) {
        this.checkpoint = checkpoint;
        this.config = config;
        this.labels = labels;
        this.checkpointSha256 = checkpointSha256;
        this.manager = manager;
        this.net = net;
        this.notes = List.copyOf(notes);
    }

    /**
     * Loads a checkpoint on the CPU.
     *
     * @param checkpoint the weights file
     * @param configFile the model file; needed unless the checkpoint is a native one, whose sidecar
     *     config it replaces
     * @param labelsFile the label-name file; by default the native sidecar's labels, else {@code
     *     "0", "1", ...}
     * @return the source; the caller closes it
     * @throws IllegalArgumentException naming the file if the checkpoint, config or label file
     *     cannot be read, there is no config, the checkpoint has no head, or the files do not fit
     *     one another
     */
    public static ExportSource load(
            Path checkpoint,
            Optional<Path> configFile,
            Optional<Path> labelsFile,
            Overrides overrides) {
        if (!Files.isRegularFile(checkpoint)) {
            throw new CheckpointException(checkpoint, "does not exist or is not a file");
        }
        Optional<CheckpointInfo> info =
                isNative(checkpoint)
                        ? Optional.of(NativeCheckpoint.readInfo(checkpoint))
                        : Optional.empty();
        TsamConfig loaded =
                configFile
                        .map(TsamConfig::load)
                        .or(() -> info.map(CheckpointInfo::config))
                        .orElseThrow(
                                () ->
                                        new CheckpointException(
                                                checkpoint,
                                                "carries no model config (only a native"
                                                        + " checkpoint does, in its sidecar "
                                                        + sidecarName(checkpoint)
                                                        + "); give the model file with --config"));
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        try {
            TsamNet net;
            int classes;
            TsamConfig config;
            List<String> notes = new ArrayList<>();
            try (NDManager scope = manager.newSubManager()) {
                Map<String, NDArray> raw =
                        info.isPresent()
                                ? NativeCheckpoint.readWeights(checkpoint, scope)
                                : TensorFiles.read(checkpoint, scope);
                classes = classes(checkpoint, raw);
                config = decide(loaded, configFile, raw, overrides, notes);
                net =
                        TsamNet.builder()
                                .setModel(config.model())
                                .setShift(config.shiftTemporal())
                                .setClasses(classes)
                                .build();
                int crop = config.dataAugmentation().cropSize();
                net.initialize(manager, DataType.FLOAT32, net.inputShapes(1, crop, crop));
                StateDict stateDict = StateDict.map(checkpoint, raw, PyTorchNames.shapes(net));
                NetWeights.copyInto(net, stateDict);
            }
            LabelNames labels = labels(labelsFile, info, classes);
            String sha256 = NativeCheckpoint.sha256(checkpoint);
            return new ExportSource(checkpoint, config, labels, sha256, manager, net, notes);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * The config with the computation decided (SPEC §4): the shift style and input profile from the
     * flags if given, else from the model file if it states them, else from the checkpoint's
     * naming: TSM's layout ({@code new_fc}) was trained with TSM's rules (zeros past the clip,
     * ImageNet inputs), TSAM's ({@code last_fc}) with TSAM's. The clip average follows the style
     * unless the file states it. A native checkpoint's sidecar config records all three already.
     */
    private static TsamConfig decide(
            TsamConfig loaded,
            Optional<Path> configFile,
            Map<String, NDArray> raw,
            Overrides overrides,
            List<String> notes) {
        if (configFile.isEmpty()) {
            TsamConfig config = loaded;
            if (overrides.shiftStyle().isPresent()) {
                config = config.withShiftStyle(overrides.shiftStyle().get(), true);
            }
            return overrides.inputProfile().map(config::withInputProfile).orElse(config);
        }
        Path file = configFile.get();
        StateDict.Form form = StateDict.formOf(raw.keySet());
        boolean tsam = form == StateDict.Form.TSAM;
        List<String> decided = new ArrayList<>();
        ShiftStyle style;
        if (overrides.shiftStyle().isPresent()) {
            style = overrides.shiftStyle().get();
        } else if (TsamConfig.statesShiftStyle(file)) {
            style = loaded.shiftTemporal().style();
        } else {
            style = tsam ? ShiftStyle.TSAM : ShiftStyle.TSM;
            decided.add("shift style " + style.jsonName());
        }
        TsamConfig config = loaded.withShiftStyle(style, TsamConfig.statesClipAverage(file));
        if (!TsamConfig.statesClipAverage(file) && !decided.isEmpty()) {
            decided.add("clips averaged by " + config.modelValidation().average().jsonName());
        }
        if (overrides.inputProfile().isPresent()) {
            config = config.withInputProfile(overrides.inputProfile().get());
        } else if (!TsamConfig.statesInputProfile(file)) {
            InputProfile profile = tsam ? InputProfile.TSAM : InputProfile.IMAGENET;
            config = config.withInputProfile(profile);
            decided.add("input profile " + profile.jsonName());
        }
        if (!decided.isEmpty()) {
            notes.add(
                    form.description()
                            + ": "
                            + String.join(", ", decided)
                            + (tsam ? " (TSAM's rules)" : " (TSM's rules)")
                            + "; --shift-style and --input-profile override");
        }
        return config;
    }

    /**
     * What the command line says about the computation, overriding the model file and the
     * checkpoint's naming.
     *
     * @param shiftStyle {@code --shift-style}
     * @param inputProfile {@code --input-profile}
     */
    public record Overrides(Optional<ShiftStyle> shiftStyle, Optional<InputProfile> inputProfile) {
        /** Nothing overridden. */
        public static Overrides none() {
            return new Overrides(Optional.empty(), Optional.empty());
        }
    }

    /** What loading decided that the user did not say, one line each (e.g. the shift style). */
    public List<String> notes() {
        return notes;
    }

    /** The checkpoint file. */
    public Path checkpoint() {
        return checkpoint;
    }

    /** The model config the net was built from. */
    public TsamConfig config() {
        return config;
    }

    /** One name per class. */
    public LabelNames labels() {
        return labels;
    }

    /** The checkpoint file's SHA-256, 64 lower-case hex digits. */
    public String checkpointSha256() {
        return checkpointSha256;
    }

    /**
     * The net with the checkpoint's weights; owned by this source.
     *
     * @throws IllegalStateException if the source is closed
     */
    public TsamNet net() {
        if (closed) {
            throw new IllegalStateException("the export source of " + checkpoint + " is closed");
        }
        return net;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }

    private static boolean isNative(Path checkpoint) {
        return checkpoint.getFileName().toString().endsWith(".safetensors")
                && Files.isRegularFile(NativeCheckpoint.sidecarOf(checkpoint));
    }

    private static String sidecarName(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + ".json";
    }

    private static int classes(Path checkpoint, Map<String, NDArray> raw) {
        NDArray head = null;
        for (String name : List.of(HEAD_WEIGHT, TSAM_HEAD_WEIGHT)) {
            for (String key : List.of(name, DATA_PARALLEL + name)) {
                head = head != null ? head : raw.get(key);
            }
        }
        if (head == null || head.getShape().dimension() != 2) {
            throw new CheckpointException(
                    checkpoint,
                    "holds no 2-d "
                            + HEAD_WEIGHT
                            + ", so the number of classes is unknown: a backbone-only"
                            + " (torchvision/timm) state dict cannot be exported; export a TSAM"
                            + " checkpoint");
        }
        return Math.toIntExact(head.getShape().get(0));
    }

    private static LabelNames labels(
            Optional<Path> labelsFile, Optional<CheckpointInfo> info, int classes) {
        if (labelsFile.isPresent()) {
            LabelNames labels = LabelNames.read(labelsFile.get());
            if (labels.size() != classes) {
                throw new IllegalArgumentException(
                        labelsFile.get()
                                + ": has "
                                + labels.size()
                                + " label names but the checkpoint's head ("
                                + HEAD_WEIGHT
                                + ") has "
                                + classes
                                + " classes");
            }
            return labels;
        }
        if (info.isPresent() && info.get().classes() != classes) {
            throw new IllegalArgumentException(
                    "the checkpoint's sidecar lists "
                            + info.get().classes()
                            + " labels but its head ("
                            + HEAD_WEIGHT
                            + ") has "
                            + classes
                            + " classes");
        }
        return info.map(CheckpointInfo::labels).orElseGet(() -> LabelNames.indices(classes));
    }
}
