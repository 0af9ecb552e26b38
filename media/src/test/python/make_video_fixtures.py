"""Writes the reference fixtures of the media module's video and frame-transform tests.

Run offline from the repository root with the Python that has numpy, Pillow, torch and PyAV:

    python3 media/src/test/python/make_video_fixtures.py

Outputs, all under media/src/test/resources/video/ (float32 .npy; pixel values are 0..255):
- transform_input.npy: a deterministic 40x30 RGB image, (30, 40, 3).
- transform_<case>_pil.npy: Pillow resize(BILINEAR) -> crop -> optional mirror, (3, c, c), uint8
  values; the Java test normalises them itself.
- transform_<case>_torch.npy: the same through torch interpolate(bilinear, antialias) in float,
  normalised with the ImageNet mean/std, (3, c, c).
- bframes_open_gop.mp4: 40 frames, 32x24, H.264 (x264: 3 B-frames, keyint 12, open GOP), 25 fps.
- vfr.mkv: 30 frames, 32x24, H.264 with 2 B-frames and irregular timestamps; Matroska has no
  frame count, so a reader must count frames itself.
- <video>.frames.npy: PyAV's full sequential decode (to_ndarray rgb24) at <video>.index.npy[1:],
  (K, 24, 32, 3); <video>.index.npy[0] is the number of frames PyAV decoded.
- jpeg_frames/img_0000{1,2,3}.jpg: three 40x30 colour frames (Pillow, quality 90, 4:2:0), and
  img_00004.jpg: a greyscale frame; jpeg_frames.npy: Pillow's decode of all four as RGB,
  (4, 30, 40, 3).
"""

import fractions
from pathlib import Path

import av
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

OUT = Path(__file__).resolve().parents[1] / "resources" / "video"
MEAN = torch.tensor([0.485, 0.456, 0.406], dtype=torch.float32).view(3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225], dtype=torch.float32).view(3, 1, 1)

# name: (resize mode, scale, crop, x, y, flip). x/y are the crop's offsets in the resized frame;
# the centre ones are torchvision CenterCrop's int(round((size - crop) / 2.0)).
TRANSFORM_CASES = {
    "square_center": ("square", 32, 24, 4, 4, False),
    "short_center": ("short_side", 20, 16, 5, 2, False),
    # resized to 28x21: the row offset round(2.5) is 2 with Python's half-to-even rounding.
    "short_halfeven": ("short_side", 21, 16, 6, 2, False),
    "square_flip": ("square", 36, 20, 7, 3, True),
}


def save(name, array):
    np.save(OUT / name, np.ascontiguousarray(array, dtype=np.float32))


def transform_input():
    h, w = 30, 40
    yy, xx = np.mgrid[0:h, 0:w]
    rng = np.random.default_rng(1234)
    img = np.stack([xx * 6, yy * 8, (xx + yy) * 3], axis=-1) + rng.integers(0, 60, (h, w, 3))
    img[10:20, 12:18] = [250, 10, 40]  # a sharp block so resampling edges matter
    return np.clip(img, 0, 255).astype(np.uint8)


def resized_size(mode, scale, w, h):
    if mode == "square":
        return scale, scale
    if w <= h:
        return scale, int(scale * h / w)
    return int(scale * w / h), scale


def make_transform_fixtures():
    img = transform_input()
    save("transform_input.npy", img)
    h, w = img.shape[:2]
    for name, (mode, scale, crop, x, y, flip) in TRANSFORM_CASES.items():
        rw, rh = resized_size(mode, scale, w, h)
        pil = Image.fromarray(img).resize((rw, rh), Image.BILINEAR).crop((x, y, x + crop, y + crop))
        if flip:
            pil = pil.transpose(Image.FLIP_LEFT_RIGHT)
        save(f"transform_{name}_pil.npy", np.asarray(pil).transpose(2, 0, 1))

        t = torch.from_numpy(img).permute(2, 0, 1)[None].float()
        t = F.interpolate(t, size=(rh, rw), mode="bilinear", align_corners=False, antialias=True)
        t = t[0, :, y : y + crop, x : x + crop]
        if flip:
            t = t.flip(-1)
        save(f"transform_{name}_torch.npy", ((t / 255 - MEAN) / STD).numpy())


def video_frames(n, w=32, h=24):
    """Noise rolled one column per frame, with the frame number as white bits in the top rows."""
    base = np.random.default_rng(5).integers(0, 256, size=(h, w, 3), dtype=np.uint8)
    frames = []
    for i in range(n):
        img = np.roll(base, i, axis=1)
        img[:4] = 0
        for b in range(8):
            if (i >> b) & 1:
                img[:4, b * 4 : (b + 1) * 4] = 255
        frames.append(img)
    return frames


def encode(path, fmt, options, pts, time_base):
    with av.open(str(path), "w", format=fmt) as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 32, 24, "yuv420p"
        stream.options = options
        stream.codec_context.time_base = time_base
        for img, p in zip(video_frames(len(pts)), pts):
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts, frame.time_base = p, time_base
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def save_decode_reference(path, indices):
    with av.open(str(path)) as container:
        decoded = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    save(path.name + ".index.npy", np.array([len(decoded)] + indices))
    save(path.name + ".frames.npy", np.stack([decoded[i] for i in indices]))


def make_video_fixtures():
    mp4 = OUT / "bframes_open_gop.mp4"
    encode(
        mp4,
        "mp4",
        {"x264-params": "keyint=12:min-keyint=12:scenecut=0:bframes=3:open-gop=1"},
        list(range(40)),
        fractions.Fraction(1, 25),
    )
    save_decode_reference(mp4, [0, 11, 12, 13, 25, 39])

    mkv = OUT / "vfr.mkv"
    durations_ms = [40, 20, 60, 40, 40, 80, 40, 20, 20, 40] * 3
    pts = [int(t) for t in np.cumsum([0] + durations_ms)[:30]]
    encode(mkv, "matroska", {"x264-params": "keyint=10:scenecut=0:bframes=2"}, pts,
           fractions.Fraction(1, 1000))
    save_decode_reference(mkv, [0, 9, 10, 17, 21, 29])


def make_jpeg_fixtures():
    folder = OUT / "jpeg_frames"
    folder.mkdir(exist_ok=True)
    img = transform_input()
    decoded = []
    for n in range(1, 5):
        frame = Image.fromarray(np.roll(img, 5 * n, axis=1))
        if n == 4:
            frame = frame.convert("L")
        path = folder / f"img_{n:05d}.jpg"
        frame.save(path, quality=90, subsampling=2)
        decoded.append(np.asarray(Image.open(path).convert("RGB")))
    save("jpeg_frames.npy", np.stack(decoded))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    make_transform_fixtures()
    make_video_fixtures()
    make_jpeg_fixtures()
