#!/usr/bin/env python3
"""umap-learn on a word2vec text file, for bench/layout.sh: the layout is written in the
columns `embedscope layout --output` writes (word, pc1, pc2[, pc3]), so `embedscope layout
VECTORS --score FILE --json` measures it with the same code as ours.

    umap_learn.py VECTORS OUT.tsv [--neighbors 15] [--min-dist 0.1] [--dims 2] [--seed N]

Without --seed umap-learn runs its parallel (nondeterministic) SGD on NUMBA_NUM_THREADS
threads; with one it runs single-threaded, as umap-learn documents. Prints the seconds spent
inside fit_transform (graph + layout, numba compilation included) on stderr.
"""
import argparse
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vectors")
    ap.add_argument("out")
    ap.add_argument("--neighbors", type=int, default=15)
    ap.add_argument("--min-dist", type=float, default=0.1)
    ap.add_argument("--dims", type=int, default=2)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    words, x = load(a.vectors)
    import umap  # after loading: the import itself takes seconds (numba)
    t0 = time.time()
    y = umap.UMAP(n_neighbors=a.neighbors, min_dist=a.min_dist, n_components=a.dims,
                  metric="cosine", random_state=a.seed).fit_transform(x)
    print("umap-learn fit_transform: %.2f s" % (time.time() - t0), file=sys.stderr)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("word\t" + "\t".join("pc%d" % (c + 1) for c in range(a.dims)) + "\n")
        for w, row in zip(words, y):
            f.write(w + "\t" + "\t".join("%.6g" % v for v in row) + "\n")


if __name__ == "__main__":
    main()
