package io.tsam.runtime.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import io.tsam.backend.OrtBackend;
import io.tsam.backend.RecordingBackend;
import io.tsam.backend.TinyModels;
import io.tsam.config.ClipAverage;
import io.tsam.config.ModelMetadata;
import io.tsam.config.Preprocessing;
import io.tsam.config.ShiftStyle;
import io.tsam.media.MediaException;
import io.tsam.media.audio.AudioImage;
import io.tsam.media.pipeline.ClipExtractor;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.synth.SynthClass;
import io.tsam.media.video.TestVideos;
import io.tsam.runtime.SynthVideos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictorTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir static Path dir;
    private static Path videos;
    private static Path silent;
    private static OrtBackend tsam;
    private static OrtBackend videoOnly;

    @BeforeAll
    static void setUp() throws IOException {
        videos = SynthVideos.perClass(dir.resolve("synth"));
        silent = TestVideos.write(dir.resolve("silent.mp4"), TestVideos.Spec.mpeg4(), 10, 48, 32);
        tsam = OrtBackend.builder().setModel(TinyModels.tsam()).setEnvironment(ENV).build();
        videoOnly =
                OrtBackend.builder().setModel(TinyModels.videoOnly()).setEnvironment(ENV).build();
    }

    @AfterAll
    static void tearDown() {
        tsam.close();
        videoOnly.close();
    }

    private static ModelMetadata metadata(OrtBackend backend) {
        return ModelMetadata.parse(backend.metadata(), backend.modelFile());
    }

    private static Predictor predictor(RecordingBackend backend, int clips) {
        return Predictor.builder()
                .setBackend(backend)
                .setMetadata(metadata(backendOf(backend)))
                .optClips(clips)
                .build();
    }

    private static OrtBackend backendOf(RecordingBackend backend) {
        return backend.modelFile().equals(TinyModels.tsam()) ? tsam : videoOnly;
    }

    private static Path video(SynthClass c) {
        return videos.resolve(c.videoId(0) + ".mp4");
    }

    @Test
    void rankingHasEveryLabelOnceWithProbabilitiesSummingToOne() {
        Predictor predictor = predictor(new RecordingBackend(tsam), 1);

        Prediction p = predictor.predict(video(SynthClass.GROWING_HIGH));

        assertEquals(8, p.ranking().size());
        assertEquals(
                Arrays.stream(SynthClass.values()).map(SynthClass::id).sorted().toList(),
                p.ranking().stream().map(LabelScore::label).sorted().toList());
        assertEquals(1.0, p.ranking().stream().mapToDouble(LabelScore::probability).sum(), 1e-9);
        for (int i = 1; i < p.ranking().size(); i++) {
            assertTrue(p.ranking().get(i - 1).probability() >= p.ranking().get(i).probability());
        }
        assertEquals(p.ranking().subList(0, 3), p.top(3));
        assertEquals(AudioState.PRESENT, p.audio());
        assertEquals(1, p.clips());
        Timings t = p.timings();
        assertTrue(t.decodeMs() > 0 && t.audioMs() > 0 && t.inferenceMs() > 0, t.toString());
        // The audio image is built alongside the decoding, so only decode (the preparation's wall
        // time) and inference add up.
        assertTrue(t.totalMs() >= t.decodeMs() + t.inferenceMs(), t.toString());
    }

    @Test
    void theModelIsFedTheMediaPipelinesClipsAndClipScoresAreAveraged() {
        RecordingBackend backend = new RecordingBackend(tsam);
        Predictor predictor = predictor(backend, 3);
        Path file = video(SynthClass.LEFT_TO_RIGHT_LOW);

        Prediction p = predictor.predict(file);

        RecordingBackend.Call call = backend.calls().get(0);
        assertEquals(3, call.batch(), "the clips of a video run as one batch");
        int clipFloats = 3 * 3 * 32 * 32;
        int audioFloats = 3 * 32 * 32;
        try (ClipExtractor extractor = ClipExtractor.open(file, predictor.preprocessor().media())) {
            for (int c = 0; c < 3; c++) {
                ClipTensors clip = extractor.testClip(c, 3);
                assertArrayEquals(
                        clip.video(),
                        Arrays.copyOfRange(
                                call.values().get("video"), c * clipFloats, (c + 1) * clipFloats));
                assertArrayEquals(
                        clip.audio(),
                        Arrays.copyOfRange(
                                call.values().get("audio"),
                                c * audioFloats,
                                (c + 1) * audioFloats));
            }
        }
        float[] logits = tsam.run(3, call.buffers());
        double[] mean = new double[8];
        for (int c = 0; c < 3; c++) {
            double[] softmax = softmax(logits, c * 8, 8);
            for (int k = 0; k < 8; k++) {
                mean[k] += softmax[k] / 3;
            }
        }
        for (LabelScore score : p.ranking()) {
            assertEquals(mean[score.index()], score.probability(), 1e-9, score.label());
        }
    }

    @Test
    void aFileWithoutAudioIsPredictedAsSilenceAndMarkedMissing() {
        RecordingBackend backend = new RecordingBackend(tsam);

        Prediction p = predictor(backend, 1).predict(silent);

        assertEquals(AudioState.MISSING, p.audio());
        assertArrayEquals(AudioImage.silence(32, 32), backend.calls().get(0).values().get("audio"));
    }

    @Test
    void aVideoOnlyModelIsFedOnlyVideoAndSaysAudioIsOff() {
        RecordingBackend backend = new RecordingBackend(videoOnly);

        Prediction p = predictor(backend, 1).predict(video(SynthClass.SHRINKING_LOW));

        assertEquals(AudioState.OFF, p.audio());
        assertEquals(List.of("video"), List.copyOf(backend.calls().get(0).values().keySet()));
        assertEquals(4 * 3 * 32 * 32, backend.calls().get(0).values().get("video").length);
        assertEquals(0, p.timings().audioMs());
    }

    @Test
    void inputBuffersAreAllocatedOncePerBatchSizeAndReused() {
        RecordingBackend backend = new RecordingBackend(tsam);
        Predictor predictor = predictor(backend, 2);

        predictor.predict(video(SynthClass.GROWING_LOW));
        predictor.predict(video(SynthClass.GROWING_HIGH));
        predictor.classify(
                List.of(
                        predictor.prepare(video(SynthClass.GROWING_LOW)),
                        predictor.prepare(video(SynthClass.GROWING_HIGH))));

        List<RecordingBackend.Call> calls = backend.calls();
        assertSame(calls.get(0).buffers().get("video"), calls.get(1).buffers().get("video"));
        assertSame(calls.get(0).buffers().get("audio"), calls.get(1).buffers().get("audio"));
        assertTrue(calls.get(0).buffers().get("video").isDirect());
        assertEquals(4, calls.get(2).batch(), "two videos of two clips");
        assertTrue(calls.get(2).buffers().get("video") != calls.get(0).buffers().get("video"));
    }

    @Test
    void aBatchOfVideosGivesEachVideosOwnPrediction() {
        Predictor predictor = predictor(new RecordingBackend(tsam), 2);
        List<Path> files =
                List.of(
                        video(SynthClass.LEFT_TO_RIGHT_HIGH),
                        silent,
                        video(SynthClass.RIGHT_TO_LEFT_LOW));

        List<Prediction> batch =
                predictor.classify(files.stream().map(predictor::prepare).toList());

        for (int i = 0; i < files.size(); i++) {
            Prediction alone = predictor.predict(files.get(i));
            assertEquals(files.get(i), batch.get(i).file());
            assertEquals(alone.audio(), batch.get(i).audio());
            for (int k = 0; k < 8; k++) {
                assertEquals(
                        alone.ranking().get(k).probability(),
                        batch.get(i).ranking().get(k).probability(),
                        1e-6);
                assertEquals(alone.ranking().get(k).index(), batch.get(i).ranking().get(k).index());
            }
        }
    }

    @Test
    void concurrentPredictionsEqualSequentialOnes() throws Exception {
        Predictor predictor = predictor(new RecordingBackend(tsam), 1);
        List<Path> files = new ArrayList<>();
        for (SynthClass c : SynthClass.values()) {
            files.add(video(c));
        }
        List<Prediction> sequential = files.stream().map(predictor::predict).toList();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Prediction>> futures = new ArrayList<>();
            for (Path file : files) {
                futures.add(pool.submit(() -> predictor.predict(file)));
            }
            for (int i = 0; i < files.size(); i++) {
                assertEquals(sequential.get(i).ranking(), futures.get(i).get().ranking());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unusableFilesAreErrorsNamingTheFile() throws IOException {
        Predictor predictor = predictor(new RecordingBackend(tsam), 1);
        Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video");
        Path missing = dir.resolve("missing.mp4");

        MediaException notMedia = assertThrows(MediaException.class, () -> predictor.predict(text));
        assertTrue(notMedia.getMessage().startsWith(text + ": not a"), notMedia.getMessage());
        MediaException none = assertThrows(MediaException.class, () -> predictor.predict(missing));
        assertEquals(missing + ": no such file", none.getMessage());
    }

    @Test
    void aBackendWhoseInputsDoNotMatchTheMetadataIsRefused() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Predictor.builder()
                                        .setBackend(videoOnly)
                                        .setMetadata(metadata(tsam))
                                        .build());
        assertEquals(
                TinyModels.videoOnly()
                        + ": a model with audio_segments = 1 has the inputs [video, audio], this"
                        + " one has [video]",
                e.getMessage());
    }

    @Test
    void preprocessingThisRuntimeDoesNotComputeIsRefused() {
        ModelMetadata real = metadata(tsam);
        Preprocessing p = real.preprocessing();
        ModelMetadata other =
                new ModelMetadata(
                        real.config(),
                        real.labels(),
                        new Preprocessing(
                                p.profile(),
                                p.videoSegments(),
                                p.audioSegments(),
                                p.scaleSize(),
                                p.cropSize(),
                                p.resizeMode(),
                                List.of(0.5f, 0.5f, 0.5f),
                                p.std(),
                                p.audio()),
                        real.checkpointSha256());

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Predictor.builder().setBackend(tsam).setMetadata(other).build());
        assertEquals(
                TinyModels.tsam()
                        + ": tsam.preprocessing asks for preprocessing this runtime does not"
                        + " compute: mean [0.5, 0.5, 0.5] (this runtime: [0.485, 0.456, 0.406])",
                e.getMessage());
    }

    @Test
    void filesWrittenBeforeStylesKeepTheirShiftAndClipAverage() {
        // The committed test models are format version 1: computed with TSM's shift and read with
        // the mean of the clips' probabilities, never silently as today's defaults.
        ModelMetadata metadata =
                ModelMetadata.parse(
                        OrtBackend.readMetadata(OrtEnvironment.getEnvironment(), TinyModels.tsam()),
                        TinyModels.tsam());
        assertEquals(ShiftStyle.TSM, metadata.config().shiftTemporal().style());
        assertEquals(ClipAverage.PROBS, metadata.config().modelValidation().average());
    }

    /** The softmax of logits[offset, offset + n), written out for the expected values. */
    private static double[] softmax(float[] logits, int offset, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, logits[offset + k]);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            p[k] = Math.exp(logits[offset + k] - max);
            sum += p[k];
        }
        for (int k = 0; k < n; k++) {
            p[k] /= sum;
        }
        return p;
    }
}
