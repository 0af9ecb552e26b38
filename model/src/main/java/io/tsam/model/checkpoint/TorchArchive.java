package io.tsam.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tsam.model.checkpoint.TorchUnpickler.StorageRef;
import io.tsam.model.checkpoint.TorchUnpickler.TensorRef;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the state dict of a torch.save archive (the zip form, torch 1.6 and later): {@code
 * <root>/data.pkl} holds the pickled object and {@code <root>/data/<key>} the raw bytes of each
 * storage; {@code <root>/byteorder}, written by newer torch, says {@code little} or {@code big}
 * (absent means little). The root folder's name varies (the file's stem, {@code archive}).
 */
final class TorchArchive {
    private static final String PICKLE = "data.pkl";

    /** A state dict's pickle is kilobytes (the tensors are separate entries); this is plenty. */
    private static final long MAX_PICKLE_BYTES = 64L << 20;

    private static final String STATE_DICT = "state_dict";
    private static final String MODEL_STATE = "model_state";
    private static final int MAX_LISTED_KEYS = 20;

    private TorchArchive() {}

    /**
     * The tensors of the archive's state dict, under their names as stored.
     *
     * @see TensorFiles#read
     */
    static LinkedHashMap<String, NDArray> read(Path file, NDManager manager) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String root = root(file, zip);
            ByteOrder order = byteOrder(file, zip, root);
            Object top = unpickle(file, zip, zip.getEntry(root + PICKLE));
            Map<?, ?> stateDict = stateDict(file, top);
            return materialise(file, zip, root, order, stateDict, manager);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read the archive: " + e, e);
        }
    }

    /** The entry prefix {@code <root>/} of {@code <root>/data.pkl}. */
    private static String root(Path file, ZipFile zip) {
        List<String> roots = new ArrayList<>();
        boolean torchScript = false;
        for (ZipEntry entry : Collections.list(zip.entries())) {
            String name = entry.getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.indexOf('/', slash + 1) < 0) {
                String rest = name.substring(slash + 1);
                if (rest.equals(PICKLE)) {
                    roots.add(name.substring(0, slash + 1));
                } else if (rest.equals("constants.pkl")) {
                    torchScript = true;
                }
            }
        }
        if (torchScript) {
            throw new CheckpointException(
                    file,
                    "is a TorchScript archive (torch.jit.save), not a torch.save checkpoint;"
                            + " save its state_dict() with torch.save instead");
        }
        if (roots.size() != 1) {
            throw new CheckpointException(
                    file,
                    "is a zip file but not a torch.save archive: expected one <folder>/"
                            + PICKLE
                            + " entry, found "
                            + roots.size());
        }
        return roots.get(0);
    }

    private static ByteOrder byteOrder(Path file, ZipFile zip, String root) throws IOException {
        ZipEntry entry = zip.getEntry(root + "byteorder");
        if (entry == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        String text;
        try (InputStream in = zip.getInputStream(entry)) {
            text = new String(in.readNBytes(16), StandardCharsets.US_ASCII).strip();
        }
        return switch (text) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default ->
                    throw new CheckpointException(
                            file,
                            "unknown byteorder entry '" + text + "' (expected little or big)");
        };
    }

    private static Object unpickle(Path file, ZipFile zip, ZipEntry entry) throws IOException {
        long size = entry.getSize() < 0 ? MAX_PICKLE_BYTES : entry.getSize();
        TorchUnpickler unpickler = new TorchUnpickler(file, Math.min(size, MAX_PICKLE_BYTES));
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry))) {
            return unpickler.load(in);
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            // Pyrolite reports malformed opcodes as whatever its parsing throws (PickleException,
            // NumberFormatException, index errors...): all of them mean a broken pickle.
            throw new CheckpointException(
                    file, "is not a valid torch.save pickle: " + e.getMessage(), e);
        } finally {
            unpickler.close();
        }
    }

    /**
     * The {@code state_dict} entry of a TSM training checkpoint, the {@code model_state} of one
     * saved by TSAM's code (one state dict per part of the model: {@code nn_backbone}, {@code
     * last_fc}), flattened to {@code part.name}, or the top-level dict itself.
     */
    private static Map<?, ?> stateDict(Path file, Object top) {
        if (!(top instanceof Map<?, ?> map)) {
            throw new CheckpointException(
                    file, "holds a " + pythonType(top) + ", expected a dict of tensors");
        }
        if (map.get(MODEL_STATE) instanceof Map<?, ?> parts) {
            Map<Object, Object> flat = new LinkedHashMap<>();
            for (Map.Entry<?, ?> part : parts.entrySet()) {
                if (!(part.getValue() instanceof Map<?, ?> partState)) {
                    throw new CheckpointException(
                            file,
                            "its 'model_state' entry '"
                                    + part.getKey()
                                    + "' is a "
                                    + pythonType(part.getValue())
                                    + ", expected a state dict");
                }
                partState.forEach((name, tensor) -> flat.put(part.getKey() + "." + name, tensor));
            }
            return flat;
        }
        if (map.containsKey(STATE_DICT)) {
            if (!(map.get(STATE_DICT) instanceof Map<?, ?> stateDict)) {
                throw new CheckpointException(
                        file,
                        "its 'state_dict' entry is a "
                                + pythonType(map.get(STATE_DICT))
                                + ", expected a dict of tensors");
            }
            return stateDict;
        }
        boolean allTensors =
                !map.isEmpty()
                        && map.values().stream().allMatch(v -> v instanceof TensorRef)
                        && map.keySet().stream().allMatch(k -> k instanceof String);
        if (!allTensors) {
            List<String> keys = map.keySet().stream().map(String::valueOf).toList();
            String listed =
                    keys.size() > MAX_LISTED_KEYS
                            ? String.join(", ", keys.subList(0, MAX_LISTED_KEYS))
                                    + ", ... ("
                                    + keys.size()
                                    + " keys)"
                            : String.join(", ", keys);
            throw new CheckpointException(
                    file,
                    "holds neither a 'state_dict' entry nor a plain state dict (names to tensors);"
                            + " its top-level keys are: "
                            + listed);
        }
        return map;
    }

    private static LinkedHashMap<String, NDArray> materialise(
            Path file,
            ZipFile zip,
            String root,
            ByteOrder order,
            Map<?, ?> stateDict,
            NDManager manager)
            throws IOException {
        Map<String, ByteBuffer> storages = new HashMap<>();
        LinkedHashMap<String, NDArray> tensors = new LinkedHashMap<>();
        try (NDManager scope = manager.newSubManager()) {
            for (Map.Entry<?, ?> entry : stateDict.entrySet()) {
                if (!(entry.getKey() instanceof String name)) {
                    throw new CheckpointException(
                            file, "state dict key " + entry.getKey() + " is not a string");
                }
                if (!(entry.getValue() instanceof TensorRef tensor)) {
                    throw new CheckpointException(
                            file,
                            "state dict entry '"
                                    + name
                                    + "' is a "
                                    + pythonType(entry.getValue())
                                    + ", not a tensor");
                }
                ByteBuffer storage = storages.get(tensor.storage().key());
                if (storage == null) {
                    storage = readStorage(file, zip, root, tensor.storage(), order);
                    storages.put(tensor.storage().key(), storage);
                }
                StridedTensor view =
                        new StridedTensor(
                                tensor.storage().type(),
                                storage,
                                tensor.offset(),
                                tensor.shape(),
                                tensor.strides());
                try {
                    tensors.put(name, view.read(scope));
                } catch (IllegalArgumentException e) {
                    throw new CheckpointException(
                            file, "tensor '" + name + "': " + e.getMessage(), e);
                }
            }
            // Only a complete result leaves the scope; on failure the scope frees what was read.
            tensors.values().forEach(array -> array.attach(manager));
        }
        return tensors;
    }

    private static ByteBuffer readStorage(
            Path file, ZipFile zip, String root, StorageRef storage, ByteOrder order)
            throws IOException {
        ZipEntry entry = zip.getEntry(root + "data/" + storage.key());
        if (entry == null) {
            throw new CheckpointException(
                    file, "storage " + storage.key() + " is missing from the archive");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return ByteBuffer.wrap(in.readAllBytes()).order(order);
        }
    }

    /** The Python name of an unpickled value's type, for messages. */
    static String pythonType(Object value) {
        if (value == null) {
            return "None";
        } else if (value instanceof TensorRef) {
            return "tensor";
        } else if (value instanceof Map) {
            return "dict";
        } else if (value instanceof Object[]) {
            return "tuple";
        } else if (value instanceof List) {
            return "list";
        } else if (value instanceof String) {
            return "str";
        } else if (value instanceof Boolean) {
            return "bool";
        } else if (value instanceof Double) {
            return "float";
        } else if (value instanceof Number) {
            return "int";
        }
        return value.getClass().getSimpleName();
    }
}
