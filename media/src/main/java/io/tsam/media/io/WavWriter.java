package io.tsam.media.io;

import io.tsam.common.io.AtomicFile;
import io.tsam.media.audio.AudioTrack;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Writes an audio track as a 16-bit PCM {@code .wav} at its own rate and channel count, as TSAM's
 * {@code video2frames.py --audio} leaves it for training from extracted files.
 */
public final class WavWriter {
    private WavWriter() {}

    /** Writes {@code track} to {@code file} (not atomically; wrap in {@link AtomicFile}). */
    public static void write(Path file, AudioTrack track) throws IOException {
        float[][] channels = track.channels();
        int frames = track.samples();
        ByteBuffer pcm =
                ByteBuffer.allocate(frames * channels.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            for (float[] channel : channels) {
                float v = Math.max(-1f, Math.min(1f, channel[i]));
                pcm.putShort((short) Math.round(v * Short.MAX_VALUE));
            }
        }
        AudioFormat format = new AudioFormat(track.sampleRate(), 16, channels.length, true, false);
        try (AudioInputStream stream =
                new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, frames)) {
            AudioSystem.write(stream, AudioFileFormat.Type.WAVE, file.toFile());
        }
    }
}
