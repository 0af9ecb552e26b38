"""Writes the .pth fixture of io.tsam.exporter.cli under exporter/src/test/resources/io/tsam/exporter/cli/.

Run offline with torch 1.13 from the repository root:
    /usr/bin/python3 exporter/src/test/python/make_pth_fixture.py

- tsm_resnet18.pth.gz: a TSM training checkpoint {'epoch', 'arch', 'state_dict'} written by
  torch.save, keys prefixed "module." (DataParallel), for a ResNet-18 TSAM net with T=2, A=1,
  f_div=4, shift_depth=2, n_insert=1, m_insert=0 and 3 classes (the model file is
  tsm_resnet18.json). A real ResNet-18 is 45 MB, so every tensor repeats a short random pattern
  (61 values, a prime) and the file is gzipped; the test unzips it.
- tsm_resnet18.video.npy [2, 2, 3, 32, 32], tsm_resnet18.audio.npy [2, 3, 32, 32]: seeded normal
  inputs; tsm_resnet18.logits.npy [2, 3]: the eval-mode logits of the PyTorch reference net
  (model/src/test/python/tsam_reference.py: torchvision's ResNet with the shift written from the
  SPEC) on them, so the exported ONNX model is checked against PyTorch, not only against DJL.
"""
import collections
import gzip
import os
import shutil
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join("model", "src", "test", "python"))
from tsam_reference import Tsam  # noqa: E402

OUT = os.path.join("exporter", "src", "test", "resources", "io", "tsam", "exporter", "cli")
NAME = "tsm_resnet18"
SEGMENTS, AUDIO, CLASSES, SIZE, BATCH = 2, 1, 3, 32, 2
PERIOD = 61
rng = np.random.default_rng(20240612)


def periodic(shape, draw):
    """`draw(PERIOD)` values tiled over the tensor: compresses well, still not trivial."""
    n = int(np.prod(shape))
    pattern = draw(min(n, PERIOD))
    return np.resize(pattern, n).astype(np.float32).reshape(shape)


def value(name, shape):
    if name.endswith("running_mean"):
        return periodic(shape, lambda k: 0.1 * rng.standard_normal(k))
    if name.endswith("running_var"):
        return periodic(shape, lambda k: 0.5 + rng.random(k))
    if name == "new_fc.weight":
        return periodic(shape, lambda k: rng.standard_normal(k) / np.sqrt(shape[1]))
    if name.endswith(".bias"):
        return periodic(shape, lambda k: 0.1 * rng.standard_normal(k))
    if name.endswith(".weight") and len(shape) == 1:
        return periodic(shape, lambda k: 0.3 + 0.5 * rng.random(k))
    fan_out = shape[0] * int(np.prod(shape[2:]))
    return periodic(shape, lambda k: rng.standard_normal(k) * np.sqrt(2.0 / fan_out))


def main():
    os.makedirs(OUT, exist_ok=True)
    net = Tsam("resnet18", SEGMENTS, AUDIO, CLASSES, f_div=4, depth=2, n_insert=1, m_insert=0)
    state = net.state_dict()
    weights = collections.OrderedDict()
    for key, tensor in state.items():
        if key.endswith("num_batches_tracked"):
            weights[key] = torch.tensor(100)
        else:
            weights[key] = torch.from_numpy(value(key, tuple(tensor.shape)))
    net.load_state_dict(weights)
    net.eval()
    checkpoint = {
        "epoch": 5,
        "arch": "resnet18",
        "state_dict": collections.OrderedDict(("module." + k, v) for k, v in weights.items()),
    }
    raw = os.path.join(OUT, NAME + ".pth")
    torch.save(checkpoint, raw)
    with open(raw, "rb") as f_in, gzip.GzipFile(raw + ".gz", "wb", 9, mtime=0) as f_out:
        shutil.copyfileobj(f_in, f_out)
    os.remove(raw)

    video = rng.standard_normal((BATCH, SEGMENTS, 3, SIZE, SIZE)).astype(np.float32)
    audio = rng.standard_normal((BATCH, 3, SIZE, SIZE)).astype(np.float32)
    with torch.no_grad():
        logits = net(torch.from_numpy(video), torch.from_numpy(audio)).numpy()
    print(logits)
    np.save(os.path.join(OUT, NAME + ".video.npy"), video)
    np.save(os.path.join(OUT, NAME + ".audio.npy"), audio)
    np.save(os.path.join(OUT, NAME + ".logits.npy"), logits.astype(np.float32))


if __name__ == "__main__":
    main()
