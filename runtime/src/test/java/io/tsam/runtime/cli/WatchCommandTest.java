package io.tsam.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tsam.backend.TinyModels;
import io.tsam.media.audio.AudioTrack;
import io.tsam.media.synth.SynthClass;
import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SyntheticDataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tsam-run watch} on a file read in real time, on a local HTTP stream, and on a long one.
 */
class WatchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    private static Path threeSeconds;

    @BeforeAll
    static void writeVideos() throws IOException {
        threeSeconds = dir.resolve("three.mp4");
        SyntheticDataset.writeSequence(
                threeSeconds,
                spec(1.0),
                List.of(
                        SynthClass.GROWING_LOW,
                        SynthClass.LEFT_TO_RIGHT_HIGH,
                        SynthClass.SHRINKING_HIGH));
    }

    private static SynthSpec spec(double seconds) {
        return SynthSpec.defaults().withSize(64, 48).withSeconds(seconds).withFps(12);
    }

    @Test
    void aFileReadInRealTimeGivesWhatPredictOverTimeGives() throws IOException {
        Object[] options = {
            threeSeconds,
            "--model",
            TinyModels.tsam(),
            "--threads",
            1,
            "--window",
            "1s",
            "--stride",
            "0.5s",
            "--json"
        };
        long start = System.nanoTime();
        TsamRunCall watch = TsamRunCall.run(concat(new Object[] {"watch", "--realtime"}, options));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, watch.status(), watch.err());
        TsamRunCall predict = TsamRunCall.run(concat(new Object[] {"predict"}, options));
        List<JsonNode> live = watch.json();
        List<JsonNode> file = predict.json();
        assertEquals(5, file.size(), predict.out());
        assertEquals(file.size() + 1, live.size(), watch.out());
        assertTrue(seconds > 2.5, "read at its own pace: " + seconds + " s");
        for (int k = 0; k < file.size(); k++) {
            JsonNode a = file.get(k);
            JsonNode b = live.get(k);
            assertEquals(a.get("window").asInt(), b.get("window").asInt());
            assertEquals(a.get("start").asDouble(), b.get("start").asDouble(), 1e-9);
            assertEquals(a.get("end").asDouble(), b.get("end").asDouble(), 1e-9);
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        a.get("top").get(i).get("label").asText(),
                        b.get("top").get(i).get("label").asText(),
                        "window " + k + " rank " + i);
                assertEquals(
                        a.get("top").get(i).get("prob").asDouble(),
                        b.get("top").get(i).get("prob").asDouble(),
                        1e-4,
                        "window " + k + " rank " + i);
            }
            assertTrue(b.get("latency_ms").asDouble() > 0);
        }
        JsonNode summary = live.get(live.size() - 1).get("summary");
        assertEquals(5, summary.get("windows").asInt());
    }

    @Test
    void memoryStaysFlatOnALongStream() throws IOException {
        Path minute = dir.resolve("minute.mp4");
        List<SynthClass> classes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            classes.add(SynthClass.values()[i % SynthClass.values().length]);
        }
        SyntheticDataset.writeSequence(minute, spec(2.0), classes);
        TsamRunCall watch =
                TsamRunCall.run(
                        "watch",
                        minute,
                        "--model",
                        TinyModels.tsam(),
                        "--window",
                        "2s",
                        "--stride",
                        "1s",
                        "--json");
        assertEquals(0, watch.status(), watch.err());
        List<JsonNode> rows = watch.json();
        JsonNode summary = rows.get(rows.size() - 1).get("summary");
        assertEquals(59, summary.get("windows").asInt(), "k + 2 <= 60");
        int rate = AudioTrack.read(minute).orElseThrow().sampleRate();
        assertTrue(
                summary.get("peak_open_windows").asInt() <= 3,
                "a window every second, two seconds long: " + summary);
        assertTrue(
                summary.get("peak_sound_samples").asInt() <= 3 * rate + 4096,
                "the sound of one window and a stride: " + summary);
    }

    private static Object[] concat(Object[] first, Object[] second) {
        Object[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    /** The file as an MPEG-TS stream, which a server can send without seeking. */
    private static byte[] transportStream(Path mp4) throws IOException {
        Path ts = dir.resolve(mp4.getFileName() + ".ts");
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(mp4.toFile())) {
            grabber.start();
            try (FFmpegFrameRecorder recorder =
                    new FFmpegFrameRecorder(
                            ts.toFile(), grabber.getImageWidth(), grabber.getImageHeight(), 1)) {
                recorder.setFormat("mpegts");
                recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                recorder.setVideoQuality(2);
                recorder.setFrameRate(grabber.getFrameRate());
                recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                recorder.setSampleRate(grabber.getSampleRate());
                recorder.start();
                Frame frame;
                while ((frame = grabber.grab()) != null) {
                    recorder.record(frame);
                }
            }
        }
        return Files.readAllBytes(ts);
    }

    @Test
    void anHttpStreamThatDropsIsReopenedAndAGoneSourceEndsWithOneLine() throws Exception {
        byte[] stream = transportStream(threeSeconds);
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/live.ts",
                exchange -> {
                    int n = requests.incrementAndGet();
                    if (n > 2) {
                        exchange.sendResponseHeaders(404, -1);
                        exchange.close();
                        return;
                    }
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream body = exchange.getResponseBody()) {
                        // The first connection drops halfway through.
                        body.write(stream, 0, n == 1 ? stream.length / 2 : stream.length);
                    } catch (IOException e) {
                        // The client went away.
                    }
                });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/live.ts";
            TsamRunCall watch =
                    TsamRunCall.run(
                            "watch",
                            url,
                            "--model",
                            TinyModels.tsam(),
                            "--window",
                            "1s",
                            "--stride",
                            "0.5s",
                            "--reconnect",
                            2,
                            "--reconnect-delay",
                            "50ms");
            assertEquals(4, watch.status(), watch.out() + watch.err());
            List<String> lines = watch.out().strip().lines().toList();
            assertTrue(lines.contains("reconnected to " + url), watch.out());
            long windows =
                    lines.stream().filter(l -> l.matches(" +[0-9.]+ +[0-9.]+ .*ms\\)")).count();
            assertTrue(windows >= 6, "both connections' windows: " + watch.out());
            List<String> err = watch.err().strip().lines().toList();
            assertEquals(1, err.size(), watch.err());
            assertTrue(err.get(0).startsWith("error: " + url + ": "), err.get(0));
            assertTrue(err.get(0).endsWith("; gave up after 2 reconnect attempts"), err.get(0));
            assertTrue(requests.get() >= 4, "one drop, one whole stream, refusals: " + requests);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void sigintStopsAfterTheWindowInProgressWithASummary() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process =
                new ProcessBuilder(
                                java.toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                TsamRun.class.getName(),
                                "watch",
                                threeSeconds.toString(),
                                "--model",
                                TinyModels.tsam().toString(),
                                "--window",
                                "1s",
                                "--stride",
                                "0.5s",
                                "--realtime",
                                "--json")
                        .redirectErrorStream(false)
                        .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertTrue(first != null && first.contains("\"window\":0"), String.valueOf(first));
            lines.add(first);
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        JsonNode summary = JSON.readTree(lines.get(lines.size() - 1)).get("summary");
        assertTrue(summary != null, lines.toString());
        assertTrue(summary.get("windows").asInt() < 5, lines.toString());
        assertEquals(lines.size() - 1, summary.get("windows").asInt(), lines.toString());
    }
}
