package io.tsam.dist;

/** The scripts a bundle starts from: bash builtins only, so they run with an empty PATH. */
final class Launchers {

    private Launchers() {}

    /** {@code bin/tsam-run}: the bundled JRE, else {@code $JAVA_HOME}, else {@code java}. */
    static String tsamRun() {
        return """
                #!/bin/bash
                # tsam-run from a self-contained bundle: no Maven, no source checkout.
                here="${BASH_SOURCE[0]%/*}"
                [[ "$here" == "${BASH_SOURCE[0]}" ]] && here=.
                root="$(cd "$here/.." && pwd)"
                if [[ -x "$root/jre/bin/java" ]]; then
                  java="$root/jre/bin/java"
                elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
                  java="$JAVA_HOME/bin/java"
                elif command -v java >/dev/null 2>&1; then
                  java=java
                else
                  echo "error: this bundle has no JRE; install Java 17 or newer, or set JAVA_HOME" >&2
                  exit 4
                fi
                # Idle OpenMP threads that spin starve the decoder threads on small machines.
                export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
                exec "$java" ${TSAM_JAVA_OPTS:-} -Djava.awt.headless=true \\
                  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \\
                  -cp "$root/lib/*" io.tsam.runtime.cli.TsamRun "$@"
                """;
    }

    /** {@code bin/predict} or {@code bin/serve}: {@code tsam-run COMMAND --model MODEL}. */
    static String withModel(String command, String model) {
        return """
                #!/bin/bash
                # %1$s with the bundled model: bin/%1$s [more tsam-run %1$s options]
                here="${BASH_SOURCE[0]%%/*}"
                [[ "$here" == "${BASH_SOURCE[0]}" ]] && here=.
                exec "$here/tsam-run" %1$s --model "$here/../model/%2$s" "$@"
                """
                .formatted(command, model);
    }

    /** {@code reassemble.sh}: joins the parts of a split archive and checks its digest. */
    static String reassemble(String archive, int parts, String sha256) {
        return """
                #!/bin/bash
                # Joins %2$d parts into %1$s and checks its SHA-256; run it in the parts' folder.
                set -euo pipefail
                cd "${BASH_SOURCE[0]%%/*}" 2>/dev/null || true
                cat %1$s.part-* > %1$s.partial
                echo "%3$s  %1$s.partial" | sha256sum -c --quiet - \\
                  || { echo "error: %1$s: SHA-256 mismatch; a part is missing or damaged" >&2; rm -f %1$s.partial; exit 1; }
                mv %1$s.partial %1$s
                echo "%1$s reassembled and verified"
                """
                .formatted(archive, parts, sha256);
    }
}
