package io.tsam.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.DataConfig;
import io.tsam.config.LabelNames;
import io.tsam.config.TsamConfig;
import io.tsam.config.VideoList;
import io.tsam.model.checkpoint.CheckpointInfo;
import io.tsam.model.checkpoint.NativeCheckpoint;
import io.tsam.model.checkpoint.NetWeights;
import io.tsam.model.net.PyTorchNames;
import io.tsam.model.net.TsamNet;
import io.tsam.trainer.data.Batch;
import io.tsam.trainer.data.BatchLoader;
import io.tsam.trainer.data.ClipDataset;
import io.tsam.trainer.metrics.EpochMeter;
import io.tsam.trainer.optim.GradientClipping;
import io.tsam.trainer.optim.LabelSmoothingCrossEntropy;
import io.tsam.trainer.optim.LrSchedule;
import io.tsam.trainer.optim.TsamOptimizer;
import io.tsam.trainer.report.ConfusionMatrixChart;
import io.tsam.trainer.report.EpochRecord;
import io.tsam.trainer.report.MetricsLog;
import io.tsam.trainer.report.TrainingCurves;
import io.tsam.trainer.report.ValidationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One training run of TSAM, as TSAM's {@code main.py} does it: SGD or AdamW over the training list,
 * validation every {@code eval_freq} epochs, and after each epoch {@code metrics.jsonl}, the
 * curves, the {@code best} and {@code last} checkpoints in the {@link RunFolder}.
 *
 * <p>Every file is replaced atomically and the {@code last} checkpoint is written after everything
 * else of its epoch, so a run killed at any moment resumes ({@link Builder#optResume}) from the
 * last complete epoch: its weights, optimizer state and step count. The data order and augmentation
 * of an epoch depend only on the seed and the epoch, so a resumed run sees the same batches;
 * dropout draws are not replayed.
 */
public final class TrainingRun {
    private static final String ENGINE = "PyTorch";

    private final DataConfig data;
    private final TsamConfig config;
    private final RunFolder folder;
    private final Device device;
    private final boolean resume;
    private final Optional<Path> pretrained;
    private final TrainingListener listener;

    private TrainingRun(Builder builder) {
        this.data = builder.data;
        this.config = builder.config;
        this.folder = builder.folder;
        this.device = builder.device;
        this.resume = builder.resume;
        this.pretrained = builder.pretrained.or(() -> builder.config.model().backboneWeights());
        this.listener = builder.listener;
    }

    /** A builder; data, config and run folder are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains until {@code training_param.epochs} epochs are done.
     *
     * @return what the run ended with
     * @throws IllegalArgumentException for unusable inputs (lists, media files, a run folder that
     *     holds another run, a resume without a checkpoint); the message names the file or flag
     * @throws IOException if writing the run's files fails
     */
    public TrainingSummary train() throws IOException {
        VideoList trainList = VideoList.read(data.trainList());
        int classes = trainList.numClasses();
        trainList.requireConsecutiveLabels(classes);
        VideoList valList = VideoList.read(data.valList()).requireLabelsBelow(classes);
        LabelNames labels = labelNames(classes);
        ClipDataset trainSet = ClipDataset.training(data, config, trainList);
        ClipDataset valSet = ClipDataset.validation(data, config, valList);
        int batchSize = config.trainingParam().batchSize();
        int workers = Math.max(1, config.trainingParam().numWorkers());
        int epochs = config.trainingParam().epochs();
        int iterations = trainSet.batchCount(batchSize);
        LrSchedule schedule = new LrSchedule(config.optimizerParam(), epochs, iterations);
        // Only once every setting is known to work: a rejected run leaves no folder that would
        // make the corrected command ask for --resume.
        prepareFolder();
        LabelSmoothingCrossEntropy loss =
                new LabelSmoothingCrossEntropy(config.trainingParam().labelSmoothing());

        Engine.getInstance().setRandomSeed((int) config.trainingParam().seed());
        try (NDManager manager = NDManager.newBaseManager(device, ENGINE)) {
            TsamNet net =
                    TsamNet.builder()
                            .setModel(config.model())
                            .setShift(config.shiftTemporal())
                            .setClasses(classes)
                            .build();
            int crop = config.dataAugmentation().cropSize();
            net.initialize(manager, DataType.FLOAT32, net.inputShapes(batchSize, crop, crop));
            LinkedHashMap<String, Parameter> parameters = PyTorchNames.of(net);
            ParameterStore store = new ParameterStore(manager, false);
            MetricsLog log = MetricsLog.open(folder.metrics());
            try (TsamOptimizer optimizer =
                    TsamOptimizer.create(config.optimizerParam(), parameters)) {
                int start = resume ? restore(net, optimizer, manager, log) : initialise(net, log);
                Best best = Best.of(log);
                for (int epoch = start; epoch < epochs; epoch++) {
                    long started = System.nanoTime();
                    EpochMeter meter = new EpochMeter();
                    double firstLr = schedule.lr(epoch, 0);
                    String task = "epoch " + (epoch + 1) + "/" + epochs;
                    listener.passStarted(task, (long) iterations * batchSize);
                    try (BatchLoader loader =
                            BatchLoader.builder()
                                    .setDataset(trainSet)
                                    .setBatchSize(batchSize)
                                    .setEpoch(epoch)
                                    .optWorkers(workers)
                                    .build()) {
                        int iteration = 0;
                        for (Batch batch : loader) {
                            step(
                                    net,
                                    store,
                                    manager,
                                    batch,
                                    loss,
                                    optimizer,
                                    parameters,
                                    meter,
                                    schedule.lr(epoch, iteration),
                                    epoch,
                                    iteration);
                            iteration++;
                        }
                    } finally {
                        listener.passFinished();
                    }
                    double trainSeconds = (System.nanoTime() - started) / 1e9;
                    Optional<Evaluation> evaluation = Optional.empty();
                    int evalFreq = config.trainingParam().evalFreq();
                    if ((epoch + 1) % evalFreq == 0 || epoch == epochs - 1) {
                        evaluation =
                                Optional.of(
                                        Evaluation.run(
                                                net,
                                                store,
                                                manager,
                                                valSet,
                                                batchSize,
                                                workers,
                                                config.modelValidation().average(),
                                                listener,
                                                "validate " + (epoch + 1)));
                    }
                    EpochRecord record =
                            new EpochRecord(
                                    epoch,
                                    firstLr,
                                    meter.meanLoss(),
                                    meter.top1(),
                                    evaluation.map(e -> ValidationResult.of(e.metrics())),
                                    meter.count() / trainSeconds,
                                    (System.nanoTime() - started) / 1e9);
                    boolean isBest = best.offer(record);
                    saveEpoch(net, optimizer, labels, record, evaluation, isBest, best, log);
                    listener.epochFinished(record, epochs, isBest);
                }
                return new TrainingSummary(
                        folder, epochs, best.top1(), best.epoch(), optimizer.steps());
            }
        }
    }

    private void step(
            TsamNet net,
            ParameterStore store,
            NDManager manager,
            Batch batch,
            LabelSmoothingCrossEntropy loss,
            TsamOptimizer optimizer,
            Map<String, Parameter> parameters,
            EpochMeter meter,
            double lr,
            int epoch,
            int iteration) {
        try (NDManager scope = manager.newSubManager()) {
            NDList inputs = BatchInputs.of(batch, scope);
            NDArray labels = BatchInputs.labels(batch, scope);
            optimizer.zeroGrad();
            NDArray logits;
            NDArray value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                logits = net.forward(store, inputs, true).singletonOrThrow();
                value = loss.loss(logits, labels);
                collector.backward(value);
            }
            double lossValue = value.getFloat();
            if (!Double.isFinite(lossValue)) {
                throw new IllegalStateException(
                        "the training loss became "
                                + lossValue
                                + " at epoch "
                                + (epoch + 1)
                                + ", iteration "
                                + (iteration + 1)
                                + "; lower optimizer_param.lr or set training_param.clip_gradient");
            }
            GradientClipping.clipGradNorm(parameters, config.trainingParam().clipGradient());
            optimizer.step(lr);
            meter.add(logits.toFloatArray(), net.classes(), batch.labels(), lossValue);
            listener.batchDone(batch.size(), lossValue);
        }
    }

    /** Starts a fresh run: configs copied, optional pretrained weights loaded; returns epoch 0. */
    private int initialise(TsamNet net, MetricsLog log) throws IOException {
        if (pretrained.isPresent()) {
            Path file = pretrained.get();
            listener.info(
                    "initialised from "
                            + file
                            + " ("
                            + NetWeights.load(net, file).description()
                            + ")");
        }
        log.keepBefore(0);
        return 0;
    }

    /**
     * Loads the newest complete resume state (weights, optimizer state) and returns the next epoch;
     * a run killed before its first epoch finished starts over.
     */
    private int restore(TsamNet net, TsamOptimizer optimizer, NDManager manager, MetricsLog log)
            throws IOException {
        List<Path> states = folder.resumeCheckpoints();
        if (states.isEmpty()) {
            listener.info("resuming " + folder.dir() + ": no epoch had finished; starting over");
            return initialise(net, log);
        }
        Path state = states.get(states.size() - 1);
        CheckpointInfo info = NativeCheckpoint.readInfo(state);
        NetWeights.load(net, state);
        try (NDManager scope = manager.newSubManager()) {
            optimizer.loadState(
                    NativeCheckpoint.readOptimizerState(state, scope)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    state + ": holds no optimizer state")));
        }
        int dropped = log.keepBefore(info.epoch());
        listener.info(
                "resuming "
                        + folder.dir()
                        + " after epoch "
                        + info.epoch()
                        + (dropped > 0 ? " (dropped " + dropped + " unfinished epoch lines)" : ""));
        return info.epoch();
    }

    private void saveEpoch(
            TsamNet net,
            TsamOptimizer optimizer,
            LabelNames labels,
            EpochRecord record,
            Optional<Evaluation> evaluation,
            boolean isBest,
            Best best,
            MetricsLog log)
            throws IOException {
        log.append(record);
        TrainingCurves.write(folder.curves(), log.records());
        if (evaluation.isPresent()) {
            ConfusionMatrixChart.write(
                    folder.confusion(), evaluation.get().metrics().confusion(), labels.names());
        }
        ObjectNode state = new ObjectMapper().createObjectNode();
        state.put("epochs_completed", record.epoch() + 1);
        state.put("optimizer_steps", optimizer.steps());
        CheckpointInfo info =
                CheckpointInfo.builder()
                        .setConfig(config)
                        .setLabels(labels)
                        .setEpoch(record.epoch() + 1)
                        .optMetrics(checkpointMetrics(record))
                        .optTrainerState(state)
                        .build();
        Map<String, NDArray> weights = NetWeights.collect(net);
        if (isBest) {
            NativeCheckpoint.write(folder.bestCheckpoint(), info, weights, Map.of());
        }
        List<Path> older = folder.resumeCheckpoints();
        NativeCheckpoint.write(
                folder.resumeCheckpoint(record.epoch() + 1), info, weights, optimizer.state());
        NativeCheckpoint.write(folder.lastCheckpoint(), info, weights, Map.of());
        // Only now that a newer set is complete may the previous one go; its sidecar goes first
        // so that a kill mid-delete never leaves a sidecar without its tensors.
        for (Path old : older) {
            Files.deleteIfExists(NativeCheckpoint.sidecarOf(old));
            Files.deleteIfExists(old);
            Files.deleteIfExists(NativeCheckpoint.optimizerStateOf(old));
        }
    }

    private static Map<String, Double> checkpointMetrics(EpochRecord record) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train_loss", record.trainLoss());
        metrics.put("train_top1", record.trainTop1());
        record.validation()
                .ifPresent(
                        v -> {
                            metrics.put("val_loss", v.loss());
                            metrics.put("val_top1", v.top1());
                            metrics.put("val_top5", v.top5());
                            metrics.put("val_mean_class", v.meanClass());
                        });
        return metrics;
    }

    private LabelNames labelNames(int classes) {
        if (data.labelsFile().isEmpty()) {
            return LabelNames.indices(classes);
        }
        Path file = data.labelsFile().get();
        LabelNames names = LabelNames.read(file);
        if (names.size() != classes) {
            throw new IllegalArgumentException(
                    file
                            + ": has "
                            + names.size()
                            + " label names but "
                            + data.trainList()
                            + " has "
                            + classes
                            + " classes");
        }
        return names;
    }

    /** Checks the folder against --resume and writes the config copies of a new run. */
    private void prepareFolder() throws IOException {
        if (resume) {
            if (!folder.isStarted()) {
                throw new IllegalArgumentException(
                        "--resume: "
                                + folder.dir()
                                + " holds no run (no "
                                + folder.modelConfig().getFileName()
                                + "); check --run_id and results_folder");
            }
            removeTemporaryFiles(folder.dir());
            removeTemporaryFiles(folder.checkpoints());
            TsamConfig saved = TsamConfig.loadStored(folder.modelConfig());
            if (!saved.model().equals(config.model())
                    || !saved.shiftTemporal().equals(config.shiftTemporal())
                    || !saved.dataAugmentation().equals(config.dataAugmentation())) {
                throw new IllegalArgumentException(
                        "--resume: the model, shift_temporal or data_augmentation section differs"
                                + " from the run's own "
                                + folder.modelConfig()
                                + "; resume with that file as --config");
            }
        } else if (folder.isStarted()) {
            throw new IllegalArgumentException(
                    folder.dir()
                            + " already holds a run; pass --resume to continue it or choose"
                            + " another --run_id");
        }
        Files.createDirectories(folder.checkpoints());
        DataConfig absolute =
                new DataConfig(
                        folder.dir(),
                        data.dataRoot().toString(),
                        data.dirVideos(),
                        data.dirFrames(),
                        data.dirAudios(),
                        data.fileTrainList(),
                        data.fileValList(),
                        data.framesTmpl(),
                        data.fileLabels());
        AtomicFile.write(folder.dataConfig(), absolute.toJson().getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(folder.modelConfig(), config.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes the temporary files a killed run can leave beside the files it was replacing. */
    private void removeTemporaryFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(RunFolder::isTemporary).toList()) {
                Files.deleteIfExists(file);
                listener.info("removed " + file + ", left by an interrupted write");
            }
        }
    }

    /** Builds a {@link TrainingRun}. */
    public static final class Builder {
        private DataConfig data;
        private TsamConfig config;
        private RunFolder folder;
        private Device device = Device.cpu();
        private boolean resume;
        private Optional<Path> pretrained = Optional.empty();
        private TrainingListener listener = TrainingListener.NONE;

        private Builder() {}

        /** The data file: lists and media folders. */
        public Builder setData(DataConfig data) {
            this.data = data;
            return this;
        }

        /** The model file: network, augmentation, optimizer and schedule. */
        public Builder setConfig(TsamConfig config) {
            this.config = config;
            return this;
        }

        /** Where the run writes its files. */
        public Builder setRunFolder(RunFolder folder) {
            this.folder = folder;
            return this;
        }

        /** The device to train on; the CPU by default. */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /** Continue the run in the folder from its last complete epoch. */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * Initial weights for a new run: a torchvision/timm ResNet state dict (backbone only) or a
         * TSM/TSAM checkpoint; overrides {@code model.backbone_weights}.
         */
        public Builder optPretrained(Path file) {
            this.pretrained = Optional.of(file);
            return this;
        }

        /** Receives progress; nothing by default. */
        public Builder optListener(TrainingListener listener) {
            this.listener = listener;
            return this;
        }

        /** Checks that the required parts are set. */
        public TrainingRun build() {
            Objects.requireNonNull(data, "setData is required");
            Objects.requireNonNull(config, "setConfig is required");
            Objects.requireNonNull(folder, "setRunFolder is required");
            return new TrainingRun(this);
        }
    }
}
