"""Writes the reference fixtures of io.tsam.media.audio's tests into src/test/resources/audio/.

Run offline with the interpreter that has torch 1.13, torchaudio 0.13, PyAV and the ffmpeg CLI:

    /usr/bin/python3 media/src/test/python/make_audio_fixtures.py

Every array is float32 (what io.tsam.media.io.Npy reads). The references are computed the way
torchaudio computes them by default, in float32.
"""

import pathlib
import subprocess
import tempfile
import wave

import av
import numpy as np
import torch
import torch.nn.functional as F
import torchaudio

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "audio"

SAMPLE_RATE = 16000
WINDOWS = [(400, 160), (800, 400), (1600, 800)]
IMAGE_SIZES = [(40, 48), (136, 16)]
RESAMPLE_PAIRS = [(44100, 16000), (48000, 16000), (22050, 16000), (8000, 16000)]
PYAV_STRIDE = 16


def save(name, array):
    array = np.ascontiguousarray(array, dtype=np.float32)
    np.save(OUT / name, array)
    print(f"{name}: {array.shape}")


def test_signal(seconds, rate, seed):
    """A chirp, two steady tones and seeded white noise: energy in every mel band."""
    t = np.arange(int(seconds * rate)) / rate
    chirp = np.sin(2 * np.pi * (100 * t + (7000 - 100) / (2 * seconds) * t * t))
    tones = 0.3 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 2500 * t)
    noise = 0.05 * np.random.RandomState(seed).standard_normal(t.size)
    return (0.4 * chirp + tones + noise).astype(np.float32)


def n_fft_for(win):
    return 1 << (win - 1).bit_length()


def log_mel(x, win, hop):
    n_fft = n_fft_for(win)
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=SAMPLE_RATE,
        n_fft=n_fft,
        win_length=win,
        hop_length=hop,
        n_mels=128,
        mel_scale="htk",
        norm=None,
        center=True,
        pad_mode="reflect",
        power=2.0,
    )(torch.from_numpy(x))
    return torch.log(mel + 1e-6)


def audio_image(x, height, width):
    planes = []
    for win, hop in WINDOWS:
        lm = log_mel(x, win, hop)
        r = F.interpolate(
            lm[None, None], size=(height, width), mode="bilinear", align_corners=False, antialias=True
        )[0, 0]
        planes.append((r - r.mean()) / r.std(unbiased=False))
    return torch.stack(planes).numpy()


def filterbank():
    fb = torchaudio.functional.melscale_fbanks(257, 0.0, 8000.0, 128, SAMPLE_RATE, None, "htk")
    save("fbank_257x128.npy", fb.numpy())


def resample():
    x = test_signal(0.1, 12000, seed=1)[:1200]
    save("resample_in.npy", x)
    for orig, new in RESAMPLE_PAIRS:
        y = torchaudio.functional.resample(torch.from_numpy(x), orig, new)
        save(f"resample_{orig}_{new}.npy", y.numpy())


def spectrograms():
    x = test_signal(0.3, SAMPLE_RATE, seed=2)
    save("logmel_in.npy", x)
    for win, hop in WINDOWS:
        save(f"logmel_{win}_{hop}.npy", log_mel(x, win, hop).numpy())
    for height, width in IMAGE_SIZES:
        save(f"image_{height}x{width}.npy", audio_image(x, height, width))


def decoded_mp4():
    """A small mp4 (AAC stereo 44.1 kHz, 0.5 s, tiny video) and PyAV's decode of it."""
    mp4 = OUT / "aac_stereo.mp4"
    with tempfile.TemporaryDirectory() as tmp:
        wav = pathlib.Path(tmp) / "in.wav"
        rate = 44100
        t = np.arange(rate // 2) / rate
        left = 0.5 * np.sin(2 * np.pi * 440 * t)
        right = 0.5 * np.sin(2 * np.pi * (200 * t + 3000 * t * t))
        pcm = (np.stack([left, right], axis=1) * 32767).astype("<i2")
        with wave.open(str(wav), "wb") as w:
            w.setnchannels(2)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(pcm.tobytes())
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(wav),
             "-f", "lavfi", "-i", "color=c=gray:s=16x16:r=5:d=0.5",
             "-map", "1:v", "-map", "0:a", "-c:v", "libx264", "-pix_fmt", "yuv420p",
             "-c:a", "aac", "-b:a", "48k", "-map_metadata", "-1", "-fflags", "+bitexact",
             "-flags:v", "+bitexact", "-flags:a", "+bitexact", str(mp4)],
            check=True,
        )
    with av.open(str(mp4)) as container:
        stream = container.streams.audio[0]
        frames = [f.to_ndarray() for f in container.decode(stream)]
        decoded = np.concatenate(frames, axis=1)
        info = [stream.codec_context.sample_rate, decoded.shape[0], decoded.shape[1]]
    print(f"aac_stereo.mp4: {mp4.stat().st_size} bytes, PyAV decodes {info}")
    save("aac_stereo_pyav_info.npy", np.array(info))
    save("aac_stereo_pyav_strided.npy", decoded[:, ::PYAV_STRIDE])


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    filterbank()
    resample()
    spectrograms()
    decoded_mp4()
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"total {total} bytes in {OUT}")


if __name__ == "__main__":
    main()
