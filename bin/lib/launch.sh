#!/usr/bin/env bash
# Shared by the bin/tsam-* launchers: builds the module on first use (or when its sources changed)
# and runs its main class from the build output, from any current directory.
# Usage: launch.sh MODULE MAIN_CLASS [ARGS...]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
module="$1"
main="$2"
shift 2

classpath_file="$root/$module/target/classpath.txt"
needs_build=0
if [[ ! -f "$classpath_file" ]]; then
  needs_build=1
elif [[ -n "$(find "$root" -maxdepth 1 -name pom.xml -newer "$classpath_file" -print -quit)" ]] \
  || [[ -n "$(find "$root"/*/src/main "$root"/*/pom.xml -newer "$classpath_file" -print -quit 2>/dev/null)" ]]; then
  needs_build=1
fi

if [[ "$needs_build" == 1 ]]; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "error: Maven (mvn) is needed to build tsam on first use; see README.md" >&2
    exit 4
  fi
  echo "building tsam ($module) on first use; this takes a minute..." >&2
  log="$(mktemp)"
  if ! (cd "$root" && mvn -B -q -DskipTests -Dspotless.check.skip=true package -pl "$module" -am) >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    rm -f "$log"
    echo "error: the build failed; run 'mvn -B package -pl $module -am' in $root for details" >&2
    exit 4
  fi
  rm -f "$log"
  touch "$classpath_file"
fi

# DJL's failed CUDA probe on CPU-only machines says nothing a user can act on, nor does libtorch's
# C++ logging below errors. (libtorch's own TORCH_WARN lines bypass this level; the code avoids the
# DJL calls that raise them, see NetWeights.copy.)
export TORCH_CPP_LOG_LEVEL="${TORCH_CPP_LOG_LEVEL:-ERROR}"
# OpenMP threads that spin while idle starve the clip-decoding threads on small machines; training
# on 2 cores ran 4x faster with passive waiting.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
exec java ${TSAM_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -cp "$root/$module/target/classes:$(cat "$classpath_file")" "$main" "$@"
