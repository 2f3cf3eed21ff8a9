#!/usr/bin/env python3
"""PyTorch's side of bench/positions.sh: the model `embedscope positions` trains (byte tokens,
learned positions, tied token table, pre-LN blocks, tanh GELU, GPT-2 init, AdamW with betas
0.9/0.95 and weight decay 0.1 on matrices and tables, constant lr), trained on the same text
with nn.Module layers, and one JSON line like ours: steps, tokens, seconds, cpu_seconds (the
training loop only: the import and the first batch's setup are outside), tokens_per_sec, loss
(mean of the last 50 steps), mean adjacent cosine, cos(5,6), cos(5,100).

    positions_torch.py CORPUS --steps N [--batch 8] [--len 128] [--dim 32] [--layers 1]
                       [--heads 4] [--lr 3e-3] [--threads 2] [--seed 1] [--init gpt2|torch]
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, c, h):
        super().__init__()
        self.h = h
        self.ln1, self.ln2 = nn.LayerNorm(c), nn.LayerNorm(c)
        self.qkv, self.proj = nn.Linear(c, 3 * c), nn.Linear(c, c)
        self.fc, self.fcproj = nn.Linear(c, 4 * c), nn.Linear(4 * c, c)

    def forward(self, x, mask):
        B, T, C = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
        q, k, v = (z.view(B, T, self.h, C // self.h).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(C // self.h))
        att = F.softmax(att.masked_fill(mask[:T, :T], float("-inf")), dim=-1)
        x = x + self.proj((att @ v).transpose(1, 2).reshape(B, T, C))
        return x + self.fcproj(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, vocab, length, c, layers, h, init):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, c), nn.Embedding(length, c)
        self.blocks = nn.ModuleList(Block(c, h) for _ in range(layers))
        self.lnf = nn.LayerNorm(c)
        self.register_buffer("mask", torch.triu(torch.ones(length, length, dtype=torch.bool), 1))
        for name, p in self.named_parameters():
            if p.dim() == 2:  # GPT-2: N(0, 0.02), residual projections / sqrt(2 layers)
                std = 0.02 / math.sqrt(2 * layers) if name.endswith("proj.weight") else 0.02
                nn.init.normal_(p, 0.0, std)
            elif name.endswith("bias"):
                nn.init.zeros_(p)
        if init == "torch":  # nn.Embedding's own default
            nn.init.normal_(self.wte.weight, 0.0, 1.0)
            nn.init.normal_(self.wpe.weight, 0.0, 1.0)

    def forward(self, idx, tgt):
        x = self.wte(idx) + self.wpe.weight[: idx.shape[1]]
        for b in self.blocks:
            x = b(x, self.mask)
        logits = self.lnf(x) @ self.wte.weight.T
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--steps", type=int, required=True)
    for k, v in (("batch", 8), ("len", 128), ("dim", 32), ("layers", 1), ("heads", 4),
                 ("threads", 2), ("seed", 1)):
        ap.add_argument("--" + k, type=int, default=v)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--init", default="gpt2", choices=("gpt2", "torch"))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    data = open(a.corpus, "rb").read()
    vocab = sorted(set(data))
    lut = torch.zeros(256, dtype=torch.long)
    for i, b in enumerate(vocab):
        lut[b] = i
    ids = lut[torch.frombuffer(bytearray(data), dtype=torch.uint8).long()]
    model = Gpt(len(vocab), a.len, a.dim, a.layers, a.heads, a.init)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": rest, "weight_decay": 0.0}], lr=a.lr, betas=(0.9, 0.95))
    offs = torch.arange(a.len + 1)
    losses = []
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(a.steps):
        starts = torch.randint(0, len(ids) - a.len, (a.batch, 1))
        win = ids[starts + offs]
        loss = model(win[:, :-1], win[:, 1:])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    w = model.wpe.weight.detach()
    wn = F.normalize(w, dim=1)
    adj = float((wn[:-1] * wn[1:]).sum(1).mean())
    cos = lambda i, j: float(wn[i] @ wn[j]) if j < len(wn) else None
    tokens = a.steps * a.batch * a.len
    print(json.dumps({"tool": "torch", "torch": torch.__version__, "threads": a.threads,
                      "batch": a.batch, "steps": a.steps, "tokens": tokens, "seconds": wall,
                      "cpu_seconds": cpu, "tokens_per_sec": tokens / wall,
                      "loss": sum(losses[-50:]) / max(1, len(losses[-50:])),
                      "mean_adjacent_cosine": adj, "cos_5_6": cos(5, 6), "cos_5_100": cos(5, 100)}))


if __name__ == "__main__":
    main()
