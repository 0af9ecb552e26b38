"""Writes the PyTorch names and shapes of a TSM-layout ResNet-50 TSAM net, every block shifted.

Mapped from torchvision's resnet50().state_dict(): prefix base_model., .net on every residual
block's conv1 (n_insert=1, m_insert=0), fc -> new_fc, num_batches_tracked dropped.
Run: /usr/bin/python3 make_resnet50_names.py ../resources/io/tsam/model/net/resnet50_names.txt
"""
import re
import sys

import torchvision

from tsam_reference import Tsam

BLOCK_CONV1 = re.compile(r"^(layer\d\.\d+)\.conv1\.weight$")

lines = []
for key, value in torchvision.models.resnet50().state_dict().items():
    if key.endswith("num_batches_tracked"):
        continue
    if key.startswith("fc."):
        name = "new_fc." + key[len("fc.") :]
    else:
        name = "base_model." + BLOCK_CONV1.sub(r"\1.conv1.net.weight", key)
    lines.append(name + " " + ",".join(str(d) for d in value.shape))

# The mapping must agree with the reference net built by composition.
reference = [
    k + " " + ",".join(str(d) for d in v.shape)
    for k, v in Tsam("resnet50", 8, 1, 1000, 8, 1, 1, 0).state_dict().items()
    if not k.endswith("num_batches_tracked")
]
assert lines == reference, "mapped torchvision names differ from the reference net"

with open(sys.argv[1], "w") as out:
    out.write("\n".join(lines) + "\n")
