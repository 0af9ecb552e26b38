"""Checks that PyTorch accepts a native checkpoint written by io.tsam.model.checkpoint.NativeCheckpoint.

Run offline with torch 1.13 (the safetensors package is not needed):
    python3 model/src/test/python/check_native_checkpoint.py CKPT.safetensors

The sidecar CKPT.json gives the arch, the shift placement and the classes. A TSM-layout model is
built from torchvision's ResNet (the first conv of every selected block wrapped in a module whose
child is `net`, `base_model.fc` replaced by a parameterless Dropout as TSM does, a `new_fc` head)
and the weights are loaded with load_state_dict(strict=True), which fails on any missing,
unexpected or misshapen name, num_batches_tracked included. Prints the tensor count and the sum of
all float values.
"""
import json
import struct
import sys

import numpy as np
import torch
import torchvision

DTYPES = {"F32": np.float32, "I64": np.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        a = np.frombuffer(data[begin:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(a.copy())
    return tensors


class Shifted(torch.nn.Module):
    """Stands for TSM's TemporalShift: only the parameter path `<conv>.net.weight` matters here."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x)


def tsm_model(arch, shift, classes):
    base = getattr(torchvision.models, arch)()
    if shift["status"]:
        for stage in (base.layer1, base.layer2, base.layer3, base.layer4):
            for i, block in enumerate(stage):
                if i % shift["n_insert"] == shift["m_insert"]:
                    block.conv1 = Shifted(block.conv1)
    features = base.fc.in_features
    base.fc = torch.nn.Dropout()
    model = torch.nn.Module()
    model.base_model = base
    model.new_fc = torch.nn.Linear(features, classes)
    return model


def main(path):
    sidecar = json.load(open(path[: -len(".safetensors")] + ".json"))
    config = sidecar["config"]
    arch = config["model"]["arch"].replace("_timm", "")
    model = tsm_model(arch, config["shift_temporal"], sidecar["classes"])
    state = read_safetensors(path)
    model.load_state_dict(state, strict=True)
    total = sum(float(t.double().sum()) for t in state.values() if t.is_floating_point())
    print(f"{path}: load_state_dict(strict=True) accepted {len(state)} tensors; float sum {total}")


if __name__ == "__main__":
    main(sys.argv[1])
