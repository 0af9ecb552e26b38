package io.tsam.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code model} section: segments, backbone and head (SPEC §1).
 *
 * @param videoSegments {@code video_segments}: frames sampled per clip (T), >= 1
 * @param audioSegments {@code audio_segments}: 1 to add the spectrogram image, 0 for video only
 * @param arch {@code arch}: {@code resnet18}, {@code resnet34}, {@code resnet50} or {@code
 *     resnet101}, optionally with the suffix {@code _timm} (the same network), kept as written
 * @param dropout {@code dropout}: dropout rate before the classifier, in [0, 1)
 * @param backboneWeights {@code backbone_weights}: weights to initialise the backbone from; a
 *     relative path in a file loaded from disk is resolved against the file's folder
 */
public record ModelConfig(
        int videoSegments,
        int audioSegments,
        String arch,
        double dropout,
        Optional<Path> backboneWeights) {
    static final String SECTION = "model";

    private static final String TIMM_SUFFIX = "_timm";
    private static final Pattern ARCH = Pattern.compile("resnet(18|34|50|101)(_timm)?");

    public ModelConfig {
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(backboneWeights, "backboneWeights");
        Check.atLeast(SECTION + ".video_segments", videoSegments, 1);
        if (audioSegments != 0 && audioSegments != 1) {
            throw ConfigException.invalidValue(
                    null, SECTION + ".audio_segments", "expected 0 or 1", audioSegments);
        }
        if (!ARCH.matcher(arch).matches()) {
            throw ConfigException.invalidValue(
                    null,
                    SECTION + ".arch",
                    "expected one of resnet18, resnet34, resnet50, resnet101"
                            + " (each optionally with the suffix _timm)",
                    arch);
        }
        Check.inRange(SECTION + ".dropout", dropout, 0, 1, false);
    }

    /** The defaults: 8 video segments, 1 audio segment, resnet50, dropout 0.5, no weights. */
    public static ModelConfig defaults() {
        return new ModelConfig(8, 1, "resnet50", 0.5, Optional.empty());
    }

    /** The backbone without the {@code _timm} suffix, e.g. {@code resnet50}. */
    public String baseArch() {
        return arch.endsWith(TIMM_SUFFIX)
                ? arch.substring(0, arch.length() - TIMM_SUFFIX.length())
                : arch;
    }

    /** Whether the spectrogram image is part of the input. */
    public boolean hasAudio() {
        return audioSegments == 1;
    }

    /** Images per sample through the backbone: {@code S = T + A}. */
    public int segments() {
        return videoSegments + audioSegments;
    }

    static ModelConfig read(JsonSection s) {
        ModelConfig d = defaults();
        ModelConfig result =
                new ModelConfig(
                        s.integer("video_segments", d.videoSegments()),
                        s.integer("audio_segments", d.audioSegments()),
                        s.string("arch", d.arch()),
                        s.number("dropout", d.dropout()),
                        s.optionalPath("backbone_weights", d.backboneWeights()));
        s.finish();
        return result;
    }

    ObjectNode toJsonNode() {
        ObjectNode node = ConfigJson.newObject();
        node.put("video_segments", videoSegments);
        node.put("audio_segments", audioSegments);
        node.put("arch", arch);
        node.set("dropout", ConfigJson.number(dropout));
        node.put("backbone_weights", backboneWeights.map(Path::toString).orElse(null));
        return node;
    }
}
