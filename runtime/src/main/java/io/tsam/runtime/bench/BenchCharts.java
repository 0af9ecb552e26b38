package io.tsam.runtime.bench;

import io.tsam.common.io.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG charts of a model benchmark: the latency distribution of each batch size as box plots,
 * and throughput against batch size. Rendering is off-screen AWT; the launcher and the tests run
 * headless.
 */
public final class BenchCharts {

    /** The latency chart's file name. */
    public static final String LATENCY_FILE = "latency.png";

    /** The throughput chart's file name. */
    public static final String THROUGHPUT_FILE = "throughput.png";

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private BenchCharts() {}

    /**
     * Writes {@value #LATENCY_FILE} and {@value #THROUGHPUT_FILE} into {@code dir}, atomically.
     *
     * @throws IllegalArgumentException if there are no results
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, List<BatchResult> results) throws IOException {
        AtomicFile.write(dir.resolve(LATENCY_FILE), latency(results));
        AtomicFile.write(dir.resolve(THROUGHPUT_FILE), throughput(results));
    }

    /** The PNG bytes of one box plot per batch size, latency in milliseconds. */
    public static byte[] latency(List<BatchResult> results) throws IOException {
        checkNotEmpty(results);
        BoxChart chart =
                new BoxChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title("Model latency per batch")
                        .xAxisTitle("batch size")
                        .yAxisTitle("latency per run (ms)")
                        .build();
        chart.getStyler().setLegendVisible(false);
        for (BatchResult result : results) {
            chart.addSeries(
                    "batch " + result.batch(),
                    result.samplesMs().stream().mapToDouble(Double::doubleValue).toArray());
        }
        return png(chart);
    }

    /** The PNG bytes of throughput in clips per second against batch size. */
    public static byte[] throughput(List<BatchResult> results) throws IOException {
        checkNotEmpty(results);
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title("Throughput")
                        .xAxisTitle("batch size")
                        .yAxisTitle("clips per second")
                        .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        XYSeries series =
                chart.addSeries(
                        "model only",
                        results.stream().map(r -> (double) r.batch()).toList(),
                        results.stream().map(BatchResult::clipsPerSecond).toList());
        series.setMarker(SeriesMarkers.CIRCLE);
        return png(chart);
    }

    private static void checkNotEmpty(List<BatchResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no batch results to chart");
        }
    }

    private static byte[] png(Chart<?, ?> chart) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        return out.toByteArray();
    }
}
