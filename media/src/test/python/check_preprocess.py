#!/usr/bin/python3
"""Independent check of `tsam-data preprocess` against PyAV + Pillow + torchaudio (SPEC section 2).

Not run by CI (CI has no Python). Usage:
    check_preprocess.py VIDEO OUT_DIR [--segments 8] [--scale 256] [--crop 224]
        [--mode square|short_side] [--clip 0/1] [--audio]
where OUT_DIR holds video.npy / audio.npy written by
    bin/tsam-data preprocess VIDEO --config model.json --out OUT_DIR
Prints the max abs differences; exits 1 when video > 2/255 per pixel or audio > 2e-3.
"""
import argparse
import sys

import av
import numpy as np
import torch
import torchaudio
from PIL import Image

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
WINDOWS = [(400, 160), (800, 400), (1600, 800)]


def frames_of(path):
    with av.open(path) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def indices(n_frames, segments, clip, clips):
    if n_frames < segments:
        return [i * n_frames // segments for i in range(segments)]
    seg = n_frames / segments
    return [int(i * seg + seg * (clip + 0.5) / clips) for i in range(segments)]


def video_tensor(frames, idx, scale, crop, mode):
    out = []
    for i in idx:
        img = Image.fromarray(frames[i])
        w, h = img.size
        if mode == "square":
            size = (scale, scale)
        elif w <= h:
            size = (scale, int(scale * h / w))
        else:
            size = (int(scale * w / h), scale)
        img = img.resize(size, Image.BILINEAR)
        left = int(round((size[0] - crop) / 2.0))
        top = int(round((size[1] - crop) / 2.0))
        arr = np.asarray(img, dtype=np.float32)[top : top + crop, left : left + crop] / 255.0
        out.append(((arr - MEAN) / STD).transpose(2, 0, 1))
    return np.stack(out)[None]


def audio_tensor(path, size):
    with av.open(path) as container:
        stream = container.streams.audio[0]
        rate = stream.rate
        chunks = [f.to_ndarray() for f in container.decode(audio=0)]
    samples = np.concatenate(chunks, axis=1).astype(np.float32)  # planar fltp: (channels, n)
    wave = torch.from_numpy(samples).mean(0, keepdim=True)
    wave = torchaudio.functional.resample(wave, rate, 16000)
    channels = []
    for win, hop in WINDOWS:
        n_fft = 1 << (win - 1).bit_length()
        mel = torchaudio.transforms.MelSpectrogram(
            sample_rate=16000, n_fft=n_fft, win_length=win, hop_length=hop, n_mels=128,
            mel_scale="htk", norm=None, center=True, pad_mode="reflect", power=2.0,
            f_min=0.0, f_max=8000.0)(wave)
        img = torch.log(mel + 1e-6)[None]  # (1, 1, 128, frames)
        img = torch.nn.functional.interpolate(
            img, size=(size, size), mode="bilinear", align_corners=False, antialias=True)[0, 0]
        std = img.std(unbiased=False)
        img = (img - img.mean()) / std if std > 0 else torch.zeros_like(img)
        channels.append(img.numpy())
    return np.stack(channels)[None]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("video")
    p.add_argument("out")
    p.add_argument("--segments", type=int, default=8)
    p.add_argument("--scale", type=int, default=256)
    p.add_argument("--crop", type=int, default=224)
    p.add_argument("--mode", default="square")
    p.add_argument("--clip", default="0/1")
    p.add_argument("--audio", action="store_true")
    a = p.parse_args()
    clip, clips = map(int, a.clip.split("/"))
    frames = frames_of(a.video)
    idx = indices(len(frames), a.segments, clip, clips)
    ours = np.load(f"{a.out}/video.npy")
    ref = video_tensor(frames, idx, a.scale, a.crop, a.mode)
    dv = np.abs(ours - ref).max() * (STD.max() * 255)  # in grey levels, worst channel scaling
    print(f"frames={len(frames)} indices={idx}")
    print(f"video: shape {ours.shape} max abs diff {np.abs(ours - ref).max():.5f} (~{dv:.2f} grey levels)")
    ok = np.abs(ours - ref).max() <= 2 / 255 / STD.min()
    if a.audio:
        ours_a = np.load(f"{a.out}/audio.npy")
        ref_a = audio_tensor(a.video, a.crop)
        da = np.abs(ours_a - ref_a).max()
        print(f"audio: shape {ours_a.shape} max abs diff {da:.6f}")
        ok = ok and da <= 2e-3
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
