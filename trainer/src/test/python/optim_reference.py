"""Writes trainer/src/test/resources/optim/reference.json: PyTorch reference values for io.tsam.trainer.optim.

Run offline with torch 1.13 from the repository root:
    python3 trainer/src/test/python/optim_reference.py

Everything is float32; values are written as the exact decimal of each float32.
- "model": a tiny network (per-channel affine as "BN", a 1x1 conv, tanh, a linear head) with
  inputs, labels and initial parameters.
- "sgd", "adamw": 5 training steps each (zero_grad, forward, CrossEntropyLoss with label smoothing,
  backward, clip_grad_norm_, step) with a different learning rate per step; weight decay only on
  the conv/linear weights (rank >= 2), as TSM's optimizer policies do. Per step: the loss, the
  gradient norm clip_grad_norm_ returned, and every parameter after the step.
- "cross_entropy": loss and d(loss)/d(logits) for a few smoothing values.
- "clip": clip_grad_norm_ on fixed gradients, once below and once above max_norm.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20240607)
torch.set_num_threads(1)

N, C, K = 6, 4, 3
SMOOTHING = 0.1
NAMES = ["base_model.bn1.weight", "base_model.bn1.bias", "base_model.conv1.weight",
         "new_fc.weight", "new_fc.bias"]
SHAPES = [(C,), (C,), (C, C, 1, 1), (K, C), (K,)]


def values(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def tensor_json(t):
    return {"shape": list(t.shape), "data": values(t)}


x = torch.randn(N, C)
labels = torch.tensor([0, 2, 1, 1, 0, 2])
initial = [torch.randn(s) * 0.5 for s in SHAPES]
initial[0] = initial[0] + 1.0


def forward(p):
    bn_w, bn_b, conv_w, fc_w, fc_b = p
    h = x * bn_w + bn_b
    h = torch.tanh(h @ conv_w.reshape(C, C).t())
    return h @ fc_w.t() + fc_b


def train(make_optimizer, lrs, max_norm):
    params = [t.clone().requires_grad_(True) for t in initial]
    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    optimizer = make_optimizer(decay, no_decay)
    criterion = torch.nn.CrossEntropyLoss(label_smoothing=SMOOTHING)
    steps = []
    for lr in lrs:
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.zero_grad()
        loss = criterion(forward(params), labels)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(params, max_norm if max_norm else float("inf"))
        optimizer.step()
        steps.append({
            "lr": lr,
            "loss": float(loss),
            "grad_norm": float(norm),
            "params": {n: tensor_json(p) for n, p in zip(NAMES, params)},
        })
    return steps


SGD_WD, ADAMW_WD = 0.01, 0.05
sgd_lrs = [0.1, 0.09, 0.08, 0.07, 0.06]
sgd_clip = 0.6
sgd = train(lambda d, nd: torch.optim.SGD(
    [{"params": d, "weight_decay": SGD_WD}, {"params": nd, "weight_decay": 0.0}],
    lr=sgd_lrs[0], momentum=0.9), sgd_lrs, sgd_clip)
adamw_lrs = [0.01, 0.008, 0.006, 0.005, 0.004]
adamw = train(lambda d, nd: torch.optim.AdamW(
    [{"params": d, "weight_decay": ADAMW_WD}, {"params": nd, "weight_decay": 0.0}],
    lr=adamw_lrs[0], betas=(0.9, 0.999), eps=1e-8), adamw_lrs, None)

cross_entropy = []
logits = torch.randn(5, 7) * 2
ce_labels = torch.tensor([3, 0, 6, 2, 3])
for eps in [0.0, 0.1, 0.3]:
    z = logits.clone().requires_grad_(True)
    loss = torch.nn.CrossEntropyLoss(label_smoothing=eps)(z, ce_labels)
    loss.backward()
    cross_entropy.append({"smoothing": eps, "loss": float(loss), "grad": tensor_json(z.grad)})

clip = []
grads = [torch.randn(3, 2), torch.randn(4), torch.randn(2, 2, 1, 1)]
total = float(torch.norm(torch.stack([g.norm() for g in grads])))
for max_norm in [total * 2.0, 1.5]:
    ps = [torch.zeros_like(g, requires_grad=True) for g in grads]
    for p, g in zip(ps, grads):
        p.grad = g.clone()
    norm = torch.nn.utils.clip_grad_norm_(ps, max_norm)
    clip.append({"max_norm": max_norm, "norm": float(norm),
                 "grads": [tensor_json(g) for g in grads],
                 "clipped": [tensor_json(p.grad) for p in ps]})

reference = {
    "torch_version": torch.__version__,
    "model": {
        "x": tensor_json(x),
        "labels": labels.tolist(),
        "smoothing": SMOOTHING,
        "names": NAMES,
        "initial": {n: tensor_json(t) for n, t in zip(NAMES, initial)},
    },
    "sgd": {"momentum": 0.9, "weight_decay": SGD_WD, "clip": sgd_clip, "steps": sgd},
    "adamw": {"weight_decay": ADAMW_WD, "steps": adamw},
    "cross_entropy": {"logits": tensor_json(logits), "labels": ce_labels.tolist(),
                      "cases": cross_entropy},
    "clip": clip,
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "..", "resources", "optim", "reference.json")
with open(out, "w") as f:
    json.dump(reference, f, indent=1)
    f.write("\n")
for name, run in [("sgd", sgd), ("adamw", adamw)]:
    print(name, [round(s["grad_norm"], 4) for s in run], [round(s["loss"], 4) for s in run])
