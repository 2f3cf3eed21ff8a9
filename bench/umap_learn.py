#!/usr/bin/env python3
"""umap-learn on a word2vec text file, for bench/layout.sh.

    umap_learn.py run VECTORS OUT.tsv [--knn-out KNN.tsv] [--neighbors 15] [--min-dist 0.1]
                  [--dims 2] [--seed N]
    umap_learn.py recall VECTORS KNN.tsv [--sample 1000] [--seed 1]

`run` writes the layout in the columns `embedscope layout --output` writes (word, pc1, pc2[,
pc3]), so that `embedscope layout VECTORS --score OUT.tsv --json` measures it with the same
code as ours, and (--knn-out) the kNN graph umap-learn built (PyNNDescent's, row i's
neighbours by row index, itself first, as umap-learn keeps it). It prints the seconds inside
fit_transform (graph + layout, numba's compilation included) on stderr. Without --seed
umap-learn runs its parallel SGD on NUMBA_NUM_THREADS threads; with one it runs its SGD on one
thread, as umap-learn documents.

`recall` prints as JSON the share of the exact cosine neighbours (numpy brute force) of a
sample of rows that the graph lists, each row's own index left out of both.
"""
import argparse
import json
import sys
import time

import numpy as np


def load(path):
    with open(path, encoding="utf-8") as f:
        rows, dim = map(int, f.readline().split())
        words = []
        x = np.empty((rows, dim), dtype=np.float32)
        for i, line in enumerate(f):
            parts = line.rstrip("\n").split(" ")
            words.append(parts[0])
            x[i] = np.array(parts[1:dim + 1], dtype=np.float32)
    return words, x


def run(a):
    words, x = load(a.vectors)
    import umap  # after loading: the import itself takes seconds (numba)
    t0 = time.time()
    model = umap.UMAP(n_neighbors=a.neighbors, min_dist=a.min_dist, n_components=a.dims,
                      metric="cosine", random_state=a.seed)
    y = model.fit_transform(x)
    print("umap-learn fit_transform: %.2f s" % (time.time() - t0), file=sys.stderr)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("word\t" + "\t".join("pc%d" % (c + 1) for c in range(a.dims)) + "\n")
        for w, row in zip(words, y):
            f.write(w + "\t" + "\t".join("%.6g" % v for v in row) + "\n")
    if a.knn_out:
        np.savetxt(a.knn_out, model._knn_indices, fmt="%d", delimiter="\t")


def recall(a):
    _, x = load(a.vectors)
    knn = np.loadtxt(a.knn, dtype=np.int64, delimiter="\t", ndmin=2)
    if knn.shape[0] != x.shape[0]:
        sys.exit("recall: %d graph rows for %d vectors" % (knn.shape[0], x.shape[0]))
    norm = np.linalg.norm(x, axis=1, keepdims=True)
    u = x / np.where(norm > 0, norm, 1)
    rng = np.random.default_rng(a.seed)
    rows = rng.choice(x.shape[0], size=min(a.sample, x.shape[0]), replace=False)
    hit = listed = 0
    for i in rows:
        others = [j for j in knn[i] if j != i and j >= 0]
        k = len(others)
        sims = u @ u[i]
        sims[i] = -np.inf
        exact = np.argpartition(-sims, k)[:k]
        hit += len(set(exact.tolist()) & set(others))
        listed += k
    print(json.dumps({"recall": hit / listed, "k": int(knn.shape[1] - 1), "sample": len(rows)}))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("vectors")
    r.add_argument("out")
    r.add_argument("--knn-out")
    r.add_argument("--neighbors", type=int, default=15)
    r.add_argument("--min-dist", type=float, default=0.1)
    r.add_argument("--dims", type=int, default=2)
    r.add_argument("--seed", type=int, default=None)
    c = sub.add_parser("recall")
    c.add_argument("vectors")
    c.add_argument("knn")
    c.add_argument("--sample", type=int, default=1000)
    c.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    run(a) if a.cmd == "run" else recall(a)


if __name__ == "__main__":
    main()
