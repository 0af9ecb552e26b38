"""Writes the eval-mode logits of a ResNet-18 TSAM net whose weights and inputs come from the
formulas of tsam_reference (formula_value, formula_input), so the fixture is only the logits.

T=3, A=1, N=2, 32x32 images, shift_depth=2, f_div=4, n_insert=2, m_insert=1, classes=5.
Run: /usr/bin/python3 make_tsam_logits.py ../resources/io/tsam/model/net/tsam_resnet18_logits.npy
"""
import sys

import numpy as np
import torch

from tsam_reference import Tsam, formula_input, formula_value

SEGMENTS, AUDIO, BATCH, SIZE, CLASSES = 3, 1, 2, 32, 5

net = Tsam("resnet18", SEGMENTS, AUDIO, CLASSES, f_div=4, depth=2, n_insert=2, m_insert=1)
state = net.state_dict()
names = [k for k in state if not k.endswith("num_batches_tracked")]
net.load_state_dict(
    {k: torch.from_numpy(formula_value(k, tuple(state[k].shape), names.index(k))) for k in names},
    strict=False,
)
net.eval()
video = torch.from_numpy(formula_input((BATCH, SEGMENTS, 3, SIZE, SIZE), 0.011, 0.3))
audio = torch.from_numpy(formula_input((BATCH, 3, SIZE, SIZE), 0.017, 1.1))
with torch.no_grad():
    logits = net(video, audio)
print(logits)
np.save(sys.argv[1], logits.numpy().astype(np.float32))
