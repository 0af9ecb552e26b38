package io.tsam.benchmarks;

import io.tsam.common.io.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts a process's resident memory over time from {@code seconds,rss_kib} lines ({@code
 * benchmarks/watch-memory.sh} writes them). Usage: {@code RssChart RSS.csv OUT.png TITLE}.
 */
public final class RssChart {

    private RssChart() {}

    public static void main(String[] args) throws IOException {
        List<Double> seconds = new ArrayList<>();
        List<Double> mib = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] fields = line.split(",");
            if (fields.length != 2 || !fields[0].matches("[0-9]+")) {
                continue;
            }
            seconds.add(Double.parseDouble(fields[0]));
            mib.add(Double.parseDouble(fields[1]) / 1024);
        }
        if (seconds.isEmpty()) {
            throw new IllegalArgumentException(args[0] + ": no seconds,rss_kib samples");
        }
        XYChart chart =
                new XYChartBuilder()
                        .width(900)
                        .height(400)
                        .title(args.length > 2 ? args[2] : "resident memory")
                        .xAxisTitle("wall time (s)")
                        .yAxisTitle("RSS (MiB)")
                        .build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.addSeries("RSS", seconds, mib).setMarker(SeriesMarkers.NONE);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
        AtomicFile.write(Path.of(args[1]), png.toByteArray());
        System.out.printf(
                "%d samples over %.0f s: RSS %.0f MiB at the start, %.0f at the end, %.0f at most%n",
                seconds.size(),
                seconds.get(seconds.size() - 1),
                mib.get(0),
                mib.get(mib.size() - 1),
                mib.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }
}
