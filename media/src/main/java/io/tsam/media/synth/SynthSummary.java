package io.tsam.media.synth;

import java.nio.file.Path;

/**
 * What {@link SyntheticDataset#generate} wrote.
 *
 * @param outDir the data set folder
 * @param videos videos written
 * @param trainingVideos videos in the training list
 * @param validationVideos videos in the validation list
 * @param totalVideoSeconds summed duration of all videos
 * @param elapsedSeconds wall-clock time the generation took
 * @param videoCodec the FFmpeg video encoder used ({@code libopenh264} or {@code mpeg4})
 * @param trainingList the training list file
 * @param validationList the validation list file
 * @param labelsFile the label-name file
 * @param dataConfig the data config file
 */
public record SynthSummary(
        Path outDir,
        int videos,
        int trainingVideos,
        int validationVideos,
        double totalVideoSeconds,
        double elapsedSeconds,
        String videoCodec,
        Path trainingList,
        Path validationList,
        Path labelsFile,
        Path dataConfig) {}
