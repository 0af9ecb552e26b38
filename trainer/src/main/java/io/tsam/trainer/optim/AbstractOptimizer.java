package io.tsam.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bookkeeping every {@link TsamOptimizer} shares: parameters, per-parameter buffers, the step
 * count, the state map and its validation.
 */
abstract class AbstractOptimizer implements TsamOptimizer {

    /** A parameter the optimizer updates. */
    private record Trainable(String name, Parameter parameter, boolean decays) {}

    private final String type;
    private final List<String> bufferNames;
    private final List<Trainable> trainables;
    private final NDManager stateManager;

    /**
     * Parameter name to its buffers, in {@link #bufferNames} order; empty before the first step.
     */
    private final Map<String, NDArray[]> buffers = new LinkedHashMap<>();

    private NDArray stepArray;
    private long steps;
    private boolean closed;

    /**
     * Creates the optimizer over the parameters that require a gradient.
     *
     * @param type the optimizer's name for messages, e.g. {@code SGD}
     * @param bufferNames the per-parameter buffers, as they appear in state keys
     * @param parameters PyTorch name to parameter
     */
    AbstractOptimizer(String type, List<String> bufferNames, Map<String, Parameter> parameters) {
        this.type = type;
        this.bufferNames = List.copyOf(bufferNames);
        List<Trainable> selected = new ArrayList<>();
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            Parameter parameter = entry.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            if (!parameter.isInitialized()) {
                throw new IllegalArgumentException(
                        "parameter "
                                + entry.getKey()
                                + " is not initialised; initialise the model before creating the"
                                + " optimizer");
            }
            String name = entry.getKey();
            boolean decays = WeightDecayPolicy.appliesTo(name, parameter.getArray().getShape());
            selected.add(new Trainable(name, parameter, decays));
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException(
                    "no parameter requires a gradient among " + parameters.keySet());
        }
        this.trainables = List.copyOf(selected);
        // The state lives beside the parameters, on their device.
        this.stateManager = selected.get(0).parameter().getArray().getManager().newSubManager();
    }

    /**
     * Updates one parameter in place.
     *
     * @param weight the parameter's values, detached from autograd (in-place updates write the
     *     parameter)
     * @param grad the parameter's gradient
     * @param buffers the parameter's buffers, or null on the first step
     * @param lr the learning rate
     * @param decays whether weight decay applies to this parameter
     * @param step the 1-based number of this step
     * @return the buffers: those given, or new ones on the first step
     */
    abstract NDArray[] update(
            NDArray weight, NDArray grad, NDArray[] buffers, double lr, boolean decays, long step);

    @Override
    public final void step(double lr) {
        checkOpen();
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(
                    "learning rate must be a finite number >= 0, got " + lr);
        }
        long step = steps + 1;
        for (Trainable trainable : trainables) {
            NDArray array = trainable.parameter().getArray();
            try (NDManager scope = array.getManager().newSubManager()) {
                // A detached view shares the parameter's storage: writing it is PyTorch's no_grad
                // update, and the parameter itself keeps requiring gradients.
                NDArray weight = array.stopGradient();
                weight.attach(scope);
                NDArray grad = array.getGradient();
                grad.attach(scope);
                NDArray[] current = buffers.get(trainable.name());
                if (current != null) {
                    // Operations attach their results to their receiver's manager: while the
                    // buffers sit in the scope, no temporary lands in the long-lived state manager.
                    scope.tempAttachAll(current);
                }
                NDArray[] next = update(weight, grad, current, lr, trainable.decays(), step);
                if (current == null) {
                    for (NDArray buffer : next) {
                        buffer.attach(stateManager);
                    }
                    buffers.put(trainable.name(), next);
                }
            }
        }
        steps = step;
    }

    @Override
    public final void zeroGrad() {
        checkOpen();
        for (Trainable trainable : trainables) {
            NDArray array = trainable.parameter().getArray();
            try (NDManager scope = array.getManager().newSubManager()) {
                NDArray grad = array.getGradient();
                grad.attach(scope);
                // Assigning zeros, not subtracting the gradient from itself, also clears NaN/inf.
                grad.set(new NDIndex("..."), 0);
            }
        }
    }

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final Map<String, NDArray> state() {
        checkOpen();
        // A new scalar rather than set(long[]) on the old one: DJL's buffer copy enters
        // libtorch's deprecated AutoNonVariableTypeMode, whose warning every run would print.
        if (stepArray != null) {
            stepArray.close();
        }
        stepArray = stateManager.create(steps);
        Map<String, NDArray> state = new LinkedHashMap<>();
        state.put(STEP_KEY, stepArray);
        for (Trainable trainable : trainables) {
            NDArray[] arrays = buffers.get(trainable.name());
            if (arrays == null) {
                continue;
            }
            for (int i = 0; i < bufferNames.size(); i++) {
                state.put(key(bufferNames.get(i), trainable.name()), arrays[i]);
            }
        }
        return Collections.unmodifiableMap(state);
    }

    @Override
    public final void loadState(Map<String, NDArray> state) {
        checkOpen();
        long loadedSteps = readSteps(state.get(STEP_KEY));
        List<String> problems = new ArrayList<>();
        Set<String> unexpected = new LinkedHashSet<>(state.keySet());
        unexpected.remove(STEP_KEY);
        List<String> missing = new ArrayList<>();
        for (Trainable trainable : trainables) {
            NDArray array = trainable.parameter().getArray();
            for (String bufferName : bufferNames) {
                String key = key(bufferName, trainable.name());
                boolean present = unexpected.remove(key);
                if (loadedSteps == 0) {
                    if (present) {
                        unexpected.add(key);
                    }
                    continue;
                }
                if (!present) {
                    missing.add(key);
                    continue;
                }
                NDArray value = state.get(key);
                Shape shape = value.getShape();
                DataType dataType = value.getDataType();
                if (!shape.equals(array.getShape()) || dataType != array.getDataType()) {
                    problems.add(
                            key
                                    + " is "
                                    + shape
                                    + " "
                                    + dataType
                                    + ", expected "
                                    + array.getShape()
                                    + " "
                                    + array.getDataType());
                }
            }
        }
        if (!missing.isEmpty()) {
            problems.add(0, "missing " + missing);
        }
        if (!unexpected.isEmpty()) {
            problems.add(
                    0,
                    "unexpected "
                            + unexpected
                            + (loadedSteps == 0 ? " (a state at step 0 has no buffers)" : ""));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "the "
                            + type
                            + " optimizer state does not match the parameters ("
                            + String.join("; ", problems)
                            + "); was it saved by another optimizer or for another model?");
        }
        Map<String, NDArray[]> loaded = new LinkedHashMap<>();
        if (loadedSteps > 0) {
            for (Trainable trainable : trainables) {
                NDArray array = trainable.parameter().getArray();
                NDArray[] arrays = new NDArray[bufferNames.size()];
                for (int i = 0; i < arrays.length; i++) {
                    NDArray value = state.get(key(bufferNames.get(i), trainable.name()));
                    // A real copy: DJL's toDevice(device, true) on the same device shares the
                    // storage, which dies with the caller's array (its direct buffer is freed).
                    arrays[i] =
                            value.getDevice().equals(array.getDevice())
                                    ? value.duplicate()
                                    : value.toDevice(array.getDevice(), true);
                    arrays[i].attach(stateManager);
                }
                loaded.put(trainable.name(), arrays);
            }
        }
        for (NDArray[] arrays : buffers.values()) {
            for (NDArray buffer : arrays) {
                buffer.close();
            }
        }
        buffers.clear();
        buffers.putAll(loaded);
        steps = loadedSteps;
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            stateManager.close();
        }
    }

    private long readSteps(NDArray value) {
        if (value == null) {
            throw new IllegalArgumentException(
                    "the " + type + " optimizer state has no \"" + STEP_KEY + "\" entry");
        }
        DataType dataType = value.getDataType();
        if (value.size() != 1 || (dataType != DataType.INT64 && dataType != DataType.INT32)) {
            throw new IllegalArgumentException(
                    "the optimizer state's \""
                            + STEP_KEY
                            + "\" must be one int64 or int32 value, got "
                            + value.getShape()
                            + " "
                            + dataType);
        }
        long count = dataType == DataType.INT64 ? value.toLongArray()[0] : value.toIntArray()[0];
        if (count < 0) {
            throw new IllegalArgumentException(
                    "the optimizer state's \"" + STEP_KEY + "\" must be >= 0, got " + count);
        }
        return count;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the " + type + " optimizer is closed");
        }
    }

    private static String key(String bufferName, String parameterName) {
        return bufferName + "." + parameterName;
    }
}
