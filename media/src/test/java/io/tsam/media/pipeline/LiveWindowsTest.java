package io.tsam.media.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tsam.config.ResizeMode;
import io.tsam.media.pipeline.WindowedVideo.WindowClip;
import io.tsam.media.synth.SynthClass;
import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SyntheticDataset;
import io.tsam.media.video.LiveSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveWindowsTest {

    @TempDir Path dir;

    /**
     * Window midpoints that fall exactly on frames (1 s, 3 segments, 12 fps), where a reader that
     * rounds timestamps and one that truncates them would pick different frames.
     */
    @Test
    void aFileReadAsALiveSourceGivesTheFileWindowsBitForBit() throws IOException {
        Path video = dir.resolve("three.mp4");
        SyntheticDataset.writeSequence(
                video,
                SynthSpec.defaults().withSize(64, 48).withSeconds(1.0).withFps(12),
                List.of(
                        SynthClass.GROWING_LOW,
                        SynthClass.LEFT_TO_RIGHT_HIGH,
                        SynthClass.SHRINKING_HIGH));
        MediaConfig config = MediaConfig.imagenet(3, true, 36, 32, ResizeMode.SQUARE, false);
        SlidingWindows windows = new SlidingWindows(1.0, 0.5, 3);
        List<WindowClip> file = new ArrayList<>();
        WindowedVideo.run(video, config, windows, file::add);
        List<WindowClip> live = new ArrayList<>();
        LiveWindows stream = new LiveWindows(config, windows, live::add);
        try (LiveSource source = LiveSource.open(video.toString(), false, 0)) {
            source.read(stream, () -> false);
        }
        assertEquals(1, stream.end(), "the window begun at 2.5 s runs past the end at 3 s");
        assertEquals(5, file.size());
        assertEquals(file.size(), live.size());
        for (int k = 0; k < file.size(); k++) {
            assertEquals(file.get(k).window().start(), live.get(k).window().start());
            assertArrayEquals(
                    file.get(k).clip().video(), live.get(k).clip().video(), "window " + k);
            assertArrayEquals(
                    file.get(k).clip().audio(), live.get(k).clip().audio(), "window " + k);
        }
        assertEquals(0, stream.openWindows());
    }
}
