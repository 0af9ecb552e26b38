package io.tsam.trainer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsam.config.ClipAverage;
import io.tsam.config.LabelNames;
import io.tsam.trainer.metrics.VideoScore;
import io.tsam.trainer.metrics.VideoScores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoresFileTest {
    @TempDir Path dir;

    @Test
    void writesParsableScores() throws IOException {
        VideoScores scores = new VideoScores(3, ClipAverage.PROBS);
        scores.add(
                List.of("v/1", "v/1", "v\"2"),
                new int[] {2, 2, 0},
                new float[] {0, 0, 1, 0, 0, 2, 3, 0, 0});
        Path file = dir.resolve(ScoresFile.FILE_NAME);
        ScoresFile.write(file, new LabelNames(List.of("a", "b", "c")), scores.videos());

        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals(List.of("a", "b", "c"), strings(root.get("label_names")));
        JsonNode videos = root.get("videos");
        assertEquals(2, videos.size());
        JsonNode first = videos.get(0);
        assertEquals("v/1", first.get("id").textValue());
        assertEquals(2, first.get("label").intValue());
        assertEquals(2, first.get("predicted").intValue());
        assertEquals(2, first.get("clips").intValue());
        float[] expected = scores.videos().get(0).probabilities();
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            assertEquals(expected[c], first.get("probabilities").get(c).floatValue());
            sum += first.get("probabilities").get(c).doubleValue();
        }
        assertEquals(1.0, sum, 1e-6);
        assertEquals("v\"2", videos.get(1).get("id").textValue());
        assertEquals(0, videos.get(1).get("predicted").intValue());
    }

    @Test
    void rejectsProbabilitiesThatDoNotMatchTheNames() {
        VideoScore video = new VideoScore("v", 0, 1, new float[] {0.5f, 0.5f});
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        ScoresFile.write(
                                dir.resolve("s.json"),
                                new LabelNames(List.of("a", "b", "c")),
                                List.of(video)));
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::textValue).toList();
    }
}
