package io.tsam.model.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.tsam.model.net.PyTorchNames;
import io.tsam.model.net.TsamNet;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves weights between a {@link TsamNet} and state dicts under the PyTorch names of {@link
 * PyTorchNames}: loading a weights file into the net, and collecting the net's weights to save.
 */
public final class NetWeights {
    private static final Logger logger = LoggerFactory.getLogger(NetWeights.class);

    private static final String ENGINE = "PyTorch";
    private static final String HEAD_WEIGHT = "new_fc.weight";

    private NetWeights() {}

    /**
     * Loads a weights file into an initialised net: a native checkpoint (a {@code .safetensors}
     * file with its sidecar, whose hash is checked), a TSM/TSAM checkpoint or a torchvision/timm
     * ResNet state dict ({@code .pth}/{@code .pt} or {@code .safetensors}; see {@link
     * TensorFiles#read} and {@link StateDict#map}). The values are copied into the net's existing
     * parameter arrays, which keep their device, type and gradient settings; for a torchvision
     * state dict the head keeps its initialisation.
     *
     * @return which kind of file it was
     * @throws CheckpointException if the file cannot be read or does not match the net; the net is
     *     then unchanged
     * @throws IllegalStateException if the net is not initialised
     */
    public static StateDict.Form load(TsamNet net, Path file) {
        LinkedHashMap<String, Parameter> parameters = PyTorchNames.of(net);
        Map<String, Shape> expected = shapes(parameters);
        String engine = firstArray(parameters).getManager().getEngine().getEngineName();
        // Read on the host: the copy into the parameters moves the values to their device.
        try (NDManager scope = NDManager.newBaseManager(Device.cpu(), engine)) {
            Map<String, NDArray> raw =
                    isNativeCheckpoint(file)
                            ? NativeCheckpoint.readWeights(file, scope)
                            : TensorFiles.read(file, scope);
            StateDict stateDict = StateDict.map(file, raw, expected);
            copyInto(net, stateDict);
            logger.info("{}: {}", file, stateDict.summary());
            return stateDict.form();
        }
    }

    /**
     * The number of classes of a checkpoint's head: the rows of {@code new_fc.weight}, so a net can
     * be built to match a file before {@link #load} fills it.
     *
     * @throws CheckpointException if the file cannot be read or has no {@code new_fc.weight} (a
     *     backbone-only state dict has no head)
     */
    public static int headClasses(Path file) {
        try (NDManager scope = NDManager.newBaseManager(Device.cpu(), ENGINE)) {
            Map<String, NDArray> raw =
                    isNativeCheckpoint(file)
                            ? NativeCheckpoint.readWeights(file, scope)
                            : TensorFiles.read(file, scope);
            for (Map.Entry<String, NDArray> entry : raw.entrySet()) {
                String name = entry.getKey();
                if (name.equals(HEAD_WEIGHT) || name.equals("module." + HEAD_WEIGHT)) {
                    Shape shape = entry.getValue().getShape();
                    if (shape.dimension() != 2) {
                        throw new CheckpointException(
                                file, name + " must be [classes, features], got " + shape);
                    }
                    return Math.toIntExact(shape.get(0));
                }
            }
            throw new CheckpointException(
                    file,
                    "has no "
                            + HEAD_WEIGHT
                            + ": it is not a TSM/TSAM checkpoint (a plain ResNet state dict has no"
                            + " TSAM head)");
        }
    }

    /**
     * Copies a mapped state dict into an initialised net's parameter arrays (see {@link #load}).
     *
     * @throws IllegalArgumentException if a name is not one of the net's or a shape differs
     */
    public static void copyInto(TsamNet net, StateDict stateDict) {
        LinkedHashMap<String, Parameter> parameters = PyTorchNames.of(net);
        // Check everything before writing anything, so a bad state dict leaves the net unchanged.
        for (Map.Entry<String, NDArray> entry : stateDict.tensors().entrySet()) {
            Parameter parameter = parameters.get(entry.getKey());
            if (parameter == null) {
                throw new IllegalArgumentException(
                        "the net has no parameter named " + entry.getKey());
            }
            NDArray target = array(parameter, entry.getKey());
            if (!target.getShape().equals(entry.getValue().getShape())) {
                throw new IllegalArgumentException(
                        entry.getKey()
                                + " has shape "
                                + Arrays.toString(entry.getValue().getShape().getShape())
                                + " but the net's parameter has "
                                + Arrays.toString(target.getShape().getShape()));
            }
        }
        stateDict
                .tensors()
                .forEach((name, source) -> copy(source, array(parameters.get(name), name)));
    }

    /**
     * The net's weights under their PyTorch names, in network order, for {@link
     * NativeCheckpoint#write}: the live parameter arrays, owned by the net (do not close them).
     *
     * @throws IllegalStateException if the net is not initialised
     */
    public static LinkedHashMap<String, NDArray> collect(TsamNet net) {
        LinkedHashMap<String, NDArray> weights = new LinkedHashMap<>();
        PyTorchNames.of(net)
                .forEach((name, parameter) -> weights.put(name, array(parameter, name)));
        return weights;
    }

    /**
     * Writes the values in place, so the array keeps its identity and gradient attachment. An
     * indexed put rather than {@code set(Buffer)}: DJL's buffer copy enters libtorch's deprecated
     * {@code AutoNonVariableTypeMode}, whose warning would be printed by every command that loads a
     * checkpoint.
     */
    private static void copy(NDArray source, NDArray target) {
        try (NDManager scope = source.getManager().newSubManager()) {
            NDArray converted = source.toType(target.getDataType(), true);
            converted.attach(scope);
            target.set(new NDIndex(":"), converted.toDevice(target.getDevice(), false));
        }
    }

    private static boolean isNativeCheckpoint(Path file) {
        return file.getFileName().toString().endsWith(".safetensors")
                && NativeCheckpoint.sidecarOf(file).toFile().isFile();
    }

    private static Map<String, Shape> shapes(Map<String, Parameter> parameters) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        parameters.forEach(
                (name, parameter) -> shapes.put(name, array(parameter, name).getShape()));
        return shapes;
    }

    private static NDArray firstArray(Map<String, Parameter> parameters) {
        Map.Entry<String, Parameter> first = parameters.entrySet().iterator().next();
        return array(first.getValue(), first.getKey());
    }

    private static NDArray array(Parameter parameter, String name) {
        if (!parameter.isInitialized()) {
            throw new IllegalStateException(
                    "parameter " + name + " is not initialised; initialise the net first");
        }
        return parameter.getArray();
    }
}
