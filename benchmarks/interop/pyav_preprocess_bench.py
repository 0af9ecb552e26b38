#!/usr/bin/python3
"""Times the decode + preprocess stage of one test clip in Python, the way a careful PyAV + Pillow +
torchaudio user would write it, for comparison with the Java pipeline on the same clips
(benchmarks/README.md, "A prediction that costs little more than the model").

The work is the "imagenet" profile's (SPEC section 2), as media/src/test/python/check_preprocess.py
computes it (whose transforms are imported, not copied): T test frames (middle of each segment),
each resized to scale x scale (bilinear, antialiased), centre-cropped, normalised; the audio image
from the whole track (mono, 16 kHz sinc resampling, three HTK log-mel spectrograms, resized,
standardised). Decoding stops after the last target frame and only target frames become RGB;
FFmpeg's frame threading is on (thread_type AUTO), as it is in the Java pipeline.

    /usr/bin/python3 benchmarks/interop/pyav_preprocess_bench.py [--rounds 10] [--segments 8] \
        [--scale 256] [--crop 224] CLIP.mp4...

Prints per clip the median wall time of video, audio and both, over the rounds (the first round
is a warm-up and not counted). Needs Debian's python3-av, python3-pil, python3-torchaudio.
"""
import argparse
import os
import statistics
import sys
import time

import av
import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "media", "src", "test", "python"))
from check_preprocess import audio_tensor, indices, video_tensor  # noqa: E402


def target_frames(path, segments):
    """The RGB arrays of the test frames, decoding forward only as far as the last one."""
    with av.open(path) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        count = stream.frames
        idx = indices(count, segments, 0, 1)
        wanted = set(idx)
        last = max(idx)
        frames = {}
        for i, frame in enumerate(container.decode(stream)):
            if i in wanted:
                frames[i] = frame.to_ndarray(format="rgb24")
            if i == last:
                break
    return frames, idx


def one_clip(path, segments, scale, crop):
    start = time.perf_counter()
    frames, idx = target_frames(path, segments)
    video = video_tensor(frames, idx, scale, crop, "square")
    middle = time.perf_counter()
    audio = audio_tensor(path, crop)
    end = time.perf_counter()
    assert video.shape == (1, segments, 3, crop, crop) and audio.shape == (1, 3, crop, crop)
    return (middle - start) * 1e3, (end - middle) * 1e3


def main():
    p = argparse.ArgumentParser()
    p.add_argument("clips", nargs="+")
    p.add_argument("--rounds", type=int, default=10)
    p.add_argument("--segments", type=int, default=8)
    p.add_argument("--scale", type=int, default=256)
    p.add_argument("--crop", type=int, default=224)
    a = p.parse_args()
    torch.set_num_threads(os.cpu_count())
    print(f"PyAV {av.__version__}, torch {torch.__version__}, {os.cpu_count()} cores, "
          f"{a.rounds} rounds + 1 warm-up")
    print(f"{'clip':24s} {'video ms':>10s} {'audio ms':>10s} {'total ms':>10s}")
    for clip in a.clips:
        one_clip(clip, a.segments, a.scale, a.crop)
        videos, audios, totals = [], [], []
        for _ in range(a.rounds):
            v, au = one_clip(clip, a.segments, a.scale, a.crop)
            videos.append(v)
            audios.append(au)
            totals.append(v + au)
        print(f"{os.path.basename(clip):24s} {statistics.median(videos):10.1f} "
              f"{statistics.median(audios):10.1f} {statistics.median(totals):10.1f}")


if __name__ == "__main__":
    main()
