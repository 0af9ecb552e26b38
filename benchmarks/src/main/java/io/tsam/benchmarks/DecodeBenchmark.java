package io.tsam.benchmarks;

import io.tsam.media.sampling.SegmentSampler;
import io.tsam.media.video.FfmpegLogging;
import io.tsam.media.video.VideoFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much decoding a test clip costs: opens each video, reads the {@code T} test frames, and
 * records frames decoded, seeks and wall time, next to a full sequential decode of the same file.
 *
 * <p>Usage: {@code DecodeBenchmark OUT.json SEGMENTS REPEATS VIDEO...}
 */
public final class DecodeBenchmark {
    private DecodeBenchmark() {}

    /** Runs the measurement and writes the JSON report. */
    public static void main(String[] args) throws Exception {
        FfmpegLogging.quietUnlessVerbose(args);
        Path out = Path.of(args[0]);
        int segments = Integer.parseInt(args[1]);
        int repeats = Integer.parseInt(args[2]);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : Arrays.copyOfRange(args, 3, args.length)) {
            Path video = Path.of(name);
            double[] openMs = new double[repeats];
            double[] readMs = new double[repeats];
            double[] readAllMs = new double[repeats];
            double[] fullMs = new double[repeats];
            long decoded = 0;
            long decodedAll = 0;
            long seeks = 0;
            int frames = 0;
            int[] indices = null;
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                try (VideoFile file = VideoFile.open(video)) {
                    long t1 = System.nanoTime();
                    frames = file.frameCount();
                    indices = SegmentSampler.test(frames, segments, 0, 1);
                    file.read(indices);
                    long t2 = System.nanoTime();
                    openMs[r] = (t1 - t0) / 1e6;
                    readMs[r] = (t2 - t1) / 1e6;
                    decoded = file.stats().framesDecoded();
                    seeks = file.stats().seeks();
                }
                // The same read decoding every picture on the way, side by side.
                try (VideoFile file = VideoFile.open(video)) {
                    file.skipNonReference(false);
                    long t = System.nanoTime();
                    file.read(indices);
                    readAllMs[r] = (System.nanoTime() - t) / 1e6;
                    decodedAll = file.stats().framesDecoded();
                }
                long t3 = System.nanoTime();
                try (VideoFile file = VideoFile.open(video)) {
                    file.forEach((index, micros, image) -> {});
                }
                fullMs[r] = (System.nanoTime() - t3) / 1e6;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("video", video.getFileName().toString());
            row.put("frames", frames);
            row.put("segments", segments);
            row.put("indices", indices);
            row.put("frames_decoded", decoded);
            row.put("seeks", seeks);
            row.put("open_ms_median", median(openMs));
            row.put("read_ms_median", median(readMs));
            row.put("frames_decoded_without_skipping", decodedAll);
            row.put("read_without_skipping_ms_median", median(readAllMs));
            row.put("full_decode_ms_median", median(fullMs));
            rows.add(row);
            System.out.printf(
                    "%s: %d frames, T=%d -> decoded %d (%d without skipping non-reference"
                            + " pictures), %d seeks, open %.1f ms, read %.1f ms (%.1f ms without"
                            + " skipping; full decode %.1f ms)%n",
                    row.get("video"),
                    frames,
                    segments,
                    decoded,
                    decodedAll,
                    seeks,
                    median(openMs),
                    median(readMs),
                    median(readAllMs),
                    median(fullMs));
        }
        BenchmarkReport.write(
                out, "decode T test frames vs full decode", Map.of("repeats", repeats), rows);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
