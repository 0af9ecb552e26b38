package io.tsam.media.pipeline;

import io.tsam.media.audio.AudioImage;
import io.tsam.media.audio.AudioTrack;
import io.tsam.media.audio.TsamAudioImage;

/**
 * The audio segment's {@code [3, crop, crop]} image of a stretch of sound, by the model's input
 * profile: TSAM's code ({@link TsamAudioImage}) or the ImageNet practice ({@link AudioImage}). A
 * whole clip's track and a window's slice of it are built the same way.
 */
public final class AudioSegmentImage {

    private final MediaConfig config;
    private final TsamAudioImage tsam;

    public AudioSegmentImage(MediaConfig config) {
        this.config = config;
        this.tsam = new TsamAudioImage(config.audioImage(), config.cropSize(), config.cropSize());
    }

    /**
     * The image of {@code track}.
     *
     * @throws IllegalArgumentException if TSAM's spectrogram settings cannot take the track's
     *     sample rate
     */
    public float[] of(AudioTrack track) {
        int size = config.cropSize();
        return config.tsamProfile() ? tsam.build(track) : AudioImage.fromTrack(track, size, size);
    }

    /** The image of silence, for a video without sound. */
    public float[] silence() {
        int size = config.cropSize();
        return config.tsamProfile() ? tsam.silence() : AudioImage.silence(size, size);
    }

    /** TSAM's image builder, for the training-time waveform shift. */
    TsamAudioImage tsam() {
        return tsam;
    }
}
