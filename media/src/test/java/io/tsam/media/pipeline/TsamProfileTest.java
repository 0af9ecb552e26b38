package io.tsam.media.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.config.TsamConfig;
import io.tsam.media.io.FrameDirectoryWriter;
import io.tsam.media.io.Npy;
import io.tsam.media.video.VideoFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tsam} profile against TSAM's own pipeline: {@code make_tsam_profile_fixture.py} ran
 * TSAM's two ffmpeg commands on {@code clip.mp4} and its loaders' steps (PIL, torchvision 0.14,
 * torchaudio 0.13) on the results.
 */
class TsamProfileTest {
    private static final MediaConfig CONFIG =
            MediaConfig.of(
                    TsamConfig.parse(
                            "{\"data_augmentation\": {\"profile\": \"tsam\", \"scale_size\": 256,"
                                    + " \"crop_size\": 64,"
                                    + " \"audio_image\": {\"n_mels\": 64}},"
                                    + " \"model\": {\"video_segments\": 4}}",
                            null));

    @Test
    void framesAndWavGiveWhatTsamsLoadersGive() throws Exception {
        Path dir = fixtures();
        try (ClipExtractor extractor =
                ClipExtractor.openFrames(
                        dir.resolve("frames"),
                        n -> String.format("%05d.jpg", n),
                        Optional.of(dir.resolve("clip.wav")),
                        CONFIG)) {
            ClipTensors clip = extractor.testClip(0, 1);
            assertArrayEquals(new int[] {1, 4, 7, 10}, clip.frameIndices());
            // Measured: 0 on the frames (ImageIO and Pillow decode these JPEGs alike) and 7.1e-4
            // on log-mel values of -14..5 (torch computes the STFT in float32, this in double).
            assertClose(expected(dir, "video.npy"), clip.video(), 1e-5, "video");
            assertClose(expected(dir, "audio.npy"), clip.audio(), 1e-3, "audio");
        }
    }

    @Test
    void aVideoFileGivesWhatVideo2framesAndTsamsLoadersGive() throws Exception {
        Path dir = fixtures();
        try (ClipExtractor extractor = ClipExtractor.open(dir.resolve("clip.mp4"), CONFIG)) {
            assertEquals(12, extractor.frameCount(), "1.2 s at fps 10, as video2frames.py");
            ClipTensors clip = extractor.testClip(0, 1);
            assertArrayEquals(new int[] {1, 4, 7, 10}, clip.frameIndices());
            // The extracted frames went through ffmpeg's scaler in YUV, a JPEG encode and Pillow's
            // decoder (4:2:0 chroma upsampled its way); this path converts to RGB once. Measured
            // on testsrc's hard colour edges: 2.2 grey levels on average, 72 at worst (one edge
            // pixel). The audio comes from the same AAC track through another FFmpeg build: a 1-LSB
            // difference in the 16-bit noise floor moves the log of a near-silent mel band.
            assertMeanAbs(expected(dir, "video.npy"), clip.video(), 0.012, "video");
            assertClose(expected(dir, "video.npy"), clip.video(), 0.35, "video");
            assertMeanAbs(expected(dir, "audio.npy"), clip.audio(), 0.01, "audio");
            assertClose(expected(dir, "audio.npy"), clip.audio(), 0.2, "audio");
        }
    }

    @Test
    void tsamDataFramesWritesWhatVideo2framesWrites(@TempDir Path tmp) throws Exception {
        Path dir = fixtures();
        Path frames = tmp.resolve("frames");
        try (VideoFile video = VideoFile.open(dir.resolve("clip.mp4"))) {
            assertEquals(12, FrameDirectoryWriter.write(video, 10, 256, frames));
        }
        for (int n = 1; n <= 12; n++) {
            String name = String.format("%05d.jpg", n);
            BufferedImage ours = ImageIO.read(frames.resolve(name).toFile());
            BufferedImage ffmpeg = ImageIO.read(dir.resolve("frames").resolve(name).toFile());
            assertEquals(ffmpeg.getWidth(), ours.getWidth(), name);
            assertEquals(ffmpeg.getHeight(), ours.getHeight(), name);
            assertTrue(meanAbsGrey(ours, ffmpeg) < 4.0, name + " is another frame");
        }
    }

    private static double meanAbsGrey(BufferedImage a, BufferedImage b) {
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    private static Path fixtures() throws URISyntaxException {
        return Path.of(TsamProfileTest.class.getResource("/tsam_profile/clip.mp4").toURI())
                .getParent();
    }

    private static float[] expected(Path dir, String name) throws IOException {
        return Npy.read(dir.resolve(name)).data();
    }

    private static void assertClose(
            float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        System.out.printf("%s max abs difference %.3g%n", what, max);
        assertTrue(max <= tolerance, what + ": max abs difference " + max + " > " + tolerance);
    }

    private static void assertMeanAbs(float[] expected, float[] actual, double bound, String what) {
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            sum += Math.abs(expected[i] - actual[i]);
        }
        double mean = sum / expected.length;
        System.out.printf("%s mean abs difference %.3g%n", what, mean);
        assertTrue(mean <= bound, what + ": mean abs difference " + mean + " > " + bound);
    }
}
