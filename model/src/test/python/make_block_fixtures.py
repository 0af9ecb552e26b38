"""Writes the residual-block parity fixtures: a shifted BasicBlock and a shifted, strided
Bottleneck with downsample, random weights and BN statistics, eval- and train-mode outputs.

T=3, A=1, N=2, f_div=4, shift_depth=2; inputs [N*(T+A), 8, 6, 6].
Each fixture folder holds params/<torch name>.npy (the weights before the train step),
input.npy, eval_output.npy, train_output.npy and after_train/<name>.npy (running statistics
after one train-mode forward).
Run: /usr/bin/python3 make_block_fixtures.py ../resources/io/tsam/model/net
"""
import copy
import os
import sys

import numpy as np
import torch
from torch import nn
from torchvision.models.resnet import BasicBlock, Bottleneck

from tsam_reference import Shifted

SEGMENTS, AUDIO, BATCH, F_DIV, DEPTH = 3, 1, 2, 4, 2
IN_CHANNELS, SIZE = 8, 6


def randomise_batch_norms(block):
    for module in block.modules():
        if isinstance(module, nn.BatchNorm2d):
            c = module.num_features
            module.weight.data = torch.rand(c) + 0.5
            module.bias.data = torch.randn(c) * 0.1
            module.running_mean = torch.randn(c) * 0.1
            module.running_var = torch.rand(c) + 0.5


def save(folder, name, tensor):
    os.makedirs(os.path.dirname(os.path.join(folder, name)), exist_ok=True)
    np.save(os.path.join(folder, name + ".npy"), tensor.detach().numpy().astype(np.float32))


def write(folder, block):
    block.conv1 = Shifted(block.conv1, SEGMENTS, AUDIO, F_DIV, DEPTH)
    randomise_batch_norms(block)
    for name, value in block.state_dict().items():
        if not name.endswith("num_batches_tracked"):
            save(folder, "params/" + name, value)
    x = torch.randn(BATCH * (SEGMENTS + AUDIO), IN_CHANNELS, SIZE, SIZE)
    save(folder, "input", x)
    block.eval()
    with torch.no_grad():
        save(folder, "eval_output", block(x))
    trained = copy.deepcopy(block).train()
    with torch.no_grad():
        save(folder, "train_output", trained(x))
    for name, value in trained.state_dict().items():
        if name.endswith("running_mean") or name.endswith("running_var"):
            save(folder, "after_train/" + name, value)


torch.manual_seed(20240601)
root = sys.argv[1]
write(os.path.join(root, "basic_block"), BasicBlock(IN_CHANNELS, 8))
downsample = nn.Sequential(nn.Conv2d(IN_CHANNELS, 16, 1, stride=2, bias=False), nn.BatchNorm2d(16))
write(os.path.join(root, "bottleneck"), Bottleneck(IN_CHANNELS, 4, stride=2, downsample=downsample))
