package io.tsam.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tensors of a weights file under the model's PyTorch names in the TSM layout, checked against the
 * model's expected names and shapes (SPEC §4).
 *
 * @param form which kind of file the tensors came from
 * @param tensors model name to tensor, in the model's order; the same arrays as the file's (no
 *     copies), owned by whoever read the file
 * @param ignored the file's names that were deliberately not mapped: every {@code
 *     num_batches_tracked} and, for a torchvision/timm state dict, {@code fc.*}
 * @param leftAtInit the model's names the file does not provide on purpose: {@code new_fc.*} when
 *     only a backbone was loaded; empty for a TSM checkpoint
 */
public record StateDict(
        Form form, Map<String, NDArray> tensors, List<String> ignored, List<String> leftAtInit) {

    private static final String DATA_PARALLEL = "module.";
    private static final String BACKBONE = "base_model.";
    private static final String HEAD = "new_fc.";
    private static final String TSAM_BACKBONE = "nn_backbone.";
    private static final String TSAM_HEAD = "last_fc.";
    private static final String TSAM_SHIFTED = ".conv1.layer.";
    private static final String TSM_SHIFTED = ".conv1.net.";
    private static final String TORCHVISION_HEAD = "fc.";
    private static final String BATCHES = ".num_batches_tracked";
    private static final String SHIFTED = ".net";
    private static final int MAX_LISTED = 20;

    /** The three kinds of weights files SPEC §4 imports. */
    public enum Form {
        /** A TSM checkpoint or this toolchain's own: names already in the TSM layout. */
        TSM("TSM-layout checkpoint"),
        /**
         * A checkpoint saved by TSAM's code: {@code nn_backbone.base_model.*} with shifted convs
         * {@code ....conv1.layer.*}, head {@code last_fc.*}; renamed to the TSM layout.
         */
        TSAM("TSAM checkpoint"),
        /** A plain torchvision/timm ResNet: the backbone only; its {@code fc} is dropped. */
        TORCHVISION("torchvision/timm ResNet state dict");

        private final String description;

        Form(String description) {
            this.description = description;
        }

        /** What the form is, in words. */
        public String description() {
            return description;
        }
    }

    public StateDict {
        Objects.requireNonNull(form, "form");
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        ignored = List.copyOf(ignored);
        leftAtInit = List.copyOf(leftAtInit);
    }

    /**
     * Maps a file's tensors (names as stored, see {@link TensorFiles#read}) into the model's
     * layout.
     *
     * <p>A {@code module.} prefix (DataParallel) is stripped first. The {@link #formOf form}
     * decides the renaming: a {@link Form#TSM} checkpoint's names must be exactly the model's; a
     * {@link Form#TSAM} checkpoint's lose {@code nn_backbone.}, shifted convs' {@code .layer}
     * becomes {@code .net} and {@code last_fc} becomes {@code new_fc}. Otherwise it is a {@link
     * Form#TORCHVISION} state dict: each name gets the prefix {@code base_model.}, a conv that is
     * shifted in the model gets its {@code .net} (e.g. {@code layer1.0.conv1.weight} becomes {@code
     * base_model.layer1.0.conv1.net.weight}), {@code fc.*} is dropped and the model's {@code
     * new_fc.*} keep their initialisation. {@code num_batches_tracked} entries are accepted and
     * ignored (the model has no such parameter).
     *
     * @param file the file the tensors came from, named in errors
     * @param raw the file's tensors under their stored names
     * @param expected every model parameter's PyTorch name and shape
     * @throws CheckpointException listing every missing name, every unexpected name and every shape
     *     mismatch (the first 20 of each, and how many more) if anything does not match
     */
    public static StateDict map(Path file, Map<String, NDArray> raw, Map<String, Shape> expected) {
        Map<String, String> fileNameOf = new LinkedHashMap<>();
        Map<String, NDArray> stripped = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, NDArray> entry : raw.entrySet()) {
            String name = entry.getKey();
            String bare =
                    name.startsWith(DATA_PARALLEL) ? name.substring(DATA_PARALLEL.length()) : name;
            if (stripped.putIfAbsent(bare, entry.getValue()) != null) {
                unexpected.add(name + " (a second '" + bare + "')");
            } else {
                fileNameOf.put(bare, name);
            }
        }
        Form form = formOf(stripped.keySet());

        Map<String, NDArray> mapped = new HashMap<>();
        Set<String> provided = new HashSet<>();
        Set<String> unexpectedNames = new HashSet<>();
        List<String> ignored = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, NDArray> entry : stripped.entrySet()) {
            String fileName = fileNameOf.get(entry.getKey());
            String bare = entry.getKey();
            if (form == Form.TORCHVISION && bare.startsWith(TORCHVISION_HEAD)) {
                ignored.add(fileName);
                continue;
            }
            String name = modelName(form, bare, expected);
            if (name.endsWith(BATCHES)
                    && expected.containsKey(
                            name.substring(0, name.length() - BATCHES.length())
                                    + ".running_mean")) {
                ignored.add(fileName);
                continue;
            }
            Shape want = expected.get(name);
            if (want == null || !provided.add(name)) {
                unexpected.add(fileName.equals(name) ? name : fileName + " (as " + name + ")");
                unexpectedNames.add(name);
                continue;
            }
            Shape have = entry.getValue().getShape();
            if (!have.equals(want)) {
                mismatched.add(name + ": file " + format(have) + " vs model " + format(want));
                continue;
            }
            mapped.put(name, entry.getValue());
        }

        LinkedHashMap<String, NDArray> tensors = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> leftAtInit = new ArrayList<>();
        for (String name : expected.keySet()) {
            NDArray array = mapped.get(name);
            if (array != null) {
                tensors.put(name, array);
            } else if (form == Form.TORCHVISION && !name.startsWith(BACKBONE)) {
                leftAtInit.add(name);
            } else if (!provided.contains(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            long shiftOnly =
                    missing.stream().filter(m -> unexpectedNames.contains(otherShift(m))).count();
            throw new CheckpointException(
                    file, mismatchReport(form, missing, unexpected, mismatched, shiftOnly));
        }
        return new StateDict(form, tensors, ignored, leftAtInit);
    }

    /**
     * Which kind of file these names (as stored) come from: TSAM's code if any name starts with
     * {@code nn_backbone.} or {@code last_fc.}, TSM's layout if any starts with {@code base_model.}
     * or {@code new_fc.}, else a torchvision/timm state dict. A {@code module.} prefix is ignored.
     */
    public static Form formOf(Collection<String> names) {
        boolean tsm = false;
        for (String name : names) {
            String bare =
                    name.startsWith(DATA_PARALLEL) ? name.substring(DATA_PARALLEL.length()) : name;
            if (bare.startsWith(TSAM_BACKBONE) || bare.startsWith(TSAM_HEAD)) {
                return Form.TSAM;
            }
            tsm |= bare.startsWith(BACKBONE) || bare.startsWith(HEAD);
        }
        return tsm ? Form.TSM : Form.TORCHVISION;
    }

    /** One line saying what was loaded, e.g. for a log. */
    public String summary() {
        StringBuilder text =
                new StringBuilder(form.description())
                        .append(": ")
                        .append(tensors.size())
                        .append(" tensors mapped");
        if (!ignored.isEmpty()) {
            text.append(", ").append(ignored.size()).append(" ignored");
        }
        if (!leftAtInit.isEmpty()) {
            text.append(", left at their initialisation: ").append(String.join(", ", leftAtInit));
        }
        return text.toString();
    }

    /** The model name of a file name (without {@code module.}). */
    private static String modelName(Form form, String bare, Map<String, Shape> expected) {
        if (form == Form.TSM) {
            return bare;
        }
        if (form == Form.TSAM) {
            if (bare.startsWith(TSAM_HEAD)) {
                return HEAD + bare.substring(TSAM_HEAD.length());
            }
            String name =
                    bare.startsWith(TSAM_BACKBONE) ? bare.substring(TSAM_BACKBONE.length()) : bare;
            // TSAM's shift wraps conv1 as TemporalShift(layer=conv1); ours names the child net.
            return name.replace(TSAM_SHIFTED, TSM_SHIFTED);
        }
        String name = BACKBONE + bare;
        if (expected.containsKey(name)) {
            return name;
        }
        // A shifted conv is wrapped in the model, its weight one level deeper: conv1.net.weight.
        int dot = name.lastIndexOf('.');
        String shifted = name.substring(0, dot) + SHIFTED + name.substring(dot);
        return expected.containsKey(shifted) ? shifted : name;
    }

    /** The same name with the shift wrapper's {@code .net} removed, or added if absent. */
    private static String otherShift(String name) {
        int dot = name.lastIndexOf('.');
        String owner = name.substring(0, dot);
        return owner.endsWith(SHIFTED)
                ? owner.substring(0, owner.length() - SHIFTED.length()) + name.substring(dot)
                : owner + SHIFTED + name.substring(dot);
    }

    private static String format(Shape shape) {
        return Arrays.toString(shape.getShape());
    }

    private static String mismatchReport(
            Form form,
            List<String> missing,
            List<String> unexpected,
            List<String> mismatched,
            long shiftOnly) {
        StringBuilder text =
                new StringBuilder("the ")
                        .append(form.description())
                        .append(" does not match the model: ")
                        .append(missing.size())
                        .append(" missing, ")
                        .append(unexpected.size())
                        .append(" unexpected, ")
                        .append(mismatched.size())
                        .append(" with another shape");
        section(text, "missing", missing);
        section(text, "unexpected", unexpected);
        section(text, "shape mismatch", mismatched);
        if (shiftOnly > 0) {
            text.append("\n  hint: ")
                    .append(shiftOnly)
                    .append(
                            " names differ only by '.net' (a shifted conv): the file was made with"
                                    + " another shift_temporal placement (status, n_insert, m_insert)");
        }
        return text.toString();
    }

    private static void section(StringBuilder text, String title, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        text.append("\n  ").append(title).append(" (").append(names.size()).append("): ");
        text.append(names.stream().limit(MAX_LISTED).collect(Collectors.joining(", ")));
        if (names.size() > MAX_LISTED) {
            text.append(", ... and ").append(names.size() - MAX_LISTED).append(" more");
        }
    }
}
