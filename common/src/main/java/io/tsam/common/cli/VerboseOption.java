package io.tsam.common.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code --verbose} flag every command inherits; {@link CommandLines} reads it on failure. */
public final class VerboseOption {
    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Print stack traces and native library warnings.")
    boolean verbose;
}
