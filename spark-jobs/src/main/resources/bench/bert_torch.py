#!/usr/bin/python3
"""PyTorch reference for one BERT pretraining step (masked LM + next sentence), in tokens per second.

The model mirrors the DL4J graph of io.pretext.zoo.bert.Bert so that both can be timed side by side in the
same sitting on the same machine (model-zoo's io.pretext.zoo.bench.BertBenchmark is the DL4J side):

  embeddings   token table + learned positions + segment table, LayerNorm, dropout 0.1
  encoder      post-LN blocks: fused QKV projection, scaled dot-product attention over [batch, heads, seq, seq]
               with padded keys masked out, dropout 0.1 on the attention weights, output projection, dropout,
               residual + LayerNorm; feed-forward 4 x hidden with exact (erf) GELU, dropout, residual + LayerNorm
  MLM head     the masked positions gathered first ([batch * 20, hidden]), Dense + GELU + LayerNorm, decoder tied
               to the token table plus a bias, cross-entropy averaged over the predictions
  NSP head     [CLS] -> Dense + tanh pooler -> 2-way softmax, cross-entropy
  optimiser    Adam, learning rate 1e-4

Presets: bert-tiny (2 layers, hidden 128, 2 heads), bert-mini (4/256/4), bert-small (4/512/8),
bert-medium (8/512/8), bert-base (12/768/12); vocabulary 30,522 (bert-base-uncased), 512 positions.
Inputs are one fixed random minibatch of full-length sequences: this times the training step, not I/O.

Prints exactly one JSON line per preset on stdout, e.g.
{"framework": "pytorch", "model": "bert-mini", "batch": 32, "seq": 128, ..., "tokensPerSecMedian": 2500.0}

Only torch is needed: /usr/bin/python3 bert_torch.py --preset bert-tiny bert-mini --threads 2

Debian's python3-torch multiplies matrices through the system libblas.so.3; where only the reference BLAS
(package libblas3) is installed, that runs about 10x slower than an optimised BLAS. The "blas" field of the
output names the BLAS library the process loaded. For a fair comparison, preload an optimised one, e.g. the
OpenBLAS that ND4J itself uses (extract org/bytedeco/openblas/linux-x86_64/ from the
org.bytedeco:openblas:0.3.19-1.5.7:linux-x86_64 jar in the Maven repository):

  LD_LIBRARY_PATH=$DIR LD_PRELOAD=$DIR/libopenblas.so.0 /usr/bin/python3 bert_torch.py
"""

import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PRESETS = {
    "bert-tiny": (2, 128, 2),
    "bert-mini": (4, 256, 4),
    "bert-small": (4, 512, 8),
    "bert-medium": (8, 512, 8),
    "bert-base": (12, 768, 12),
}
VOCAB = 30522
MAX_POSITIONS = 512
PREDICTIONS = 20


class Block(nn.Module):
    def __init__(self, hidden, heads, dropout):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.norm1 = nn.LayerNorm(hidden, eps=1e-12)
        self.ffn_in = nn.Linear(hidden, 4 * hidden)
        self.ffn_out = nn.Linear(4 * hidden, hidden)
        self.norm2 = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, logit_bias):
        b, t, h = x.shape
        d = h // self.heads
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d).permute(2, 0, 3, 1, 4)   # each [b, heads, t, d]
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + logit_bias, dim=-1)
        context = (self.dropout(a) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.norm1(x + self.dropout(self.out(context)))
        return self.norm2(x + self.dropout(self.ffn_out(F.gelu(self.ffn_in(x)))))


class Bert(nn.Module):
    def __init__(self, layers, hidden, heads, dropout=0.1):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, hidden)
        self.positions = nn.Embedding(MAX_POSITIONS, hidden)
        self.segments = nn.Embedding(2, hidden)
        self.norm = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(hidden, heads, dropout) for _ in range(layers)])
        self.pooler = nn.Linear(hidden, hidden)
        self.nsp = nn.Linear(hidden, 2)
        self.transform = nn.Linear(hidden, hidden)
        self.transform_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.decoder_bias = nn.Parameter(torch.zeros(VOCAB))
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.trunc_normal_(m.weight, std=0.02, a=-0.04, b=0.04)
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def forward(self, tokens, segments, mask, positions):
        b, t = tokens.shape
        x = self.tokens(tokens) + self.positions.weight[:t] + self.segments(segments)
        x = self.dropout(self.norm(x))
        logit_bias = ((mask - 1.0) * 1e9)[:, None, None, :]                  # [b, 1, 1, t]
        for block in self.blocks:
            x = block(x, logit_bias)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        nsp_logits = self.nsp(pooled)
        rows = (positions + torch.arange(b)[:, None] * t).reshape(-1)
        gathered = x.reshape(b * t, -1)[rows]                               # [b * p, hidden]
        h = self.transform_norm(F.gelu(self.transform(gathered)))
        mlm_logits = h @ self.tokens.weight.t() + self.decoder_bias
        return mlm_logits, nsp_logits


def batch(size, seq, generator):
    tokens = torch.randint(1000, VOCAB, (size, seq), generator=generator)
    segments = (torch.arange(seq) >= seq // 2).long().expand(size, seq)
    mask = torch.ones(size, seq)
    positions = torch.stack([torch.randperm(seq - 1, generator=generator)[:PREDICTIONS] + 1 for _ in range(size)])
    labels = torch.gather(tokens, 1, positions)
    tokens = tokens.scatter(1, positions, 103)
    weights = torch.ones(size, PREDICTIONS)
    nsp = torch.randint(0, 2, (size,), generator=generator)
    return tokens, segments, mask, positions, labels, weights, nsp


def loaded_blas():
    """The BLAS shared libraries mapped into this process (after torch has loaded)."""
    names = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            name = line.split()[-1].rsplit("/", 1)[-1]
            if "blas" in name or "mkl" in name:
                names.add(name)
    return ",".join(sorted(names)) or "none"


def run(preset, size, seq, steps, warmup):
    layers, hidden, heads = PRESETS[preset]
    model = Bert(layers, hidden, heads)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    tokens, segments, mask, positions, labels, weights, nsp = batch(size, seq, torch.Generator().manual_seed(1))
    rates = []
    loss = None
    for step in range(warmup + steps):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        mlm_logits, nsp_logits = model(tokens, segments, mask, positions)
        per_prediction = F.cross_entropy(mlm_logits, labels.reshape(-1), reduction="none")
        mlm = (per_prediction * weights.reshape(-1)).sum() / weights.sum()
        loss = mlm + F.cross_entropy(nsp_logits, nsp)
        loss.backward()
        optimizer.step()
        if step >= warmup:
            rates.append(size * seq / (time.perf_counter() - start))
    return {
        "framework": "pytorch",
        "torch": torch.__version__,
        "model": preset,
        "batch": size,
        "seq": seq,
        "threads": torch.get_num_threads(),
        "blas": loaded_blas(),
        "params": sum(p.numel() for p in model.parameters()),
        "steps": steps,
        "loss": round(loss.item(), 4),
        "tokensPerSecMedian": round(statistics.median(rates), 1),
        "tokensPerSecBest": round(max(rates), 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", nargs="+", default=["bert-tiny", "bert-mini"], choices=sorted(PRESETS))
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    for preset in args.preset:
        print(json.dumps(run(preset, args.batch, args.seq, args.steps, args.warmup)), flush=True)


if __name__ == "__main__":
    main()
