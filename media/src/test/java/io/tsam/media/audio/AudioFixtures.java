package io.tsam.media.audio;

import io.tsam.media.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The reference fixtures under {@code src/test/resources/audio}, written by {@code
 * src/test/python/make_audio_fixtures.py} with torch 1.13, torchaudio 0.13 and PyAV.
 */
final class AudioFixtures {
    private AudioFixtures() {}

    static Path path(String name) {
        URL url = AudioFixtures.class.getResource("/audio/" + name);
        if (url == null) {
            throw new IllegalStateException(
                    "missing fixture audio/" + name + "; run make_audio_fixtures.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url + " is not a file URI", e);
        }
    }

    static Npy.Array load(String name) {
        try {
            return Npy.read(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The largest absolute difference between two equally long arrays. */
    static double maxAbsDiff(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError(
                    "lengths differ: expected " + expected.length + ", got " + actual.length);
        }
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs((double) expected[i] - actual[i]));
        }
        return max;
    }
}
