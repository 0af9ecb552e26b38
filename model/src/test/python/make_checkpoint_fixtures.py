"""Writes the fixtures of io.tsam.model.checkpoint under model/src/test/resources/checkpoint/.

Run offline with torch 1.13 from the repository root:
    python3 model/src/test/python/make_checkpoint_fixtures.py

Each "<name>.expected.json" lists the tensors the Java reader must return for "<name>.<ext>":
raw name -> {"dtype": "float32" | "int64", "shape": [...], "values": [row-major values]}, where
floating tensors of any precision are listed as their exact float32 values.
- tsm_tiny.pth: a TSM training checkpoint {'epoch', 'arch', 'best_prec1', 'state_dict',
  'optimizer'} whose state dict is prefixed "module." and holds float32, float16, bfloat16 and
  float64 tensors, a 0-d int64 num_batches_tracked, a transposed (non-contiguous) weight, a
  permuted conv weight and two views into one shared storage at non-zero offsets.
- byteorder_little.pth / byteorder_big.pth: one float32 state dict re-packed with the "byteorder"
  entry newer torch writes, the big one with its storages byte-swapped.
- plain_resnet.pth / plain_resnet.safetensors: a plain torchvision-layout ResNet state dict with
  tiny shapes (conv1, bn1, layer1.0, layer2.0 with a downsample, fc); the safetensors file is
  written by hand (8-byte little-endian header length, JSON header padded with spaces to 8 bytes,
  "__metadata__", raw data) because the safetensors package is not installed.
- malicious_os_system.pth, malicious_eval.pth: torch.save archives whose pickle references
  os.system (pickled as posix.system, protocol 2 GLOBAL) and builtins.eval (protocol 4
  STACK_GLOBAL) through a custom __reduce__; nothing is ever called.
- legacy.pth: the pre-1.6 (non-zip) torch.save format.
"""
import collections
import io
import json
import os
import struct
import zipfile

import numpy as np
import torch

OUT = os.path.join("model", "src", "test", "resources", "checkpoint")
torch.manual_seed(20240611)


def exact(t):
    """The tensor as the Java reader returns it: float32 for floating types, int64 otherwise."""
    if t.is_floating_point():
        return "float32", t.detach().to(torch.float32).contiguous().numpy()
    return "int64", t.detach().to(torch.int64).contiguous().numpy()


def write_expected(name, state_dict):
    entries = collections.OrderedDict()
    for key, t in state_dict.items():
        dtype, a = exact(t)
        values = [float(v) if dtype == "float32" else int(v) for v in a.reshape(-1)]
        entries[key] = {"dtype": dtype, "shape": list(a.shape), "values": values}
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(entries, f, indent=1)
        f.write("\n")


def tsm_tiny():
    shared = torch.rand(12) + 0.5
    sd = collections.OrderedDict()
    sd["module.base_model.conv1.weight"] = torch.randn(4, 3, 3, 3)
    sd["module.base_model.bn1.weight"] = (torch.rand(4) + 0.5).half()
    sd["module.base_model.bn1.bias"] = torch.randn(4).bfloat16()
    sd["module.base_model.bn1.running_mean"] = torch.randn(4, dtype=torch.float64)
    sd["module.base_model.bn1.running_var"] = shared[3:7]
    sd["module.base_model.bn1.num_batches_tracked"] = torch.tensor(42)
    sd["module.base_model.layer1.0.conv1.net.weight"] = torch.randn(3, 3, 4, 4).permute(2, 3, 0, 1)
    sd["module.new_fc.weight"] = torch.randn(4, 5).t()
    sd["module.new_fc.bias"] = shared[7:12]
    assert not sd["module.new_fc.weight"].is_contiguous()
    assert not sd["module.base_model.layer1.0.conv1.net.weight"].is_contiguous()
    assert sd["module.new_fc.bias"].storage_offset() == 7
    checkpoint = {
        "epoch": 3,
        "arch": "resnet18",
        "best_prec1": 71.25,
        "state_dict": sd,
        "optimizer": {
            "state": {0: {"momentum_buffer": torch.zeros(2)}},
            "param_groups": [{"lr": 0.01, "momentum": 0.9, "nesterov": False,
                              "weight_decay": None, "params": [0]}],
        },
    }
    torch.save(checkpoint, os.path.join(OUT, "tsm_tiny.pth"))
    write_expected("tsm_tiny", sd)


def repack(src, dst, byteorder):
    """Copies a torch.save archive adding a 'byteorder' entry; 'big' byte-swaps float32 data."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        root = zin.namelist()[0].split("/")[0]
        for info in zin.infolist():
            data = zin.read(info.filename)
            if byteorder == "big" and info.filename.startswith(root + "/data/"):
                data = np.frombuffer(data, dtype="<f4").astype(">f4").tobytes()
            zout.writestr(info.filename, data)
        zout.writestr(root + "/byteorder", byteorder)


def byteorder():
    sd = collections.OrderedDict()
    sd["weight"] = torch.randn(3, 2).t()
    sd["bias"] = torch.randn(3)
    plain = os.path.join(OUT, "byteorder_tmp.pth")
    torch.save(sd, plain)
    repack(plain, os.path.join(OUT, "byteorder_little.pth"), "little")
    repack(plain, os.path.join(OUT, "byteorder_big.pth"), "big")
    os.remove(plain)
    write_expected("byteorder", sd)


def bn(sd, prefix, channels):
    sd[prefix + ".weight"] = torch.rand(channels) + 0.5
    sd[prefix + ".bias"] = torch.randn(channels)
    sd[prefix + ".running_mean"] = torch.randn(channels)
    sd[prefix + ".running_var"] = torch.rand(channels) + 0.5
    sd[prefix + ".num_batches_tracked"] = torch.tensor(7)


def plain_resnet():
    sd = collections.OrderedDict()
    sd["conv1.weight"] = torch.randn(4, 3, 3, 3).half()
    bn(sd, "bn1", 4)
    sd["bn1.weight"] = sd["bn1.weight"].bfloat16()
    sd["bn1.running_var"] = sd["bn1.running_var"].double()
    sd["layer1.0.conv1.weight"] = torch.randn(4, 4, 3, 3)
    bn(sd, "layer1.0.bn1", 4)
    sd["layer1.0.conv2.weight"] = torch.randn(4, 4, 3, 3)
    bn(sd, "layer1.0.bn2", 4)
    sd["layer2.0.conv1.weight"] = torch.randn(8, 4, 3, 3)
    bn(sd, "layer2.0.bn1", 8)
    sd["layer2.0.conv2.weight"] = torch.randn(8, 8, 3, 3)
    bn(sd, "layer2.0.bn2", 8)
    sd["layer2.0.downsample.0.weight"] = torch.randn(8, 4, 1, 1)
    bn(sd, "layer2.0.downsample.1", 8)
    sd["fc.weight"] = torch.randn(10, 8)
    sd["fc.bias"] = torch.randn(10)
    torch.save(sd, os.path.join(OUT, "plain_resnet.pth"))
    write_safetensors(os.path.join(OUT, "plain_resnet.safetensors"), sd)
    write_expected("plain_resnet", sd)


SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
                      torch.float64: "F64", torch.int64: "I64"}


def write_safetensors(path, sd):
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for key in sorted(sd):
        t = sd[key].contiguous()
        if t.dtype == torch.bfloat16:
            # numpy has no bfloat16: take the raw 16-bit patterns.
            data = t.view(torch.int16).numpy().astype("<i2").tobytes()
        else:
            data = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[key] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape),
                       "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


class Payload:
    """Pickles as a call of `target(argument)`; torch.save only records the reference."""

    def __init__(self, target, argument):
        self.target = target
        self.argument = argument

    def __reduce__(self):
        return (self.target, (self.argument,))


def malicious():
    sd = collections.OrderedDict(weight=torch.ones(2))
    torch.save({"state_dict": sd, "payload": Payload(os.system, "echo owned")},
               os.path.join(OUT, "malicious_os_system.pth"))
    torch.save({"state_dict": sd, "payload": Payload(eval, "print('owned')")},
               os.path.join(OUT, "malicious_eval.pth"), pickle_protocol=4)


def legacy():
    sd = collections.OrderedDict(weight=torch.ones(2))
    torch.save(sd, os.path.join(OUT, "legacy.pth"), _use_new_zipfile_serialization=False)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    tsm_tiny()
    byteorder()
    plain_resnet()
    malicious()
    legacy()
