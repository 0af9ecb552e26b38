"""TSAM-profile input tensors of a short clip, computed the way TSAM's published code does.

Run offline from the repository root with Debian's ffmpeg, torch 1.13, torchvision 0.14 and
torchaudio 0.13 (the versions TSAM's code of November 2022 ran with):
    /usr/bin/python3 media/src/test/python/make_tsam_profile_fixture.py

Writes media/src/test/resources/tsam_profile/:
- clip.mp4: 1.2 s of ffmpeg's testsrc (160x120, 25 fps, H.264) with a stereo 22.05 kHz AAC track
  whose channels differ (440 Hz left, 1200 Hz right), so channel 0 and the track's own rate matter;
- frames/00001.jpg...: `ffmpeg -i clip.mp4 -vf "scale=-1:256,fps=10" -q:v 0 frames/%05d.jpg`
  and clip.wav: `ffmpeg -i clip.mp4 clip.wav`, the two commands of TSAM's video2frames.py;
- video.npy [T, 3, S, S] and audio.npy [3, S, S] for T = 4, S = 64: TSAM's validation input,
  written here from its code's steps (not imported): the frame-folder size F, indices
  int(tick / 2 + tick * i), frames as PIL RGB -> ToTensor(), CenterCrop(min(H, W)) then
  Resize((S, S)) on the tensor; the wav's channel 0 through MelSpectrogram(sr, n_fft=4800,
  win_length=round(w * sr / 1000), hop_length=round(h * sr / 1000), n_mels=S), log(x + 1e-6),
  Resize((S, S)).
"""
import os
import shutil
import subprocess

import numpy as np
import torch
import torchaudio
import torchvision.transforms as T
from PIL import Image

OUT = os.path.join("media", "src", "test", "resources", "tsam_profile")
SEGMENTS, SIZE = 4, 64
WINDOWS, HOPS, EPS = [25, 50, 100], [10, 25, 50], 1e-6


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def make_clip():
    os.makedirs(OUT, exist_ok=True)
    clip = os.path.join(OUT, "clip.mp4")
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25",
           "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050",
           "-f", "lavfi", "-i", "sine=frequency=1200:sample_rate=22050",
           "-filter_complex", "[1:a][2:a]amerge=inputs=2[a]", "-map", "0:v", "-map", "[a]",
           "-t", "1.2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "12",
           "-c:a", "aac", "-ar", "22050", "-ac", "2", clip)
    frames = os.path.join(OUT, "frames")
    shutil.rmtree(frames, ignore_errors=True)
    os.makedirs(frames)
    ffmpeg("-i", clip, "-vf", "scale=-1:256,fps=10", "-q:v", "0",
           os.path.join(frames, "%05d.jpg"))
    ffmpeg("-i", clip, os.path.join(OUT, "clip.wav"))
    return frames


def video_tensor(frames):
    size = len(os.listdir(frames))
    tick = size / float(SEGMENTS)
    indices = np.array([int(tick / 2.0 + tick * i) for i in range(SEGMENTS)])
    indices[indices > size - 1] = size - 1
    x = torch.stack([T.ToTensor()(Image.open(os.path.join(frames, "%05d.jpg" % (i + 1)))
                                  .convert("RGB")) for i in indices])
    c, h, w = x.shape[-3:]
    side = min(h, w)
    x = torch.nn.Sequential(T.CenterCrop((side, side)), T.Resize((SIZE, SIZE)))(x)
    return x.numpy(), indices


def audio_tensor():
    waveform, sr = torchaudio.load(os.path.join(OUT, "clip.wav"))
    out = torch.zeros(3, SIZE, SIZE)
    for i in range(3):
        mel = torchaudio.transforms.MelSpectrogram(
            sample_rate=sr, n_fft=4800, win_length=int(round(WINDOWS[i] * sr / 1000)),
            hop_length=int(round(HOPS[i] * sr / 1000)), n_mels=SIZE)(waveform[0])
        x = np.log(torch.unsqueeze(mel, 0) + EPS)
        out[i] = T.Resize((SIZE, SIZE))(x)
    return out.numpy(), sr


if __name__ == "__main__":
    frames = make_clip()
    video, indices = video_tensor(frames)
    audio, sr = audio_tensor()
    np.save(os.path.join(OUT, "video.npy"), video.astype(np.float32))
    np.save(os.path.join(OUT, "audio.npy"), audio.astype(np.float32))
    print("frames", len(os.listdir(frames)), "indices", list(indices), "sample rate", sr)
