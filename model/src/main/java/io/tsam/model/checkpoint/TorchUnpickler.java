package io.tsam.model.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Unpickles the {@code data.pkl} of a torch.save archive, honouring only the few Python globals a
 * state dict needs.
 *
 * <p>A pickle can name any Python callable and call it (that is how {@code os.system} payloads
 * work), so every global is checked against an allow-list before anything is built: {@code
 * collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2}, {@code
 * torch._utils._rebuild_parameter} and the typed storage classes of {@code torch}. Any other global
 * fails the whole load with a {@link CheckpointException} that names it. Pyrolite keeps its
 * constructors in a static registry shared by the whole JVM, so this class never registers anything
 * there: it intercepts the opcodes that name globals ({@code GLOBAL}, {@code STACK_GLOBAL}, {@code
 * INST}) per instance instead, and also {@code BUILD}, which Pyrolite would otherwise answer by
 * calling a {@code __setstate__} method found by reflection.
 *
 * <p>Tensors are not read here: {@code _rebuild_tensor_v2} yields a {@link TensorRef} and the
 * storages a {@link StorageRef}, so that only the tensors actually wanted are read from the
 * archive. Dicts keep their order. Python values come out as Pyrolite makes them: {@code String},
 * {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double}, {@code Boolean}, {@code null},
 * {@code Object[]} for tuples and {@code List} for lists.
 */
final class TorchUnpickler extends Unpickler {
    private static final short GLOBAL = 'c';
    private static final short STACK_GLOBAL = 0x93;
    private static final short INST = 'i';
    private static final short BUILD = 'b';
    private static final short EMPTY_DICT = '}';
    private static final short DICT = 'd';
    private static final short SETITEMS = 'u';
    private static final short BINSTRING = 'T';
    private static final short BINBYTES = 'B';
    private static final short BINUNICODE = 'X';
    private static final short BINUNICODE8 = 0x8d;
    private static final short BINBYTES8 = 0x8e;
    private static final short BYTEARRAY8 = 0x96;

    /** The storage a tensor views; its bytes are the archive entry {@code data/<key>}. */
    record StorageRef(StoredType type, String key) {}

    /** A tensor of the pickle: its storage and the view into it, all in elements. */
    record TensorRef(StorageRef storage, long offset, long[] shape, long[] strides) {}

    /**
     * A numpy scalar or dtype, as TSAM's training loop stores its scores in a checkpoint's {@code
     * data_state}: kept as an inert value, never used as weights.
     */
    record NumpyValue(String global) {}

    private final Path file;
    private final long maxLength;

    /**
     * @param file the archive being read, named in error messages
     * @param maxLength the most bytes one string or bytes value of the pickle can hold: the
     *     pickle's own size
     */
    TorchUnpickler(Path file, long maxLength) {
        this.file = file;
        this.maxLength = maxLength;
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
            }
            case STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String) || !(name instanceof String)) {
                    throw new PickleException("STACK_GLOBAL needs two strings");
                }
                stack.add(resolve((String) module, (String) name));
            }
            case INST -> {
                // Protocol 0 only; torch.save never writes it, so it is refused whatever it names.
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                throw refused(module + "." + name);
            }
            case BINSTRING, BINBYTES, BINUNICODE -> {
                // Pyrolite allocates a declared length before reading it: 4 bytes of a tiny file
                // could ask for 2 GiB. No value can be longer than the pickle itself.
                checkLength(4);
                return super.dispatch(key);
            }
            case BINUNICODE8, BINBYTES8, BYTEARRAY8 -> {
                checkLength(8);
                return super.dispatch(key);
            }
            case BUILD -> build();
            case EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case DICT -> stack.add(pairs(stack.pop_all_since_marker(), new LinkedHashMap<>()));
            case SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                pairs(items, asMap(stack.peek()));
            }
            default -> {
                return super.dispatch(key);
            }
        }
        return NO_RETURN_VALUE;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        // torch.save writes ('storage', storage class, key, location, numel) for each storage.
        if (pid instanceof Object[] t
                && t.length == 5
                && "storage".equals(t[0])
                && t[1] instanceof StoredType type
                && t[2] instanceof String storageKey) {
            return new StorageRef(type, storageKey);
        }
        throw new PickleException("unexpected persistent id (not a torch storage)");
    }

    /** Reads ahead the little-endian length of the next value and refuses one past the pickle. */
    private void checkLength(int bytes) throws IOException {
        input.mark(bytes);
        byte[] raw = input.readNBytes(bytes);
        input.reset();
        long length = 0;
        for (int i = raw.length - 1; i >= 0; i--) {
            length = (length << 8) | (raw[i] & 0xff);
        }
        if (raw.length < bytes || length < 0 || length > maxLength) {
            throw new PickleException(
                    "a value declares "
                            + Long.toUnsignedString(length)
                            + " bytes, more than the pickle's "
                            + maxLength);
        }
    }

    private Object resolve(String module, String name) {
        String global = module + "." + name;
        IObjectConstructor constructor =
                switch (global) {
                    case "collections.OrderedDict" -> TorchUnpickler::orderedDict;
                    case "torch._utils._rebuild_tensor_v2" -> TorchUnpickler::rebuildTensor;
                    case "torch._utils._rebuild_parameter" -> TorchUnpickler::rebuildParameter;
                    case "_codecs.encode" -> TorchUnpickler::latin1Bytes;
                    case "numpy.core.multiarray.scalar",
                            "numpy._core.multiarray.scalar",
                            "numpy.dtype" ->
                            args -> new NumpyValue(global);
                    default -> null;
                };
        if (constructor != null) {
            return constructor;
        }
        // Storage classes are only ever arguments of a persistent id: the enum is not callable.
        Optional<StoredType> storage =
                module.equals("torch") ? StoredType.ofTorchStorage(name) : Optional.empty();
        return storage.orElseThrow(() -> refused(global));
    }

    private CheckpointException refused(String global) {
        return new CheckpointException(
                file,
                "refused: its pickle references the Python global "
                        + global
                        + ", which is not allowed (only tensors, torch storages, OrderedDict and"
                        + " plain values are); the file may be malicious, or it holds more than"
                        + " weights: re-save only the state dict from Python");
    }

    /**
     * {@code BUILD} on an OrderedDict sets Python attributes (state_dict's _metadata), on a numpy
     * dtype its byte order and flags: drop them.
     */
    private void build() {
        stack.pop();
        if (!(stack.peek() instanceof Map) && !(stack.peek() instanceof NumpyValue)) {
            throw new PickleException("BUILD is only supported on an OrderedDict or numpy dtype");
        }
    }

    private static Map<Object, Object> pairs(List<Object> items, Map<Object, Object> target) {
        if (items.size() % 2 != 0) {
            throw new PickleException("odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            target.put(items.get(i), items.get(i + 1));
        }
        return target;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object value) {
        if (!(value instanceof Map)) {
            throw new PickleException("SETITEMS on something that is not a dict");
        }
        return (Map<Object, Object>) value;
    }

    private static Object orderedDict(Object[] args) {
        Map<Object, Object> map = new LinkedHashMap<>();
        if (args.length == 0) {
            return map;
        }
        if (args.length == 1 && args[0] instanceof List<?> items) {
            for (Object item : items) {
                if (!(item instanceof Object[] pair) || pair.length != 2) {
                    throw new PickleException("OrderedDict items must be (key, value) pairs");
                }
                map.put(pair[0], pair[1]);
            }
            return map;
        }
        throw new PickleException("unexpected OrderedDict arguments");
    }

    /**
     * {@code _codecs.encode(text, "latin1")}: how pickle protocol 2 writes {@code bytes}, e.g. the
     * raw value of a numpy scalar.
     */
    private static Object latin1Bytes(Object[] args) {
        if (args.length != 2 || !(args[0] instanceof String text) || !"latin1".equals(args[1])) {
            throw new PickleException("unexpected _codecs.encode arguments");
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, meta])}. */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4
                || !(args[0] instanceof StorageRef storage)
                || !(args[1] instanceof Number offset)
                || !(args[2] instanceof Object[] size)
                || !(args[3] instanceof Object[] stride)) {
            throw new PickleException("unexpected _rebuild_tensor_v2 arguments");
        }
        return new TensorRef(storage, offset.longValue(), longs(size), longs(stride));
    }

    /** {@code _rebuild_parameter(data, requires_grad, hooks)}: the parameter's tensor. */
    private static Object rebuildParameter(Object[] args) {
        if (args.length < 1 || !(args[0] instanceof TensorRef)) {
            throw new PickleException("unexpected _rebuild_parameter arguments");
        }
        return args[0];
    }

    private static long[] longs(Object[] tuple) {
        long[] values = new long[tuple.length];
        for (int i = 0; i < tuple.length; i++) {
            if (!(tuple[i] instanceof Number n)) {
                throw new PickleException("tensor size or stride is not an integer tuple");
            }
            values[i] = n.longValue();
        }
        return values;
    }
}
