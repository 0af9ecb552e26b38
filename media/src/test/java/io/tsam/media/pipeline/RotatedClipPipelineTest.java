package io.tsam.media.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tsam.config.AudioImageConfig;
import io.tsam.config.InputProfile;
import io.tsam.config.ResizeMode;
import io.tsam.media.image.RgbImage;
import io.tsam.media.sampling.FrameSampling;
import io.tsam.media.video.RotatedClips;
import io.tsam.media.video.TestVideos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A portrait phone clip gives the model what its upright twin gives, under both profiles. */
class RotatedClipPipelineTest {

    private static MediaConfig media(InputProfile profile, boolean autorotate) {
        return new MediaConfig(
                4,
                false,
                32,
                24,
                ResizeMode.SQUARE,
                false,
                profile,
                List.of(1.0),
                AudioImageConfig.defaults(),
                List.of(),
                10,
                autorotate,
                FrameSampling.EXACT);
    }

    @ParameterizedTest(name = "{0} {1} degrees")
    @CsvSource({"TSAM, 90", "TSAM, 270", "IMAGENET, 90", "IMAGENET, 180"})
    void aTurnedClipGivesTheUprightClipsTensor(
            InputProfile profile, double degrees, @TempDir Path dir) throws Exception {
        List<RgbImage> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            frames.add(TestVideos.pattern(i, 48, 32));
        }
        Path upright = RotatedClips.write(dir.resolve("upright.mov"), frames, null);
        Path phone =
                RotatedClips.write(
                        dir.resolve("phone.mov"),
                        frames,
                        RotatedClips.matrix(degrees, false, false));

        float[] expected = clip(upright, media(profile, true));
        assertArrayEquals(expected, clip(phone, media(profile, true)), 0f);
        assertFalse(
                Arrays.equals(expected, clip(phone, media(profile, false))),
                "--no-autorotate sees the stored pictures");
    }

    private static float[] clip(Path video, MediaConfig config) {
        try (ClipExtractor extractor = ClipExtractor.open(video, config)) {
            return extractor.testClip(0, 1).video();
        }
    }
}
