"""Checkpoints in the layout TSAM's own training code saves (lib/utils/saveloadmodels.py).

Run offline with Debian's torch 1.13 from the repository root:
    /usr/bin/python3 model/src/test/python/make_tsam_code_fixtures.py
writes model/src/test/resources/checkpoint/tsam_code_tiny.pth (+ .expected.json): a dict
{'data_state': {'epoch', 'best_score unbalanced' (a numpy float64, as TSAM's sklearn scores
are)}, 'model_state': {'nn_input': {}, 'nn_backbone': {base_model.*, shifted convs
base_model.layerL.B.conv1.layer.weight}, 'last_fc': {weight, bias}}, 'optimizer_state_dict': an SGD
state with momentum buffers} with tiny tensors, for the reader and the name mapping.

    /usr/bin/python3 model/src/test/python/make_tsam_code_fixtures.py --full DIR
writes, for the end-to-end check outside CI, DIR/tsam_r18.pth (a random ResNet-18 TSAM in that
layout, random BatchNorm statistics), DIR/tsam_config.json (TSAM's config layout), and
DIR/inputs.npz + DIR/logits.npy: logits of an independent implementation of TSAM's model
(torchvision ResNet-18 and TSAM's shift_temporal written from its slicing loop) on random inputs.
"""
import collections
import json
import os
import sys

import numpy as np
import torch
from torch import nn

OUT = os.path.join("model", "src", "test", "resources", "checkpoint")


def tiny():
    torch.manual_seed(9)
    backbone = collections.OrderedDict()
    backbone["base_model.conv1.weight"] = torch.randn(2, 3, 1, 1)
    backbone["base_model.bn1.running_mean"] = torch.randn(2)
    backbone["base_model.bn1.num_batches_tracked"] = torch.tensor(7)
    backbone["base_model.layer1.0.conv1.layer.weight"] = torch.randn(2, 2, 1, 1)
    head = collections.OrderedDict()
    head["weight"] = torch.randn(3, 2)
    head["bias"] = torch.randn(3)
    params = [nn.Parameter(t.clone()) for t in backbone.values() if t.is_floating_point()]
    optimizer = torch.optim.SGD(params, lr=0.05, momentum=0.9)
    sum(p.sum() for p in params).backward()
    optimizer.step()
    checkpoint = {
        "data_state": {"epoch": 3, "best_score unbalanced": np.float64(0.625)},
        "model_state": {"nn_input": collections.OrderedDict(), "nn_backbone": backbone,
                        "last_fc": head},
        "optimizer_state_dict": optimizer.state_dict(),
    }
    torch.save(checkpoint, os.path.join(OUT, "tsam_code_tiny.pth"))
    expected = collections.OrderedDict()
    for part, state in (("nn_backbone", backbone), ("last_fc", head)):
        for key, t in state.items():
            dtype = "float32" if t.is_floating_point() else "int64"
            a = t.to(torch.float32 if dtype == "float32" else torch.int64).numpy()
            values = [float(v) if dtype == "float32" else int(v) for v in a.reshape(-1)]
            expected[part + "." + key] = {"dtype": dtype, "shape": list(a.shape), "values": values}
    with open(os.path.join(OUT, "tsam_code_tiny.expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


class TsamShift(nn.Module):
    """TSAM's TemporalShift wrapper (child `layer`), its shift_temporal as its slices read."""

    def __init__(self, layer, n_segment, n_shifted, f_div, depth):
        super().__init__()
        self.layer = layer
        self.f_n = layer.in_channels // f_div
        self.n_segment, self.n_shifted, self.depth = n_segment, n_shifted, depth

    def forward(self, x):
        nt, c, h, w = x.size()
        x = x.view(nt // self.n_segment, self.n_segment, c, h, w)
        f = self.f_n // self.depth
        out = x.clone()
        s = self.n_shifted
        for d in range(self.depth):
            l = d + 1
            f1, f2 = 2 * d * f, (2 * d + 1) * f
            if l < s:
                out[:, 0:s - l, f1:f1 + f] = x[:, l:s, f1:f1 + f]
                out[:, l:s, f2:f2 + f] = x[:, 0:s - l, f2:f2 + f]
        return self.layer(out.view(nt, c, h, w))


def full(folder):
    import torchvision

    torch.manual_seed(20261202)
    T, A, classes, size = 8, 1, 7, 64
    shift = {"status": True, "f_div": 4, "shift_depth": 4, "n_insert": 2, "m_insert": 0}
    base = torchvision.models.resnet18()
    base.fc = nn.Identity()
    for layer in (base.layer1, base.layer2, base.layer3, base.layer4):
        for i, block in enumerate(layer):
            if i % shift["n_insert"] == shift["m_insert"]:
                block.conv1 = TsamShift(block.conv1, T + A, T, shift["f_div"], shift["shift_depth"])
    for m in base.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    last_fc = nn.Linear(512, classes)
    backbone = nn.Module()
    backbone.base_model = base
    base.eval()
    video = torch.rand(2, T, 3, size, size)
    audio = torch.randn(2, A, 3, size, size)
    with torch.no_grad():
        x = torch.cat((video, audio), 1).reshape(-1, 3, size, size)
        features = base(x).view(-1, T + A, 512).mean(1)
        logits = last_fc(features)
    torch.save({"data_state": {"epoch": 1, "best_score unbalanced": np.float64(0.5)},
                "model_state": {"nn_input": collections.OrderedDict(),
                                "nn_backbone": backbone.state_dict(),
                                "last_fc": last_fc.state_dict()},
                "optimizer_state_dict": {}},
               os.path.join(folder, "tsam_r18.pth"))
    config = {
        "help": "TSAM's config layout",
        "data_augmentation": {
            "video_image_param": {"input_size": 256, "output_size": size},
            "video_augmentation": {"RandomHorizontalFlip": True, "scales": [1, 0.875, 0.75, 0.66],
                                   "ColorJitter": False, "RandomGrayscale": 0.0,
                                   "GaussianBlur": False},
            "audio_image_param": {"window_sizes": [25, 50, 100], "hop_sizes": [10, 25, 50],
                                  "n_mels": size, "eps": 1e-6, "spec_size": [3, size, size],
                                  "num_segments": 1, "m_segments": 1},
            "audio_augmentation": {"status": True, "random_shift_waveform": [1.0, 1.0]}},
        "model": {"video_segments": T, "audio_segments": A, "arch": "resnet18",
                  "pretrain": "imagenet", "dropout": 0.5},
        "shift_temporal": shift,
        "training_param": {"epochs": 50, "batch_size": 3, "num_workers": 4},
        "optimizer_param": {"lr": 0.05, "lr_decay": [0.1, 5, 0.01, 25, 0.001, 45],
                            "momentum": 0.9, "gd": 20, "weight_decay": 1e-4},
        "save_epoch": [90],
        "results_folder": "results"}
    with open(os.path.join(folder, "tsam_config.json"), "w") as f:
        json.dump(config, f, indent=2)
    np.save(os.path.join(folder, "video.npy"), video.numpy())
    np.save(os.path.join(folder, "audio.npy"), audio[:, 0].numpy())
    np.save(os.path.join(folder, "logits.npy"), logits.numpy())


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--full":
        os.makedirs(sys.argv[2], exist_ok=True)
        full(sys.argv[2])
    else:
        tiny()
