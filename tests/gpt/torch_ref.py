#!/usr/bin/env python3
"""PyTorch reference for embedscope's small transformer (model/gpt/): for each dump that
tests/gpt/gpt_dump.c wrote, build the same model in torch from our initial weights, run one
forward and backward on our batch in float64, and compare our float32 loss (relative 1e-5),
every gradient tensor (max |ours - torch| <= 1e-4 * max |torch|) and the parameters after one
torch.optim.AdamW step (1e-4 of the largest change, beside float32's rounding of the parameter). Exit code: the number of failures.

    torch_ref.py DUMP...
"""
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F


def read(path):
    with open(path, "rb") as f:
        head = json.loads(f.readline())
        rest = f.read()
    n, b, t = head["nparams"], head["batch"], head["len"]
    off = 0

    def take(dtype, count):
        nonlocal off
        arr = np.frombuffer(rest, dtype=dtype, count=count, offset=off)
        off += arr.nbytes
        return arr

    params = take("<f4", n)
    tokens = take("<i4", b * (t + 1)).reshape(b, t + 1)
    loss = float(take("<f8", 1)[0])
    grads = take("<f4", n)
    after = take("<f4", n)
    if off != len(rest):
        raise SystemExit(f"{path}: {len(rest) - off} bytes left over")
    return head, params, tokens, loss, grads, after


def tensors(head, flat):
    """name -> float64 leaf tensor (rows, cols), squeezed to (cols) for vectors"""
    out = {}
    for t in head["tensors"]:
        a = flat[t["offset"]:t["offset"] + t["rows"] * t["cols"]].reshape(t["rows"], t["cols"])
        if t["rows"] == 1 and t["name"] not in ("wte", "wpe"):
            a = a.reshape(t["cols"])
        out[t["name"]] = torch.tensor(a.astype(np.float64), requires_grad=True)
    return out


def forward(head, p, tokens):
    """The model as model/gpt/model.c computes it, written with torch's own layers."""
    C, H, L = head["dim"], head["heads"], head["layers"]
    idx = torch.tensor(tokens[:, :-1], dtype=torch.long)
    tgt = torch.tensor(tokens[:, 1:], dtype=torch.long)
    B, T = idx.shape
    x = F.embedding(idx, p["wte"]) + p["wpe"][:T]
    mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    for l in range(L):
        w = lambda k: p[f"h{l}.{k}"]
        h = F.layer_norm(x, (C,), w("ln1.w"), w("ln1.b"), eps=1e-5)
        q, k, v = (h @ w("qkvw") + w("qkvb")).split(C, dim=2)
        q, k, v = (z.view(B, T, H, C // H).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // H)
        att = F.softmax(att.masked_fill(mask, float("-inf")), dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        x = x + y @ w("projw") + w("projb")
        h = F.layer_norm(x, (C,), w("ln2.w"), w("ln2.b"), eps=1e-5)
        x = x + F.gelu(h @ w("fcw") + w("fcb"), approximate="tanh") @ w("fcprojw") + w("fcprojb")
    x = F.layer_norm(x, (C,), p["lnf.w"], p["lnf.b"], eps=1e-5)
    logits = x @ p["wte"].T  # tied
    return F.cross_entropy(logits.reshape(B * T, -1), tgt.reshape(B * T))


def rel(ours, ref):
    ref = np.asarray(ref, dtype=np.float64)
    return float(np.max(np.abs(np.asarray(ours, dtype=np.float64) - ref)) /
                 max(float(np.max(np.abs(ref))), 1e-30))


def check(path):
    head, params, tokens, loss, grads, after = read(path)
    p = tensors(head, params)
    ref = forward(head, p, tokens)
    ref.backward()
    fails = []
    lerr = abs(loss - ref.item()) / abs(ref.item())
    if lerr > 1e-5:
        fails.append(f"loss {loss:.9g} vs torch {ref.item():.9g} (relative {lerr:.3g})")
    g = tensors(head, grads)
    worst = ("", 0.0)
    for name, t in p.items():
        e = rel(g[name].detach().numpy(), t.grad.numpy())
        worst = max(worst, (name, e), key=lambda z: z[1])
        if e > 1e-4:
            fails.append(f"gradient of {name}: relative error {e:.3g}")
    # one AdamW step from our gradients, torch's optimizer, decay on the tensors we decay
    decay = {t["name"] for t in head["tensors"] if t["decay"]}
    for t in p.values():
        t.grad = None
    groups = [{"params": [p[n] for n in p if n in decay], "weight_decay": head["weight_decay"]},
              {"params": [p[n] for n in p if n not in decay], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=head["lr"], betas=(head["beta1"], head["beta2"]),
                            eps=head["eps"])
    for name, t in p.items():
        t.grad = g[name].detach().clone()
    before = {n: t.detach().clone() for n, t in p.items()}
    opt.step()
    a = tensors(head, after)
    for name, t in p.items():
        # our step is float32 arithmetic on the parameter itself: allow its rounding (one unit in
        # the last place of |p|, 2^-23 |p|) beside 1e-4 of the largest change
        ours, theirs = a[name].detach().numpy(), t.detach().numpy()
        change = np.max(np.abs(theirs - before[name].numpy()))
        slack = np.abs(ours - theirs) - 2.0 ** -23 * np.abs(theirs)
        e = float(np.max(slack)) / max(float(change), 1e-30)
        if e > 1e-4:
            fails.append(f"AdamW step of {name}: relative error {e:.3g}")
    print(f"{path}: loss {loss:.7f} (torch {ref.item():.7f}), worst gradient {worst[0]} "
          f"{worst[1]:.2g}: {'FAIL' if fails else 'ok'}")
    for f in fails:
        print("  " + f)
    return len(fails)


if __name__ == "__main__":
    torch.set_num_threads(1)
    sys.exit(min(sum(check(p) for p in sys.argv[1:]), 125))
