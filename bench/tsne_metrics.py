#!/usr/bin/python3
"""The Python half of bench/tsne.sh: scikit-learn's t-SNE as the peer, the quality measures of
every layout (ours and sklearn's, the same code for both) and the table.

    tsne_metrics.py sklearn VECTORS N OUT.tsv [--threads T] [--seed S]
        TSNE(n_components=2, perplexity=30, init='pca', method='barnes_hut', n_jobs=T) on the
        file's first N rows, written as "word\\tx\\ty" rows.
    tsne_metrics.py measure VECTORS N LAYOUT.tsv... [--sample 1000] [--trust 2000] [--seed 0]
        one JSON line per layout: 10-NN preservation (for `sample` words drawn once, the share of
        each word's 10 nearest neighbours by cosine among the N that are also among its 10
        nearest in the layout) and sklearn's trustworthiness (10 neighbours, cosine in the input)
        on a subsample of `trust` words, the same words for every layout.
    tsne_metrics.py table WORKDIR
        the markdown table of WORKDIR/runs.tsv and WORKDIR/metrics.jsonl: medians [min-max].

Vectors are word2vec text or binary (the format bench_tsne reads through vecfile_load), read
here with numpy so that neither side pays for a library import the other does not make.
Needs Debian's python3-sklearn (run with /usr/bin/python3).
"""
import json
import os
import statistics
import sys

import numpy as np


def read_vectors(path, n):
    """First n rows of a word2vec text or binary file: (words, float32 array (n, dim))."""
    with open(path, "rb") as f:
        rows, dim = (int(v) for v in f.readline().split())
        n = min(n, rows)
        start = f.tell()
        head = f.read(4096)
        binary = any(b < 9 or (13 < b < 32) for b in head)  # control bytes: raw floats
        f.seek(start)
        words, vecs = [], np.empty((n, dim), dtype=np.float32)
        for i in range(n):
            if binary:
                w = bytearray()
                while True:
                    c = f.read(1)
                    if not c:
                        sys.exit(f"{path}: ends at row {i} of {n}")
                    if c == b" ":
                        break
                    if c != b"\n":
                        w += c
                words.append(w.decode("utf-8", "replace"))
                vecs[i] = np.frombuffer(f.read(4 * dim), dtype="<f4")
            else:
                parts = f.readline().split()
                if len(parts) != dim + 1:
                    sys.exit(f"{path}: row {i + 2} has {len(parts) - 1} values, want {dim}")
                words.append(parts[0].decode("utf-8", "replace"))
                vecs[i] = np.asarray(parts[1:], dtype=np.float32)
    return words, vecs


def read_layout(path):
    words, ys = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            words.append(p[0])
            ys.append([float(v) for v in p[1:]])
    return words, np.asarray(ys, dtype=np.float64)


def write_layout(path, words, y):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for w, row in zip(words, y):
            f.write(w + "".join(f"\t{v:.7g}" for v in row) + "\n")
    os.replace(tmp, path)


def run_sklearn(args):
    from sklearn.manifold import TSNE
    vectors, n, out = args[0], int(args[1]), args[2]
    threads = int(opt(args, "--threads", 2))
    seed = int(opt(args, "--seed", 0))
    words, x = read_vectors(vectors, n)
    y = TSNE(n_components=2, perplexity=30, init="pca", method="barnes_hut", n_jobs=threads,
             random_state=seed).fit_transform(x)
    write_layout(out, words, y)


def opt(args, name, default):
    return args[args.index(name) + 1] if name in args else default


def knn_rows(q, base, k, self_idx, cosine):
    """Indices of the k nearest rows of base to each row of q, each q row's own index excluded."""
    if cosine:
        d = -(q @ base.T)
    else:
        d = (q * q).sum(1)[:, None] - 2 * (q @ base.T) + (base * base).sum(1)[None, :]
    d[np.arange(len(q)), self_idx] = np.inf
    part = np.argpartition(d, k, axis=1)[:, :k]
    return part


def measure(args):
    from sklearn.manifold import trustworthiness
    vectors, n, layouts = args[0], int(args[1]), [a for a in args[2:] if a.endswith(".tsv")]
    sample = int(opt(args, "--sample", 1000))
    trust_n = int(opt(args, "--trust", 2000))
    rng = np.random.default_rng(int(opt(args, "--seed", 0)))
    words, x = read_vectors(vectors, n)
    n = len(words)
    norm = np.linalg.norm(x, axis=1, keepdims=True)
    unit = (x / np.where(norm > 0, norm, 1)).astype(np.float64)
    picks = rng.choice(n, size=min(sample, n), replace=False)
    true_nn = knn_rows(unit[picks], unit, 10, picks, cosine=True)
    sub = rng.choice(n, size=min(trust_n, n), replace=False)
    for path in layouts:
        lw, y = read_layout(path)
        if lw != words:
            sys.exit(f"{path}: its words are not the first {n} rows of {vectors}")
        lay_nn = knn_rows(y[picks], y, 10, picks, cosine=False)
        kept = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(true_nn, lay_nn)])
        trust = trustworthiness(unit[sub], y[sub], n_neighbors=10, metric="cosine")
        print(json.dumps({"layout": os.path.basename(path), "rows": n, "sample": len(picks),
                          "preservation10": round(float(kept), 4),
                          "trustworthiness": round(float(trust), 4), "trust_sample": len(sub)}))
        sys.stdout.flush()


def summary(vals, fmt):
    if not vals:
        return "-"
    med = statistics.median(vals)
    if len(vals) == 1:
        return fmt.format(med)
    return f"{fmt.format(med)} [{fmt.format(min(vals))}-{fmt.format(max(vals))}]"


def table(args):
    work = args[0]
    metrics = {}
    with open(os.path.join(work, "metrics.jsonl")) as f:
        for line in f:
            m = json.loads(line)
            metrics[m["layout"]] = m
    runs = {}
    with open(os.path.join(work, "runs.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            runs.setdefault(r["tool"], []).append(r)
    print("| tool | runs | wall s | CPU s | CPU/wall | peak RSS MB | 10-NN preservation | "
          "trustworthiness | other load (cores) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for tool, rs in runs.items():
        col = lambda k: [float(r[k]) for r in rs]
        ms = [metrics[r["layout"]] for r in rs if r["layout"] in metrics]
        print(f"| {tool} | {len(rs)} | {summary(col('wall_s'), '{:.1f}')} | "
              f"{summary(col('cpu_s'), '{:.1f}')} | {summary(col('cpu_wall'), '{:.2f}')} | "
              f"{summary([v / 1024 for v in col('maxrss_kb')], '{:.0f}')} | "
              f"{summary([m['preservation10'] for m in ms], '{:.3f}')} | "
              f"{summary([m['trustworthiness'] for m in ms], '{:.3f}')} | "
              f"{summary(col('other_load'), '{:.2f}')} |")
    med = lambda key: {t: statistics.median([float(r[key]) for r in rs]) for t, rs in runs.items()}
    walls, cpus = med("wall_s"), med("cpu_s")
    if "ours" in walls and "sklearn" in walls:
        print(f"\nsklearn / ours, median wall: {walls['sklearn'] / walls['ours']:.1f}x, "
              f"median CPU time: {cpus['sklearn'] / cpus['ours']:.1f}x")
    low = [f"{r['tool']} run {r['run']}" for rs in runs.values() for r in rs
           if float(r["cpu_wall"]) < 1.75 and float(r["other_load"]) >= 0.25]
    if low:
        print("disturbed (CPU/wall < 1.75 while other processes kept >= 0.25 cores busy): " +
              ", ".join(low))


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("sklearn", "measure", "table"):
        sys.exit(__doc__)
    {"sklearn": run_sklearn, "measure": measure, "table": table}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
