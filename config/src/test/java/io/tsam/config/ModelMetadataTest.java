package io.tsam.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {
    private static final Path FILE = Path.of("model.onnx");
    private static final String SHA = "0123456789abcdef".repeat(4);

    static final Preprocessing.AudioFeatures AUDIO =
            new Preprocessing.AudioFeatures(
                    16000,
                    List.of(
                            new Preprocessing.MelWindow(25, 10),
                            new Preprocessing.MelWindow(50, 25),
                            new Preprocessing.MelWindow(100, 50)),
                    128,
                    0,
                    8000,
                    1e-6,
                    0,
                    true);

    static final List<Float> MEAN = List.of(0.485f, 0.456f, 0.406f);
    static final List<Float> STD = List.of(0.229f, 0.224f, 0.225f);

    private static TsamConfig config() {
        return TsamConfig.defaults()
                .withModel(new ModelConfig(3, 1, "resnet18", 0.5, Optional.empty()))
                .withDataAugmentation(
                        AugmentationConfig.imagenet(40, 32, ResizeMode.SHORT_SIDE, true));
    }

    private static ModelMetadata metadata() {
        TsamConfig config = config();
        return new ModelMetadata(
                config,
                new LabelNames(List.of("run", "jump", "swim")),
                Preprocessing.of(config, MEAN, STD, AUDIO),
                SHA);
    }

    private static Map<String, String> with(Consumer<Map<String, String>> change) {
        Map<String, String> properties = new LinkedHashMap<>(metadata().toProperties());
        change.accept(properties);
        return properties;
    }

    @Test
    void propertiesHaveTheContractKeysInOrderAndReadBackEqual() {
        Map<String, String> properties = metadata().toProperties();

        assertEquals(
                List.of(
                        "tsam.format_version",
                        "tsam.labels",
                        "tsam.config",
                        "tsam.preprocessing",
                        "tsam.checkpoint_sha256"),
                List.copyOf(properties.keySet()));
        assertEquals("2", properties.get("tsam.format_version"));
        assertEquals("[\"run\",\"jump\",\"swim\"]", properties.get("tsam.labels"));
        assertEquals(metadata(), ModelMetadata.parse(properties, FILE));
    }

    @Test
    void preprocessingJsonHasEveryParameter() {
        String json = Preprocessing.of(config(), MEAN, STD, AUDIO).toJson();

        String version1 =
                "{\"video_segments\":3,\"audio_segments\":1,\"scale_size\":40,\"crop_size\":32,"
                        + "\"resize_mode\":\"short_side\",\"mean\":[0.485,0.456,0.406],"
                        + "\"std\":[0.229,0.224,0.225],\"audio\":{\"sample_rate\":16000,"
                        + "\"windows_ms\":[[25.0,10.0],[50.0,25.0],[100.0,50.0]],\"n_mels\":128,"
                        + "\"f_min\":0.0,\"f_max\":8000.0,\"log_offset\":1.0E-6}}";
        assertEquals(
                "{\"profile\":\"imagenet\","
                        + version1.substring(1, version1.length() - 2)
                        + ",\"n_fft\":0,\"standardise\":true}}",
                json);
        // A file written before profiles existed was computed with the ImageNet practice.
        assertEquals(Preprocessing.parse(json, FILE), Preprocessing.parse(version1, FILE));
        Preprocessing back = Preprocessing.parse(json, FILE);
        assertEquals(Preprocessing.of(config(), MEAN, STD, AUDIO), back);
        assertEquals(0.485f, back.mean().get(0));
    }

    @Test
    void aFileWithoutTheConfigIsNotATsamModel() {
        ConfigException e =
                assertThrows(
                        ConfigException.class, () -> ModelMetadata.parse(Map.of("a", "b"), FILE));
        assertEquals(
                "model.onnx: not a TSAM model: its metadata has no tsam.config (export the"
                        + " checkpoint with tsam-export)",
                e.getMessage());
    }

    @Test
    void anotherFormatVersionIsRejectedByName() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ModelMetadata.parse(
                                        with(p -> p.put("tsam.format_version", "3")), FILE));
        assertEquals(
                "model.onnx: tsam.format_version: expected one of \"1\", \"2\" (the versions this"
                        + " build reads; a newer tsam-run reads newer files), got \"3\"",
                e.getMessage());
    }

    @Test
    void badValuesNameTheFileAndKey() {
        assertMessage(
                with(p -> p.remove("tsam.labels")),
                "model.onnx: the model's metadata has no tsam.labels");
        assertMessage(
                with(p -> p.put("tsam.labels", "[\"a\", 3]")),
                "model.onnx: tsam.labels: expected a JSON list of strings, got [\"a\",3]");
        assertMessage(
                with(p -> p.put("tsam.labels", "[\"a\", \"a\"]")),
                "model.onnx: tsam.labels: labels 0 and 1 have the same name \"a\"");
        assertMessage(
                with(p -> p.put("tsam.labels", "[\"a\"")),
                "model.onnx: tsam.labels: not valid JSON");
        assertMessage(
                with(p -> p.put("tsam.config", "{\"model\": {\"arch\": \"vgg\"}}")),
                "model.onnx: tsam.config: model.arch: expected one of resnet18");
        assertMessage(
                with(p -> p.put("tsam.checkpoint_sha256", "abc")),
                "model.onnx: tsam.checkpoint_sha256: expected 64 lower-case hex digits, got"
                        + " \"abc\"");
        assertMessage(
                with(
                        p ->
                                p.put(
                                        "tsam.preprocessing",
                                        p.get("tsam.preprocessing")
                                                .replace("\"n_mels\":128,", ""))),
                "model.onnx: tsam.preprocessing.audio.n_mels: missing (a required key)");
        assertMessage(
                with(
                        p ->
                                p.put(
                                        "tsam.preprocessing",
                                        p.get("tsam.preprocessing")
                                                .replace(
                                                        "\"crop_size\":32",
                                                        "\"crop_size\":\"32\""))),
                "model.onnx: tsam.preprocessing.crop_size: expected an integer, got \"32\"");
        assertMessage(
                with(
                        p ->
                                p.put(
                                        "tsam.preprocessing",
                                        p.get("tsam.preprocessing")
                                                .replace("\"std\"", "\"stdev\""))),
                "model.onnx: tsam.preprocessing.stdev: unknown key");
    }

    @Test
    void preprocessingThatDisagreesWithTheConfigIsRejected() {
        Map<String, String> properties =
                with(
                        p ->
                                p.put(
                                        "tsam.preprocessing",
                                        p.get("tsam.preprocessing")
                                                .replace(
                                                        "\"video_segments\":3",
                                                        "\"video_segments\":8")));

        assertMessage(
                properties,
                "model.onnx: tsam.preprocessing disagrees with tsam.config: video_segments: 8 vs"
                        + " the config's 3");
    }

    private static void assertMessage(Map<String, String> properties, String start) {
        ConfigException e =
                assertThrows(ConfigException.class, () -> ModelMetadata.parse(properties, FILE));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
