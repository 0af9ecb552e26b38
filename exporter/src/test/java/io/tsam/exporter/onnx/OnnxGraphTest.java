package io.tsam.exporter.onnx;

import static io.tsam.exporter.onnx.OnnxAttributes.integer;
import static io.tsam.exporter.onnx.OnnxAttributes.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxGraphTest {

    private static final List<Dim> SHAPE = List.of(Dim.named("N"), Dim.of(4));

    @Test
    void nodeWithTheWrongArityFailsWithTheOperatorSignature() {
        OnnxGraph graph = new OnnxGraph("g");
        OnnxRef x = graph.input("x", SHAPE);

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> graph.node("add", OnnxOp.ADD, List.of(x), List.of()));

        assertTrue(e.getMessage().contains("Add(A, B) -> C"), e.getMessage());
        assertTrue(e.getMessage().contains("1 inputs"), e.getMessage());
    }

    @Test
    void unknownDuplicateAndMissingAttributesAreRejected() {
        OnnxGraph graph = new OnnxGraph("g");
        OnnxRef x = graph.input("x", SHAPE);

        IllegalArgumentException unknown =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                graph.node(
                                        "r", OnnxOp.RELU, List.of(x), List.of(integer("axis", 1))));
        IllegalArgumentException twice =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                graph.node(
                                        "f",
                                        OnnxOp.FLATTEN,
                                        List.of(x),
                                        List.of(integer("axis", 1), integer("axis", 0))));
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> graph.node("c", OnnxOp.CONCAT, List.of(x, x), List.of()));

        assertTrue(unknown.getMessage().contains("has no attribute axis"), unknown.getMessage());
        assertTrue(twice.getMessage().contains("set twice"), twice.getMessage());
        assertTrue(missing.getMessage().contains("needs the attribute axis"), missing.getMessage());
    }

    @Test
    void refsOfAnotherGraphAndUndefinedValuesAreRejected() {
        OnnxGraph graph = new OnnxGraph("g");
        OnnxRef other = new OnnxGraph("other").input("x", SHAPE);
        graph.input("x", SHAPE);

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> graph.node("r", OnnxOp.RELU, List.of(other), List.of()));

        assertTrue(e.getMessage().contains("another graph"), e.getMessage());
    }

    @Test
    void namesAreMadeUniqueAndTheOutputIsRenamedEverywhere() {
        OnnxGraph graph = new OnnxGraph("g");
        OnnxRef x = graph.input("x", SHAPE);
        OnnxRef a = graph.node("block/Relu", OnnxOp.RELU, List.of(x), List.of());
        OnnxRef b = graph.node("block/Relu", OnnxOp.RELU, List.of(a), List.of());
        OnnxRef w1 = graph.floatTensor("w", new float[] {1, 2}, 2);
        OnnxRef w2 = graph.floatTensor("w", new float[] {3}, 1);
        OnnxRef sum = graph.node("block/Add", OnnxOp.ADD, List.of(b, w1), List.of());
        graph.node("block/Add", OnnxOp.ADD, List.of(sum, w2), List.of());
        graph.output(sum, "y", SHAPE);

        assertThrows(
                IllegalArgumentException.class,
                () -> graph.node("late", OnnxOp.RELU, List.of(sum), List.of()));
        ModelProto model = graph.toModel("test", "1", Map.of("k", "v"));

        List<String> nodes =
                model.getGraph().getNodeList().stream().map(NodeProto::getName).toList();
        assertEquals(List.of("block/Relu", "block/Relu_1", "block/Add", "block/Add_1"), nodes);
        assertEquals("w_1", w2.name());
        assertEquals("y", model.getGraph().getNode(2).getOutput(0));
        assertEquals("y", model.getGraph().getNode(3).getInput(0));
        assertEquals(List.of(), OnnxModelCheck.problems(model));
        assertEquals(OnnxOp.IR_VERSION, model.getIrVersion());
        assertEquals(OnnxOp.OPSET_VERSION, model.getOpsetImport(0).getVersion());
        assertEquals(
                "N",
                model.getGraph()
                        .getInput(0)
                        .getType()
                        .getTensorType()
                        .getShape()
                        .getDim(0)
                        .getDimParam());
    }

    @Test
    void initialiserShapeMustFitItsData() {
        OnnxGraph graph = new OnnxGraph("g");

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> graph.floatTensor("w", new float[5], 2, 3));

        assertTrue(e.getMessage().contains("[2, 3] (6 values) but 5"), e.getMessage());
    }

    @Test
    void checkerFindsUndefinedInputsAndUnusedInitialisers() {
        OnnxGraph graph = new OnnxGraph("g");
        OnnxRef x = graph.input("x", SHAPE);
        graph.longTensor("unused", new long[] {1}, 1);
        OnnxRef y =
                graph.node(
                        "pool", OnnxOp.MAX_POOL, List.of(x), List.of(ints("kernel_shape", 3, 3)));
        graph.output(y, "y", SHAPE);
        ModelProto good = graph.toModel("test", "1", Map.of());
        ModelProto broken =
                good.toBuilder()
                        .setGraph(
                                good.getGraph().toBuilder()
                                        .setNode(
                                                0,
                                                good.getGraph().getNode(0).toBuilder()
                                                        .setInput(0, "ghost")))
                        .build();

        assertEquals(List.of("initialiser unused is never used"), OnnxModelCheck.problems(good));
        List<String> problems = OnnxModelCheck.problems(broken);
        assertTrue(
                problems.contains("node pool reads ghost before it is defined"),
                problems::toString);
        assertThrows(IllegalStateException.class, () -> OnnxModelCheck.check(broken));
    }
}
