package io.tsam.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code data_augmentation.audio_image} section: how the {@code tsam} profile turns a track's
 * first channel into the 3-channel audio image (TSAM's {@code audio_image_param}). One log-mel
 * spectrogram per window, computed at the track's own sample rate with {@code n_fft} 4800 as TSAM's
 * code does; the {@code imagenet} profile has fixed settings and ignores this section.
 *
 * @param melBands {@code n_mels}: mel bands per spectrogram, >= 1
 * @param windowsMs {@code window_ms}: window lengths in milliseconds, one per image channel (3)
 * @param hopsMs {@code hop_ms}: hop lengths in milliseconds, one per window
 * @param eps {@code eps}: added to the mel energies before the natural log, > 0
 */
public record AudioImageConfig(
        int melBands, List<Double> windowsMs, List<Double> hopsMs, double eps) {
    static final String SECTION = "audio_image";
    private static final String PATH = AugmentationConfig.SECTION + "." + SECTION;
    private static final int CHANNELS = 3;

    public AudioImageConfig {
        windowsMs = List.copyOf(windowsMs);
        hopsMs = List.copyOf(hopsMs);
        Check.atLeast(PATH + ".n_mels", melBands, 1);
        if (windowsMs.size() != CHANNELS || hopsMs.size() != CHANNELS) {
            throw ConfigException.invalidValue(
                    null,
                    PATH + ".window_ms",
                    "expected 3 windows and 3 hops, one per image channel",
                    windowsMs + " / " + hopsMs);
        }
        for (int i = 0; i < CHANNELS; i++) {
            Check.positive(PATH + ".window_ms[" + i + "]", windowsMs.get(i));
            Check.positive(PATH + ".hop_ms[" + i + "]", hopsMs.get(i));
        }
        Check.positive(PATH + ".eps", eps);
    }

    /** TSAM's settings: 128 bands, windows 25/50/100 ms, hops 10/25/50 ms, eps 1e-6. */
    public static AudioImageConfig defaults() {
        return new AudioImageConfig(
                128, List.of(25.0, 50.0, 100.0), List.of(10.0, 25.0, 50.0), 1e-6);
    }

    static AudioImageConfig read(JsonSection s) {
        AudioImageConfig d = defaults();
        AudioImageConfig result =
                new AudioImageConfig(
                        s.integer("n_mels", d.melBands()),
                        s.numbers("window_ms", d.windowsMs()),
                        s.numbers("hop_ms", d.hopsMs()),
                        s.number("eps", d.eps()));
        s.finish();
        return result;
    }

    ObjectNode toJsonNode() {
        ObjectNode node = ConfigJson.newObject();
        node.put("n_mels", melBands);
        ArrayNode windows = node.putArray("window_ms");
        windowsMs.forEach(w -> windows.add(ConfigJson.number(w)));
        ArrayNode hops = node.putArray("hop_ms");
        hopsMs.forEach(h -> hops.add(ConfigJson.number(h)));
        node.set("eps", ConfigJson.number(eps));
        return node;
    }
}
