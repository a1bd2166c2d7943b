#!/usr/bin/python3
"""PyTorch reference for one SimCLR training step, measured in images per second.

The models, the loss and the optimiser mirror the DL4J graphs that Pretext
trains, so that `pretext bench simclr` can put both frameworks side by side in
the same sitting on the same machine:

  small-cnn       3 x (conv3x3 no bias -> batch norm -> ReLU), 32/64/128 channels,
                  2x2 max pooling after the first two blocks, global average pool,
                  projection head 128 -> 128 (ReLU) -> 128
  resnet18-cifar  3x3 stem (64, stride 1, no max pool), basic blocks [2, 2, 2, 2]
                  with 64/128/256/512 channels (1x1 conv + BN shortcut where the
                  shape changes), global average pool, head 512 -> 512 (ReLU) -> 128

One step: `batch` images, two views each, so 2 * batch rows of size x size x 3
float32 go forward; NT-Xent (cosine similarity, temperature 0.5, 2 * batch - 2
negatives per row) is the loss; SGD with Nesterov momentum 0.9 and a fixed
learning rate updates the weights. Inputs are fixed random tensors: this times
the training step, not augmentation or I/O.

Prints exactly one JSON line on stdout, e.g.
{"framework": "pytorch", "model": "small-cnn", ..., "stepMsMedian": 104.5, "cpuMsPerStep": 205.1,
 "imagesPerSecMedian": 612.3, "imagesPerSecBest": 801.0}
Images (not views) are counted. cpuMsPerStep is the process CPU time (all threads) per timed step:
on a shared machine it moves less with other load than the wall-clock figures do.

Only torch is needed: python3 simclr_torch.py --model small-cnn --threads 2
"""

import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn_relu(c_in, c_out, stride=1):
    return [
        nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    ]


class SmallCnn(nn.Module):
    def __init__(self, projection_dim=128):
        super().__init__()
        self.encoder = nn.Sequential(
            *conv_bn_relu(3, 32), nn.MaxPool2d(2),     # [n, 32, s/2, s/2]
            *conv_bn_relu(32, 64), nn.MaxPool2d(2),    # [n, 64, s/4, s/4]
            *conv_bn_relu(64, 128),                    # [n, 128, s/4, s/4]
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),     # [n, 128]
        )
        self.head = nn.Sequential(nn.Linear(128, 128), nn.ReLU(inplace=True), nn.Linear(128, projection_dim))

    def forward(self, x):
        return self.head(self.encoder(x))


class BasicBlock(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.shortcut = nn.Sequential()
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)), inplace=True)
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x), inplace=True)


class ResNet18Cifar(nn.Module):
    def __init__(self, projection_dim=128):
        super().__init__()
        layers = [*conv_bn_relu(3, 64)]
        c_in = 64
        for c_out, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
            layers += [BasicBlock(c_in, c_out, stride), BasicBlock(c_out, c_out, 1)]
            c_in = c_out
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]           # [n, 512]
        self.encoder = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Linear(512, 512), nn.ReLU(inplace=True), nn.Linear(512, projection_dim))

    def forward(self, x):
        return self.head(self.encoder(x))


MODELS = {"small-cnn": SmallCnn, "resnet18-cifar": ResNet18Cifar}


def nt_xent(z, temperature):
    """z: [2n, d], rows i and i + n are the two views of image i."""
    two_n = z.shape[0]
    n = two_n // 2
    u = F.normalize(z, dim=1)
    sim = u @ u.t() / temperature                                   # [2n, 2n]
    sim = sim.masked_fill(torch.eye(two_n, dtype=torch.bool), float("-inf"))
    positives = torch.cat([torch.arange(n, two_n), torch.arange(0, n)])
    return F.cross_entropy(sim, positives)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", choices=sorted(MODELS), default="small-cnn")
    p.add_argument("--batch", type=int, default=64, help="images per step (each gives two views)")
    p.add_argument("--size", type=int, default=32, help="image height and width")
    p.add_argument("--threads", type=int, default=2, help="intra-op threads (torch.set_num_threads)")
    p.add_argument("--steps", type=int, default=20, help="timed steps")
    p.add_argument("--warmup", type=int, default=5, help="untimed steps first")
    p.add_argument("--temperature", type=float, default=0.5)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=12345)
    a = p.parse_args(argv)
    for key in ("batch", "size", "threads", "steps"):
        if getattr(a, key) < 1:
            p.error(f"--{key} must be >= 1, got {getattr(a, key)}")
    if a.warmup < 0:
        p.error(f"--warmup must be >= 0, got {a.warmup}")
    if a.temperature <= 0:
        p.error(f"--temperature must be > 0, got {a.temperature}")
    return a


def main(argv):
    a = parse_args(argv)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = MODELS[a.model]()
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9, nesterov=True)
    views = torch.randn(2 * a.batch, 3, a.size, a.size)            # [2n, 3, s, s]

    def step():
        opt.zero_grad(set_to_none=True)
        loss = nt_xent(model(views), a.temperature)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    seconds = []
    loss = float("nan")
    cpu0 = time.process_time()
    for _ in range(a.steps):
        t0 = time.perf_counter()
        loss = step()
        seconds.append(time.perf_counter() - t0)
    cpu_per_step = (time.process_time() - cpu0) / a.steps

    median = statistics.median(seconds)
    best = min(seconds)
    print(json.dumps({
        "framework": "pytorch",
        "torch": torch.__version__,
        "model": a.model,
        "batch": a.batch,
        "views": 2 * a.batch,
        "size": a.size,
        "threads": torch.get_num_threads(),
        "steps": a.steps,
        "warmup": a.warmup,
        "params": sum(p.numel() for p in model.parameters()),
        "loss": round(loss, 6),
        "stepMsMedian": round(1000 * median, 3),
        "cpuMsPerStep": round(1000 * cpu_per_step, 1),
        "imagesPerSecMedian": round(a.batch / median, 2),
        "imagesPerSecBest": round(a.batch / best, 2),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
