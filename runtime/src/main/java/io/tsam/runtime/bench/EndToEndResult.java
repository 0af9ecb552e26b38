package io.tsam.runtime.bench;

import io.tsam.runtime.predict.AudioState;
import java.nio.file.Path;

/**
 * Repeated predictions of one video, split into where the time went.
 *
 * @param video the video
 * @param clips test clips per prediction
 * @param audio what the audio segment was built from
 * @param decode opening and decoding the file and transforming its frames
 * @param audioFeatures building the audio image
 * @param inference the model runs
 * @param total the whole prediction
 */
public record EndToEndResult(
        Path video,
        int clips,
        AudioState audio,
        LatencyStats decode,
        LatencyStats audioFeatures,
        LatencyStats inference,
        LatencyStats total) {}
