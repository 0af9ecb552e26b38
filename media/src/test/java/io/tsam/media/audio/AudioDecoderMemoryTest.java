package io.tsam.media.audio;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading an audio track must leave the process's free native memory alone. JavaCV's grabber ended
 * every track with {@code malloc_trim}, which handed all free pages (libtorch's activations, the
 * JVM's buffers) back to the kernel; a training run then spent a quarter of its time faulting them
 * back in.
 */
class AudioDecoderMemoryTest {
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 256;

    @Test
    void readingATrackDoesNotReleaseFreeNativeMemory(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux's /proc");
        Path file = dir.resolve("tone.m4a");
        AudioTrackTest.writeMedia(
                file, "mp4", avcodec.AV_CODEC_ID_AAC, 16000, new double[] {440.0}, 1.0, false);
        AudioTrack.read(file); // loads the natives and warms the decoder

        Pointer keep = allocateTouchAndFree();
        long before = minorFaults();
        for (int i = 0; i < 5; i++) {
            AudioTrack.read(file);
            Pointer again = allocateTouchAndFree();
            Pointer.free(again);
        }
        long faults = minorFaults() - before;
        Pointer.free(keep);

        // 5 rounds of 16 MiB re-touched: 20480 faults if the free pages had been given back.
        assertTrue(faults < 4096, faults + " page faults re-touching freed memory");
    }

    /**
     * Allocates 16 MiB in chunks below glibc's mmap threshold, touches them and frees all but a
     * last chunk, which keeps the heap's top from being trimmed on its own: only an explicit trim
     * can return the freed pages.
     */
    private static Pointer allocateTouchAndFree() {
        Pointer[] chunks = new Pointer[CHUNKS + 1];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = Pointer.malloc(CHUNK);
            Pointer.memset(chunks[i], 1, CHUNK);
        }
        for (int i = 0; i < CHUNKS; i++) {
            Pointer.free(chunks[i]);
        }
        return chunks[CHUNKS];
    }

    private static long minorFaults() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        // Fields after the command name, which is in parentheses and may hold spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[7]);
    }
}
