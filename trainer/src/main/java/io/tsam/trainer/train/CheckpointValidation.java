package io.tsam.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.DataConfig;
import io.tsam.config.LabelNames;
import io.tsam.config.TsamConfig;
import io.tsam.config.VideoList;
import io.tsam.model.checkpoint.CheckpointInfo;
import io.tsam.model.checkpoint.NativeCheckpoint;
import io.tsam.model.checkpoint.NetWeights;
import io.tsam.model.net.TsamNet;
import io.tsam.trainer.data.ClipDataset;
import io.tsam.trainer.metrics.ClassificationMetrics;
import io.tsam.trainer.report.ConfusionMatrixChart;
import io.tsam.trainer.report.ScoresFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --validate}: scores a checkpoint on the validation list with {@code
 * model_validation.num_clips} clips per video and writes {@code scores.json} (per-video
 * probabilities, as MMAction2's {@code --out}), {@code validation.json} and the confusion matrix.
 *
 * <p>A native checkpoint brings its own network, augmentation and label names in its sidecar; only
 * {@code model_validation}, {@code batch_size} and {@code num_workers} come from the given config.
 * A {@code .pth} or TSM-layout {@code .safetensors} file is built with the given config and its
 * head's number of classes.
 */
public final class CheckpointValidation {
    private static final String ENGINE = "PyTorch";

    private CheckpointValidation() {}

    /**
     * Validates {@code checkpoint} and writes the results into {@code folder}.
     *
     * @throws IllegalArgumentException for an unreadable or mismatching checkpoint, list or media
     * @throws IOException if writing the results fails
     */
    public static ClassificationMetrics run(
            DataConfig data,
            TsamConfig given,
            Path checkpoint,
            RunFolder folder,
            Device device,
            TrainingListener listener)
            throws IOException {
        TsamConfig config;
        LabelNames labels;
        if (Files.isRegularFile(NativeCheckpoint.sidecarOf(checkpoint))) {
            CheckpointInfo info = NativeCheckpoint.readInfo(checkpoint);
            config =
                    info.config()
                            .withModelValidation(given.modelValidation())
                            .withTrainingParam(given.trainingParam());
            labels = info.labels();
        } else {
            config = given;
            int classes = NetWeights.headClasses(checkpoint);
            labels = data.labelsFile().map(LabelNames::read).orElse(LabelNames.indices(classes));
            if (labels.size() != classes) {
                throw new IllegalArgumentException(
                        data.labelsFile().get()
                                + ": has "
                                + labels.size()
                                + " label names but "
                                + checkpoint
                                + " has "
                                + classes
                                + " classes");
            }
        }
        VideoList list = VideoList.read(data.valList()).requireLabelsBelow(labels.size());
        ClipDataset dataset = ClipDataset.validation(data, config, list);
        Evaluation evaluation;
        try (NDManager manager = NDManager.newBaseManager(device, ENGINE)) {
            TsamNet net =
                    TsamNet.builder()
                            .setModel(config.model())
                            .setShift(config.shiftTemporal())
                            .setClasses(labels.size())
                            .build();
            int crop = config.dataAugmentation().cropSize();
            int batchSize = config.trainingParam().batchSize();
            net.initialize(manager, DataType.FLOAT32, net.inputShapes(batchSize, crop, crop));
            NetWeights.load(net, checkpoint);
            evaluation =
                    Evaluation.run(
                            net,
                            new ParameterStore(manager, false),
                            manager,
                            dataset,
                            batchSize,
                            Math.max(1, config.trainingParam().numWorkers()),
                            config.modelValidation().average(),
                            listener,
                            "validate");
        }
        Files.createDirectories(folder.dir());
        ClassificationMetrics metrics = evaluation.metrics();
        ScoresFile.write(folder.scores(), labels, evaluation.scores().videos());
        ConfusionMatrixChart.write(folder.confusion(), metrics.confusion(), labels.names());
        writeSummary(folder.validation(), checkpoint, config, metrics);
        return metrics;
    }

    private static void writeSummary(
            Path file, Path checkpoint, TsamConfig config, ClassificationMetrics metrics)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode node = mapper.createObjectNode();
        node.put("checkpoint", checkpoint.toAbsolutePath().toString());
        node.put("checkpoint_sha256", NativeCheckpoint.sha256(checkpoint));
        node.put("videos", metrics.count());
        node.put("clips_per_video", config.modelValidation().numClips());
        node.put("top1", metrics.top1());
        node.put("top5", metrics.top5());
        node.put("top_k", ClassificationMetrics.topK(metrics.classes()));
        node.put("mean_class_accuracy", metrics.meanClassAccuracy());
        node.put("loss", metrics.meanLoss().orElse(Double.NaN));
        AtomicFile.write(file, mapper.writeValueAsBytes(node));
    }
}
