#!/usr/bin/env python3
"""Exports a TSAM checkpoint the way MMAction2 / mmdeploy would: PyTorch modules, the temporal shift
written as views, slices and torch.cat (TSM's zero blanks for the "tsm" style), through torch.onnx.

It is the Python route our ONNX export is measured against (benchmarks/README.md, "A free shift"):
same weights, same inputs (video [N, T, 3, H, W], audio [N, 3, H, W]), same logits, different graph.
Runs on Debian's python3-torch (1.13) with numpy; nothing is downloaded.

    python3 benchmarks/interop/mmaction_style_export.py CHECKPOINT.safetensors OUT.onnx \
        --style tsam --segments 8 --f-div 8 --depth 2 [--reference logits.f32]

--reference writes the logits of a seeded input (see seeded_inputs) as little-endian float32, so
that the export can be checked against ours in ONNX Runtime.
"""

import argparse
import json
import struct

import numpy as np
import torch
from torch import nn

DTYPES = {"F32": np.float32, "I64": np.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        header_len = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_len))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


class TemporalShift(nn.Module):
    """MMAction2's TemporalShift around a conv, extended as TSAM needs: k distances, audio passes."""

    def __init__(self, net, segments, audio, f_div, depth, style):
        super().__init__()
        self.net = net
        self.segments = segments
        self.audio = audio
        self.f_div = f_div
        self.depth = depth
        self.style = style

    def forward(self, x):
        return self.net(self.shift(x))

    def shift(self, x):
        nt, c, h, w = x.size()
        t = self.segments
        x = x.view(-1, t + self.audio, c, h, w)
        video, audio = x[:, :t], x[:, t:]
        fold = c // self.f_div
        parts = []
        if self.style == "tsm":
            group = fold // self.depth
            bounds = [(g * group, fold if g == self.depth - 1 else (g + 1) * group, g + 1)
                      for g in range(self.depth)]
            for lo, hi, d in bounds:
                parts.append(self.future(video[:, :, lo:hi], d, zero=True))
            for lo, hi, d in bounds:
                parts.append(self.past(video[:, :, fold + lo:fold + hi], d, zero=True))
            parts.append(video[:, :, 2 * fold:])
        else:
            f = fold // self.depth
            for d in range(1, self.depth + 1):
                lo = (2 * d - 2) * f
                parts.append(self.future(video[:, :, lo:lo + f], d, zero=False))
                parts.append(self.past(video[:, :, lo + f:lo + 2 * f], d, zero=False))
            parts.append(video[:, :, 2 * self.depth * f:])
        shifted = torch.cat(parts, 2)
        return torch.cat((shifted, audio), 1).view(nt, c, h, w)

    def future(self, x, d, zero):
        t = x.size(1)
        if d >= t:
            return x - x if zero else x
        # Frames past the end read zeros (TSM's blank) or keep their own value (TSAM).
        tail = (x - x)[:, :d] if zero else x[:, t - d:]
        return torch.cat((x[:, d:], tail), 1)

    def past(self, x, d, zero):
        t = x.size(1)
        if d >= t:
            return x - x if zero else x
        head = (x - x)[:, :d] if zero else x[:, :d]
        return torch.cat((head, x[:, :t - d]), 1)


class Bottleneck(nn.Module):
    def __init__(self, inplanes, planes, stride, downsample):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        identity = self.downsample(x) if self.downsample is not None else x
        return self.relu(out + identity)


class ResNet50(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        inplanes = 64
        for i, (planes, blocks, stride) in enumerate([(64, 3, 1), (128, 4, 2), (256, 6, 2),
                                                      (512, 3, 2)]):
            layers = []
            for b in range(blocks):
                s = stride if b == 0 else 1
                down = None
                if b == 0 and (s != 1 or inplanes != planes * 4):
                    down = nn.Sequential(nn.Conv2d(inplanes, planes * 4, 1, s, bias=False),
                                         nn.BatchNorm2d(planes * 4))
                layers.append(Bottleneck(inplanes, planes, s, down))
                inplanes = planes * 4
            setattr(self, "layer%d" % (i + 1), nn.Sequential(*layers))
        self.avgpool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return torch.flatten(self.avgpool(x), 1)


class Recognizer(nn.Module):
    """TSN-style head as MMAction2's Recognizer2D: per-image features averaged, then the fc."""

    def __init__(self, segments, audio, classes):
        super().__init__()
        self.segments = segments
        self.audio = audio
        self.base_model = ResNet50()
        self.new_fc = nn.Linear(2048, classes)

    def forward(self, video, audio):
        n, t, c, h, w = video.shape
        images = torch.cat((video, audio.unsqueeze(1)), 1) if self.audio else video
        features = self.base_model(images.view(-1, c, h, w))
        features = features.view(n, self.segments + self.audio, -1).mean(1)
        return self.new_fc(features)


def build(args, weights):
    classes = weights["new_fc.weight"].shape[0]
    model = Recognizer(args.segments, 1, classes)
    for stage in (model.base_model.layer1, model.base_model.layer2, model.base_model.layer3,
                  model.base_model.layer4):
        for block in stage:
            block.conv1 = TemporalShift(block.conv1, args.segments, 1, args.f_div, args.depth,
                                        args.style)
    state = {k: v for k, v in weights.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise SystemExit("checkpoint does not fit: missing %s, unexpected %s" % (missing, unexpected))
    return model.eval()


def seeded_inputs(segments, size):
    """Inputs both sides can make: x_i = ((i * 2654435761) mod 2^32) / 2^32 * 4 - 2, in C order."""
    video_n = segments * 3 * size * size
    i = np.arange(video_n + 3 * size * size, dtype=np.uint64)
    values = ((i * np.uint64(2654435761)) % np.uint64(2**32)).astype(np.float64) / 2**32 * 4 - 2
    values = values.astype(np.float32)
    video = torch.from_numpy(values[:video_n].reshape(1, segments, 3, size, size).copy())
    audio = torch.from_numpy(values[video_n:].reshape(1, 3, size, size).copy())
    return video, audio


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkpoint")
    parser.add_argument("out")
    parser.add_argument("--style", choices=["tsam", "tsm"], default="tsam")
    parser.add_argument("--segments", type=int, default=8)
    parser.add_argument("--f-div", type=int, default=8)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--reference")
    args = parser.parse_args()
    model = build(args, read_safetensors(args.checkpoint))
    video, audio = seeded_inputs(args.segments, args.size)
    with torch.no_grad():
        logits = model(video, audio)
        torch.onnx.export(model, (video, audio), args.out, opset_version=17,
                          input_names=["video", "audio"], output_names=["logits"],
                          dynamic_axes={"video": {0: "batch"}, "audio": {0: "batch"},
                                        "logits": {0: "batch"}})
    if args.reference:
        logits.numpy().astype("<f4").tofile(args.reference)
    print("wrote %s; logits[:5] of the seeded input: %s" % (args.out, logits[0, :5].tolist()))


if __name__ == "__main__":
    main()
