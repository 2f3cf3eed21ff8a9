#!/usr/bin/env python3
"""umap-learn's own sample-then-place, for bench/sampled.sh: UMAP(...).fit on a sample of the
rows (the same rule as embedscope layout --sample: the most frequent half, then a uniform
random half of the rest, seeded), .transform for every other row (umap-learn places new points
at the membership-weighted mean of their neighbours in the fitted set, then refines them with
a third of the epochs at a quarter of the step), written in the columns `embedscope layout
--output` writes so that `embedscope layout VECTORS --score OUT.tsv --json` measures it.

    umap_sampled.py VECTORS OUT.tsv --sample N [--epochs 100] [--neighbors 15] [--min-dist 0.1]

Prints on stderr the seconds of fit and of transform (numba's compilation included).
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from umap_learn import load  # noqa: E402  (the same word2vec text reader)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("vectors")
    p.add_argument("out")
    p.add_argument("--sample", type=int, required=True)
    p.add_argument("--epochs", type=int, default=100)
    p.add_argument("--neighbors", type=int, default=15)
    p.add_argument("--min-dist", type=float, default=0.1)
    a = p.parse_args()
    import umap  # after the arguments: importing numba takes seconds

    words, x = load(a.vectors)
    n = len(words)
    s = min(a.sample, n)
    head = s // 2
    rest = np.random.default_rng(1).choice(np.arange(head, n), size=s - head, replace=False)
    sample = np.concatenate([np.arange(head), np.sort(rest)])
    others = np.setdiff1d(np.arange(n), sample)
    t0 = time.time()
    model = umap.UMAP(n_neighbors=a.neighbors, min_dist=a.min_dist, metric="cosine",
                      n_epochs=a.epochs, init="spectral")
    ys = model.fit_transform(x[sample])
    t1 = time.time()
    yo = model.transform(x[others]) if len(others) else np.empty((0, 2), dtype=np.float32)
    t2 = time.time()
    y = np.empty((n, 2), dtype=np.float32)
    y[sample] = ys
    y[others] = yo
    print(f"umap_sampled: fit {t1 - t0:.2f} s, transform {t2 - t1:.2f} s, {s} sampled, "
          f"{len(others)} placed", file=sys.stderr)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("word\tumap1\tumap2\n")
        for w, (u, v) in zip(words, y):
            f.write(f"{w}\t{u:.6f}\t{v:.6f}\n")


if __name__ == "__main__":
    main()
