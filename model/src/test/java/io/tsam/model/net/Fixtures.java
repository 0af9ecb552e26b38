package io.tsam.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.tsam.config.ModelConfig;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import io.tsam.media.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Optional;

/** Test fixtures of this package: the reference files under {@code io/tsam/model/net/}. */
final class Fixtures {

    static final String ENGINE = "PyTorch";

    private Fixtures() {}

    /** Returns the path of a resource of this package, e.g. {@code basic_block/input.npy}. */
    static Path resource(String name) {
        URL url = Fixtures.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a float32 {@code .npy} resource into {@code manager}. */
    static NDArray npy(NDManager manager, String name) {
        try {
            Npy.Array array = Npy.read(resource(name));
            return manager.create(array.data(), new Shape(array.shape()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Overwrites an initialised parameter's values in place, checking the shape. */
    static void setValue(Parameter parameter, NDArray value) {
        NDArray array = parameter.getArray();
        if (!array.getShape().equals(value.getShape())) {
            throw new IllegalStateException(
                    parameter.getName()
                            + " has shape "
                            + array.getShape()
                            + ", the fixture "
                            + value.getShape());
        }
        array.set(value.toFloatArray());
    }

    /** Returns a model config with the given segments and arch, dropout 0.5. */
    static ModelConfig model(int videoSegments, int audioSegments, String arch) {
        return new ModelConfig(videoSegments, audioSegments, arch, 0.5, Optional.empty());
    }

    /** Returns a shift config that is on, with the given fold divisor, depth and selection. */
    static ShiftConfig shift(int fDiv, int depth, int nInsert, int mInsert) {
        return new ShiftConfig(true, fDiv, depth, nInsert, mInsert, ShiftStyle.TSM);
    }

    /** Returns the largest absolute difference between two arrays of one shape. */
    static float maxAbsDiff(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new AssertionError("shapes differ: " + a.getShape() + " vs " + b.getShape());
        }
        return a.sub(b).abs().max().getFloat();
    }
}
