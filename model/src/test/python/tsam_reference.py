"""An independent PyTorch reference of the TSAM network (SPEC section 1), for test fixtures only.

The shift is written from the SPEC with plain slicing, not from the Java index table, and the
backbone is torchvision's ResNet, so the Java net is checked against a second implementation.
"""
import math

import numpy as np
import torch
import torchvision
from torch import nn


def temporal_shift(x, segments, audio_segments, f_div, depth):
    """Shifts the video images of [N*(T+A), C, H, W] along time; audio images pass unchanged."""
    nt, c, h, w = x.shape
    x = x.view(nt // (segments + audio_segments), segments + audio_segments, c, h, w)
    video, audio = x[:, :segments], x[:, segments:]
    out = torch.zeros_like(video)
    fold = c // f_div
    size = fold // depth
    for g in range(depth):
        lo = g * size
        hi = fold if g == depth - 1 else (g + 1) * size
        d = g + 1
        if d < segments:
            # channels [0, fold) read from the future, [fold, 2*fold) from the past
            out[:, : segments - d, lo:hi] = video[:, d:, lo:hi]
            out[:, d:, fold + lo : fold + hi] = video[:, : segments - d, fold + lo : fold + hi]
    out[:, :, 2 * fold :] = video[:, :, 2 * fold :]
    return torch.cat([out, audio], dim=1).view(nt, c, h, w)


class Shifted(nn.Module):
    """TSM's residual-shift wrapper: the wrapped conv is the child `net`."""

    def __init__(self, net, segments, audio_segments, f_div, depth):
        super().__init__()
        self.net = net
        self.args = (segments, audio_segments, f_div, depth)

    def forward(self, x):
        return self.net(temporal_shift(x, *self.args))


def shift_blocks(resnet, segments, audio_segments, f_div, depth, n_insert, m_insert):
    for layer in (resnet.layer1, resnet.layer2, resnet.layer3, resnet.layer4):
        for i, block in enumerate(layer):
            if i % n_insert == m_insert:
                block.conv1 = Shifted(block.conv1, segments, audio_segments, f_div, depth)


class Tsam(nn.Module):
    """Shared backbone over T video + A audio images, mean over images, then new_fc."""

    def __init__(self, arch, segments, audio_segments, classes, f_div, depth, n_insert, m_insert):
        super().__init__()
        base = getattr(torchvision.models, arch)()
        features = base.fc.in_features
        base.fc = nn.Identity()
        shift_blocks(base, segments, audio_segments, f_div, depth, n_insert, m_insert)
        self.base_model = base
        self.new_fc = nn.Linear(features, classes)

    def forward(self, video, audio=None):
        images = video if audio is None else torch.cat([video, audio.unsqueeze(1)], dim=1)
        n, s = images.shape[:2]
        features = self.base_model(images.flatten(0, 1)).view(n, s, -1)
        return self.new_fc(features.mean(dim=1))


def formula_value(name, shape, index):
    """The deterministic value of parameter number `index` (state_dict order), float32."""
    n = int(np.prod(shape))
    wave = np.sin(0.37 * np.arange(n) + index)
    if name.endswith("running_var"):
        values = 1 + 0.25 * (1 + wave)
    elif name.endswith("running_mean"):
        values = 0.1 * wave
    elif name.endswith(".weight") and len(shape) == 1:
        values = 1 + 0.1 * wave
    elif name.endswith(".bias"):
        values = 0.1 * wave
    else:
        values = wave * 2 / math.sqrt(n // shape[0])
    return values.astype(np.float32).reshape(shape)


def formula_input(shape, step, phase):
    """A deterministic input: sin(step * i + phase) * 2 over the flat index i, float32."""
    n = int(np.prod(shape))
    return (np.sin(step * np.arange(n) + phase) * 2).astype(np.float32).reshape(shape)
