package io.tsam.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.backend.ExecutionProvider;
import io.tsam.backend.TinyModels;
import io.tsam.runtime.predict.Prediction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsamModelTest {

    @TempDir Path dir;

    private Path firstVideo() throws Exception {
        Path videos = SynthVideos.perClass(dir.resolve("synth"));
        try (var files = Files.list(videos)) {
            return files.sorted().findFirst().orElseThrow();
        }
    }

    @Test
    void oneCallOpensAModelThatPredicts() throws Exception {
        Path video = firstVideo();
        try (TsamModel model =
                TsamModel.open(
                        TinyModels.tsam(),
                        TsamModel.Options.defaults().withThreads(1).withClips(2))) {
            Prediction prediction = model.predict(video);
            assertEquals(8, prediction.ranking().size());
            assertEquals(2, prediction.clips());
            assertEquals(2 * 8, prediction.logits().length, "the logits come with the ranking");
            assertEquals("cpu", model.backend().provider());
            assertEquals(8, model.metadata().labels().size());
        }
    }

    @Test
    void enginesTakeNoOnnxRuntimeProviderAndMissingFilesAreNamed() {
        IllegalArgumentException engine =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TsamModel.open(
                                        dir.resolve("model.plan"),
                                        TsamModel.Options.defaults()
                                                .withProvider(ExecutionProvider.CUDA)));
        assertTrue(
                engine.getMessage().contains("applies to .onnx models only"), engine.getMessage());
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TsamModel.open(dir.resolve("missing.onnx")));
        assertEquals(dir.resolve("missing.onnx") + ": no such file", missing.getMessage());
    }

    /** The README's embedding example, compiled and run as a user would. */
    @Test
    void theReadmeExampleCompilesAndRuns() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        Matcher block =
                Pattern.compile(
                                "### Embedding the runtime in a Java service.*?```java\\n(.*?)```",
                                Pattern.DOTALL)
                        .matcher(readme);
        assertTrue(block.find(), "README.md has the embedding example");
        Path source = Files.createDirectories(dir.resolve("src")).resolve("Classify.java");
        Files.writeString(source, block.group(1));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status =
                javac.run(
                        null,
                        diagnostics,
                        diagnostics,
                        "-classpath",
                        System.getProperty("java.class.path"),
                        "-d",
                        classes.toString(),
                        source.toString());
        assertEquals(0, status, diagnostics.toString(StandardCharsets.UTF_8));

        Path video = firstVideo();
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader =
                new URLClassLoader(
                        new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("Classify").getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(
                    null, (Object) new String[] {TinyModels.tsam().toString(), video.toString()});
        } finally {
            System.setOut(original);
        }
        String line = printed.toString(StandardCharsets.UTF_8).trim();
        String[] parts = line.split(" ");
        assertEquals(2, parts.length, line);
        List<String> labels;
        try (TsamModel model = TsamModel.open(TinyModels.tsam())) {
            labels = model.metadata().labels().names();
        }
        assertTrue(labels.contains(parts[0]), line);
        double probability = Double.parseDouble(parts[1]);
        assertTrue(probability > 0 && probability <= 1, line);
    }
}
