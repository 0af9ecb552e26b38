package io.tsam.runtime.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import io.tsam.backend.OrtBackend;
import io.tsam.backend.TinyModels;
import io.tsam.config.ModelMetadata;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.runtime.predict.AudioState;
import io.tsam.runtime.predict.Predictor;
import io.tsam.runtime.predict.PreparedVideo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private OrtBackend ort;
    private ControlledBackend backend;
    private Predictor predictor;
    private final List<DynamicBatcher> batchers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        ort =
                OrtBackend.builder()
                        .setModel(TinyModels.tsam())
                        .setEnvironment(ENV)
                        .optIntraOpThreads(1)
                        .build();
        backend = new ControlledBackend(ort, 0);
        predictor =
                Predictor.builder()
                        .setBackend(backend)
                        .setMetadata(ModelMetadata.parse(ort.metadata(), ort.modelFile()))
                        .build();
    }

    @AfterEach
    void tearDown() {
        backend.release();
        batchers.forEach(DynamicBatcher::close);
        ort.close();
    }

    private DynamicBatcher batcher(int maxBatch, Duration maxDelay, int maxQueue) {
        DynamicBatcher batcher =
                new DynamicBatcher(predictor, maxBatch, maxDelay, maxQueue, new ServeMetrics());
        batchers.add(batcher);
        return batcher;
    }

    /** {@code n} clips whose video values are all {@code value}. */
    private static PreparedVideo clips(int n, float value) {
        List<ClipTensors> clips = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] video = new float[3 * 3 * 32 * 32];
            Arrays.fill(video, value + i);
            clips.add(new ClipTensors(video, new float[3 * 32 * 32], false, new int[0]));
        }
        return new PreparedVideo(Path.of("test"), 0, clips, n, AudioState.PRESENT, 0, 0);
    }

    private static CompletableFuture<DynamicBatcher.Result> submit(
            DynamicBatcher.Admission admission, PreparedVideo video) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (admission) {
                        return admission.run(video);
                    }
                });
    }

    @Test
    void eachRequestGetsItsOwnRowsOfTheBatch() throws Exception {
        DynamicBatcher batcher = batcher(8, Duration.ofSeconds(5), 8);
        DynamicBatcher.Admission a = batcher.admit();
        DynamicBatcher.Admission b = batcher.admit();
        CompletableFuture<DynamicBatcher.Result> first = submit(a, clips(2, 0.1f));
        CompletableFuture<DynamicBatcher.Result> second = submit(b, clips(1, 0.9f));

        DynamicBatcher.Result one = first.get(10, TimeUnit.SECONDS);
        DynamicBatcher.Result two = second.get(10, TimeUnit.SECONDS);

        assertEquals(List.of(3), backend.batches(), "both requests ran in one batch");
        assertEquals(3, one.batchClips());
        Predictor reference =
                Predictor.builder()
                        .setBackend(ort)
                        .setMetadata(ModelMetadata.parse(ort.metadata(), ort.modelFile()))
                        .build();
        assertArrayEquals(reference.logits(clips(2, 0.1f).clips()), one.logits(), 1e-5f);
        assertArrayEquals(reference.logits(clips(1, 0.9f).clips()), two.logits(), 1e-5f);
        assertEquals(2, one.prediction().clips());
    }

    @Test
    void aLoneRequestRunsAtOnceWhenNobodyElseIsOnTheWay() throws Exception {
        DynamicBatcher batcher = batcher(8, Duration.ofSeconds(5), 8);
        long start = System.nanoTime();

        submit(batcher.admit(), clips(1, 0)).get(10, TimeUnit.SECONDS);

        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 2500, "ran after " + millis + " ms, not the 5 s max delay");
    }

    @Test
    void aRequestWaitsAtMostTheMaxDelayForOnesStillArriving() throws Exception {
        DynamicBatcher batcher = batcher(8, Duration.ofMillis(300), 8);
        DynamicBatcher.Admission late = batcher.admit();
        long start = System.nanoTime();

        submit(batcher.admit(), clips(1, 0)).get(10, TimeUnit.SECONDS);

        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 250, "waited " + millis + " ms for the late request");
        assertTrue(millis < 5000, "but no longer than the max delay: " + millis + " ms");
        late.close();
    }

    @Test
    void aLateRequestWithinTheDelayJoinsTheBatch() throws Exception {
        DynamicBatcher batcher = batcher(8, Duration.ofSeconds(5), 8);
        DynamicBatcher.Admission late = batcher.admit();
        CompletableFuture<DynamicBatcher.Result> early = submit(batcher.admit(), clips(1, 0));
        Thread.sleep(100);
        assertFalse(early.isDone(), "the early request waits for the late one");

        submit(late, clips(2, 0.5f)).get(10, TimeUnit.SECONDS);

        assertEquals(3, early.get(10, TimeUnit.SECONDS).batchClips());
        assertEquals(List.of(3), backend.batches());
    }

    @Test
    void batchesTakeRequestsInOrderWhileTheyFit() throws Exception {
        DynamicBatcher batcher = batcher(4, Duration.ZERO, 8);
        backend.hold();
        CompletableFuture<DynamicBatcher.Result> blocker = submit(batcher.admit(), clips(1, 0));
        assertTrue(backend.awaitRun(10));
        List<CompletableFuture<DynamicBatcher.Result>> queued = new ArrayList<>();
        for (int clips : new int[] {3, 2, 6, 1}) {
            queued.add(submit(batcher.admit(), clips(clips, 0)));
            while (batcher.queued() < queued.size()) {
                Thread.sleep(2);
            }
        }
        backend.release();
        blocker.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<DynamicBatcher.Result> f : queued) {
            f.get(10, TimeUnit.SECONDS);
        }

        // 3 fits, 3 + 2 does not; 2 alone, 2 + 6 does not; 6 is over the max, so alone; then 1.
        assertEquals(List.of(1, 3, 2, 6, 1), backend.batches());
    }

    @Test
    void admissionIsBoundedAndEndsWithClose() {
        DynamicBatcher batcher = batcher(8, Duration.ZERO, 2);
        DynamicBatcher.Admission a = batcher.admit();
        DynamicBatcher.Admission b = batcher.admit();

        ServeException full = assertThrows(ServeException.class, batcher::admit);
        assertEquals(ServeException.Reason.QUEUE_FULL, full.reason());
        a.close();
        a.close();
        batcher.admit().close();

        assertFalse(batcher.close(Duration.ofMillis(50)), "b is still admitted");
        ServeException closing = assertThrows(ServeException.class, batcher::admit);
        assertEquals(ServeException.Reason.CLOSING, closing.reason());
        ServeException late = assertThrows(ServeException.class, () -> b.run(clips(1, 0)));
        assertEquals(ServeException.Reason.CLOSING, late.reason());
        assertEquals(2, batcher.peakAdmitted());
        b.close();
    }
}
