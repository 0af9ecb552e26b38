package io.tsam.exporter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tsam.config.LabelNames;
import io.tsam.config.ModelMetadata;
import io.tsam.config.Preprocessing;
import io.tsam.config.ShiftConfig;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.TestNets;
import io.tsam.media.audio.AudioImage;
import io.tsam.media.audio.LogMelSpectrogram;
import io.tsam.media.image.Normalization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the exporter writes is what the runtime's reader ({@link ModelMetadata}) reads. */
class TsamOnnxFormatTest {

    private static final String SHA = "cd".repeat(32);

    @Test
    void metadataReadsBackWithTheMediaPipelinesParameters() {
        TsamConfig config = TestNets.config("resnet18", 3, 1, ShiftConfig.defaults(), 32);
        LabelNames labels = new LabelNames(List.of("a", "b"));

        Map<String, String> properties = TsamOnnxFormat.metadata(config, labels, SHA);
        ModelMetadata read = ModelMetadata.parse(properties, Path.of("m.onnx"));

        assertEquals(config, read.config());
        assertEquals(labels, read.labels());
        assertEquals(SHA, read.checkpointSha256());
        Preprocessing pre = read.preprocessing();
        assertEquals(Normalization.MEAN, pre.mean());
        assertEquals(Normalization.STD, pre.std());
        assertEquals(AudioImage.SAMPLE_RATE, pre.audio().sampleRate());
        assertEquals(AudioImage.MEL_BANDS, pre.audio().melBands());
        assertEquals(LogMelSpectrogram.LOG_OFFSET, pre.audio().logOffset());
        assertEquals(
                List.of(
                        new Preprocessing.MelWindow(25, 10),
                        new Preprocessing.MelWindow(50, 25),
                        new Preprocessing.MelWindow(100, 50)),
                pre.audio().windows());
        assertEquals(
                properties.get(TsamOnnxFormat.PREPROCESSING), TsamOnnxFormat.preprocessing(config));
    }

    @Test
    void namesAreTheSharedContractsNames() {
        assertEquals("video", TsamOnnxFormat.VIDEO);
        assertEquals("audio", TsamOnnxFormat.AUDIO);
        assertEquals("logits", TsamOnnxFormat.LOGITS);
        assertEquals("N", TsamOnnxFormat.BATCH);
        assertEquals("tsam.checkpoint_sha256", TsamOnnxFormat.CHECKPOINT_SHA256);
    }

    @Test
    void aMalformedChecksumIsRejected() {
        TsamConfig config = TestNets.config("resnet18", 2, 0, ShiftConfig.defaults(), 32);

        assertThrows(
                IllegalArgumentException.class,
                () -> TsamOnnxFormat.metadata(config, LabelNames.indices(2), "ABC"));
    }
}
