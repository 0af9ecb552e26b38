package io.tsam.backend.tensorrt;

import java.util.ArrayDeque;
import java.util.Deque;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes TensorRT's messages to SLF4J (errors to error, warnings to warn, info to debug, verbose to
 * trace) and keeps the last few errors so that a failed build can say why in its exception.
 *
 * <p>TensorRT calls back into this object from native code, possibly from its own threads; whoever
 * creates it keeps it reachable and open until every TensorRT object given it is closed.
 */
public final class TensorRtLogger extends ILogger {

    private static final Logger logger =
            LoggerFactory.getLogger("io.tsam.backend.tensorrt.TensorRT");
    private static final int KEPT_ERRORS = 5;

    private final Deque<String> errors = new ArrayDeque<>();

    @Override
    public void log(Severity severity, String message) {
        // JavaCPP may hand over a copy of the enum constant; intern() gives the canonical one.
        switch (severity.intern()) {
            case kINTERNAL_ERROR, kERROR -> {
                logger.error(message);
                remember(message);
            }
            case kWARNING -> logger.warn(message);
            case kINFO -> logger.debug(message);
            default -> logger.trace(message);
        }
    }

    /**
     * The last errors TensorRT reported, oldest first, joined by {@code "; "}; or a placeholder.
     */
    public synchronized String lastErrors() {
        return errors.isEmpty() ? "TensorRT reported no error" : String.join("; ", errors);
    }

    private synchronized void remember(String message) {
        if (errors.size() == KEPT_ERRORS) {
            errors.removeFirst();
        }
        errors.addLast(message.strip());
    }
}
