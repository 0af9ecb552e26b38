package io.tsam.exporter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsam.config.LabelNames;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.TestNets;
import io.tsam.model.net.PyTorchNames;
import io.tsam.model.net.TsamNet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The structure and metadata of an exported model (its numbers are in the parity test). */
class TsamOnnxExporterTest {

    private static final String SHA = "ab".repeat(32);
    private static final int SIZE = 32;
    private static final int CLASSES = 4;

    private static NDManager manager;
    private static TsamConfig config;
    private static TsamNet net;
    private static ModelProto model;

    @BeforeAll
    static void export() {
        manager = NDManager.newBaseManager(Device.cpu());
        config =
                TestNets.config(
                        "resnet18", 3, 1, new ShiftConfig(true, 4, 2, 1, 0, ShiftStyle.TSAM), SIZE);
        net = TestNets.net(manager, config, CLASSES, 3);
        model =
                TsamOnnxExporter.builder()
                        .setNet(net)
                        .setConfig(config)
                        .setCheckpointSha256(SHA)
                        .build()
                        .export();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void passesTheStructuralChecksWithOpset17AndIrVersion8() {
        assertEquals(List.of(), OnnxModelCheck.problems(model));
        assertEquals(8, model.getIrVersion());
        assertEquals(1, model.getOpsetImportCount());
        assertEquals("", model.getOpsetImport(0).getDomain());
        assertEquals(17, model.getOpsetImport(0).getVersion());
        assertEquals(TsamOnnxFormat.PRODUCER_NAME, model.getProducerName());
        assertEquals(TsamOnnxFormat.PRODUCER_VERSION, model.getProducerVersion());
    }

    @Test
    void inputsAndOutputHaveTheContractNamesWithASymbolicBatch() {
        List<ValueInfoProto> inputs = model.getGraph().getInputList();
        assertEquals(2, inputs.size());
        assertEquals("video", inputs.get(0).getName());
        assertEquals(List.of("N", "3", "3", "32", "32"), dims(inputs.get(0)));
        assertEquals("audio", inputs.get(1).getName());
        assertEquals(List.of("N", "3", "32", "32"), dims(inputs.get(1)));
        assertEquals(1, model.getGraph().getOutputCount());
        assertEquals("logits", model.getGraph().getOutput(0).getName());
        assertEquals(List.of("N", "4"), dims(model.getGraph().getOutput(0)));
    }

    @Test
    void theBackboneHasOneWeightInitialiserPerConvForAllImages() {
        Set<String> convWeights = new HashSet<>();
        int convNodes = 0;
        for (NodeProto node : model.getGraph().getNodeList()) {
            if (node.getOpType().equals("Conv")) {
                convNodes++;
                convWeights.add(node.getInput(1));
            }
        }
        long convParameters =
                PyTorchNames.of(net).values().stream()
                        .filter(p -> p.getArray().getShape().dimension() == 4)
                        .count();
        Map<String, TensorProto> initialisers = new HashMap<>();
        model.getGraph().getInitializerList().forEach(t -> initialisers.put(t.getName(), t));
        long rank4 = initialisers.values().stream().filter(t -> t.getDimsCount() == 4).count();

        assertEquals(20, convParameters, "ResNet-18 has 20 convs");
        assertEquals(convParameters, convNodes);
        assertEquals(convParameters, convWeights.size());
        assertEquals(convParameters, rank4);
        assertTrue(initialisers.keySet().containsAll(convWeights));
        assertTrue(
                convWeights.contains("base_model.layer1.0.conv1.net.weight"),
                convWeights::toString);
        Map<String, Integer> uses = new HashMap<>();
        model.getGraph()
                .getNodeList()
                .forEach(n -> n.getInputList().forEach(i -> uses.merge(i, 1, Integer::sum)));
        for (String name : initialisers.keySet()) {
            assertEquals(1, uses.getOrDefault(name, 0), name + " is used once");
        }
    }

    @Test
    void theFileIsWithinFivePercentOfTheWeights() {
        long weightBytes = 0;
        for (Parameter parameter : PyTorchNames.of(net).values()) {
            weightBytes += parameter.getArray().size() * Float.BYTES;
        }
        double ratio = (double) model.getSerializedSize() / weightBytes;

        assertTrue(Math.abs(ratio - 1) < 0.05, "size / weight bytes = " + ratio);
    }

    @Test
    void censusHasOneGatherPerShiftedBlockAndNoControlFlow() {
        OpCensus census = OpCensus.of(model);

        assertEquals(8, census.count("Gather"), census::toString);
        assertEquals(0, census.count("ScatterND") + census.count("Loop") + census.count("If"));
        assertEquals(0, census.count("Where") + census.count("BatchNormalization"));
        assertEquals(1, census.count("Gemm"));
        assertEquals(1, census.count("ReduceMean"));
        assertEquals(census.total(), model.getGraph().getNodeCount());
    }

    @Test
    void metadataCarriesLabelsConfigPreprocessingAndChecksum() throws Exception {
        Map<String, String> metadata = metadata(model);
        ObjectMapper json = new ObjectMapper();

        assertEquals(
                List.of(
                        "tsam.format_version",
                        "tsam.labels",
                        "tsam.config",
                        "tsam.preprocessing",
                        "tsam.checkpoint_sha256"),
                List.copyOf(metadata.keySet()));
        assertEquals("[\"0\",\"1\",\"2\",\"3\"]", metadata.get("tsam.labels"));
        assertEquals(config, TsamConfig.parse(metadata.get("tsam.config"), null));
        assertEquals(SHA, metadata.get("tsam.checkpoint_sha256"));
        JsonNode pre = json.readTree(metadata.get("tsam.preprocessing"));
        assertEquals(3, pre.get("video_segments").asInt());
        assertEquals(1, pre.get("audio_segments").asInt());
        assertEquals(SIZE, pre.get("crop_size").asInt());
        assertEquals(SIZE, pre.get("scale_size").asInt());
        assertEquals("square", pre.get("resize_mode").asText());
        assertEquals("[0.485,0.456,0.406]", pre.get("mean").toString());
        assertEquals("[0.229,0.224,0.225]", pre.get("std").toString());
        JsonNode audio = pre.get("audio");
        assertEquals(16000, audio.get("sample_rate").asInt());
        assertEquals("[[25.0,10.0],[50.0,25.0],[100.0,50.0]]", audio.get("windows_ms").toString());
        assertEquals(128, audio.get("n_mels").asInt());
        assertEquals(8000.0, audio.get("f_max").asDouble());
    }

    @Test
    void givenLabelsAreWrittenAndMustMatchTheClasses() {
        LabelNames labels = new LabelNames(List.of("run", "jump", "swim", "ride"));
        ModelProto named =
                TsamOnnxExporter.builder()
                        .setNet(net)
                        .setConfig(config)
                        .optLabels(labels)
                        .setCheckpointSha256(SHA)
                        .build()
                        .export();

        assertEquals("[\"run\",\"jump\",\"swim\",\"ride\"]", metadata(named).get("tsam.labels"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TsamOnnxExporter.builder()
                                        .setNet(net)
                                        .setConfig(config)
                                        .optLabels(new LabelNames(List.of("a", "b")))
                                        .setCheckpointSha256(SHA)
                                        .build());
        assertTrue(e.getMessage().contains("2 label names but the head has 4"), e.getMessage());
    }

    @Test
    void aVideoOnlyModelHasOnlyTheVideoInput() {
        TsamConfig videoOnly = TestNets.config("resnet18", 2, 0, ShiftConfig.defaults(), SIZE);
        try (NDManager scope = manager.newSubManager()) {
            TsamNet videoNet = TestNets.net(scope, videoOnly, 2, 4);
            ModelProto exported =
                    TsamOnnxExporter.builder()
                            .setNet(videoNet)
                            .setConfig(videoOnly)
                            .setCheckpointSha256(SHA)
                            .build()
                            .export();

            assertEquals(1, exported.getGraph().getInputCount());
            assertEquals("video", exported.getGraph().getInput(0).getName());
            assertEquals(0, OpCensus.of(exported).count("Concat"), "no audio to concatenate");
        }
    }

    @Test
    void aConfigThatIsNotTheNetsIsRejected() {
        TsamConfig other = TestNets.config("resnet18", 4, 1, ShiftConfig.defaults(), SIZE);

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TsamOnnxExporter.builder()
                                        .setNet(net)
                                        .setConfig(other)
                                        .setCheckpointSha256(SHA)
                                        .build());
        assertTrue(e.getMessage().contains("the net was built from"), e.getMessage());
    }

    private static Map<String, String> metadata(ModelProto model) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (StringStringEntryProto entry : model.getMetadataPropsList()) {
            metadata.put(entry.getKey(), entry.getValue());
        }
        return metadata;
    }

    private static List<String> dims(ValueInfoProto value) {
        return value.getType().getTensorType().getShape().getDimList().stream()
                .map(
                        (TensorShapeProto.Dimension d) ->
                                d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue()))
                .toList();
    }
}
