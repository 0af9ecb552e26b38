#!/usr/bin/env bash
# tsam-run watch over an hour of live-like input, faster than real time: the RSS of the watching
# process sampled every 2 s, so that flat memory over an hour is measured, not assumed.
# Usage: benchmarks/watch-memory.sh MODEL.onnx OUT_DIR [MINUTES]
# Needs the ffmpeg CLI (apt-get install ffmpeg) to make the input: testsrc2 at 320x240, 25 fps,
# a 440 Hz tone, H.264 + AAC in MPEG-TS, as a camera's stream would be.
set -euo pipefail
model=$1
out=$2
minutes=${3:-60}
mkdir -p "$out"
stream="$out/stream-${minutes}min.ts"
if [[ ! -f $stream ]]; then
  ffmpeg -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=25" \
    -f lavfi -i "sine=frequency=440:sample_rate=44100" -t $((minutes * 60)) \
    -c:v libx264 -preset ultrafast -g 50 -pix_fmt yuv420p -c:a aac -ac 2 -f mpegts "$stream"
fi
root=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/..
"$root/bin/tsam-run" watch "$stream" --model "$model" --window 4s --stride 2s --json \
  > "$out/watch.jsonl" 2> "$out/watch.err" &
pid=$!
echo "seconds,rss_kib" > "$out/rss.csv"
start=$(date +%s)
# The launcher execs java, so $pid is the JVM once it has started.
while kill -0 "$pid" 2> /dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2> /dev/null || true)
  [[ -n $rss ]] && echo "$(($(date +%s) - start)),$rss" >> "$out/rss.csv"
  sleep 2
done
wait "$pid"
tail -1 "$out/watch.jsonl"

"$root/benchmarks/run" RssChart "$out/rss.csv" "$out/rss.png" "tsam-run watch, ${minutes} min of 25 fps input"
