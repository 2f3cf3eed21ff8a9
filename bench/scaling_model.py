#!/usr/bin/env python3
"""The scaling model of docs/scaling.md: time per epoch of `mpirun -np N embedscope train` for a
corpus of W words on nodes of c cores joined by a network of bandwidth BW, from the trainer's
synchronisation scheme (model/train/dist.c) and measured rates. Prints one table; every input
is a flag, so each number can be checked or redone.

    python3 bench/scaling_model.py                       # 1e9 words, 8 and 64 nodes, 10 GbE
    python3 bench/scaling_model.py --validate V W N      # rows per sync predicted for a run
                                                         # (compare with `-debug 1`'s Ranks: line)

Model (per rank, all ranks alike):
  compute per epoch   Tc = W / (N c r)                     r: words per second per core
  syncs per epoch     n  = W / (N S)                       S: words of one rank between syncs
  rows per sync       frequent F (words expected >= 1 time in S words: Zipf, F = S / H_V)
                      every 2nd sync also the rare rows some rank touched in 2 N S words:
                      syn0: distinct context words; syn1neg: those and the negatives' rows
  bytes per sync      B = rows x d x 4 (+ 2 (V - F) bytes of touched flags on full syncs)
  all-reduce (ring)   t = 2 (N-1)/N x B / BW + 2 (N-1) x lat
  the threads keep training during the all-reduce (only packing and applying hold them), so
  epoch time         T  = max(Tc, n x t_mean) + n x t_hold
It stops scaling where n x t_mean overtakes Tc: then adding nodes adds traffic, not speed.
"""
import argparse
import math


def harmonic(v):
    return math.log(v) + 0.5772156649 + 1 / (2 * v)


def distinct(draws, v, expo):
    """Expected distinct ranks among `draws` draws from p_k ~ k^-expo, k = 1..v (sampled
    sum over rank bins for speed)."""
    z = sum(k ** -expo for k in range(1, 2001)) + (
        ((v ** (1 - expo) - 2000 ** (1 - expo)) / (1 - expo)) if expo != 1 else math.log(v / 2000))
    total, k = 0.0, 1.0
    while k <= v:
        step = max(1.0, k * 0.01)
        p = k ** -expo / z
        total += step * (1 - math.exp(-draws * p))
        k += step
    return min(total, v)


def rows_per_sync(v, s, n, negative, keep, full_every=2):
    """(frequent rows, mean rows of syn0 + syn1neg per sync, rows of a full sync)"""
    f = min(v, s / harmonic(v))
    m = full_every * n * s                      # words trained by all ranks between full syncs
    rin = distinct(m * keep, v, 1.0)            # context words: subsampling spares rare words
    rout = min(v, rin + distinct(m * keep * negative, v, 0.75))  # noise ~ count^0.75
    full = max(f, rin) + max(f, rout)
    mean = (2 * f * (full_every - 1) + full) / full_every
    return f, mean, full


def epoch(a, n, c):
    f, mean_rows, full_rows = rows_per_sync(a.vocab, a.every, n, a.negative, a.keep)
    tc = a.words / (n * c * a.rate)
    if n == 1:
        return dict(tc=tc, tcomm=0.0, t=tc, mb=0.0, mbfull=0.0, f=f)
    syncs = a.words / (n * a.every)
    mean_bytes = mean_rows * a.dim * 4 + (a.vocab - f)   # flags on every other sync: 2(V-F)/2
    full_bytes = full_rows * a.dim * 4 + 2 * (a.vocab - f)
    t_sync = 2 * (n - 1) / n * mean_bytes / a.bw + 2 * (n - 1) * a.latency
    t_hold = mean_rows * a.dim * 4 * 3 / a.membw   # pack (read 2, write 1) and apply, roughly
    tcomm = syncs * t_sync
    return dict(tc=tc, tcomm=tcomm, t=max(tc, tcomm) + syncs * t_hold, mb=mean_bytes / 1e6,
                mbfull=full_bytes / 1e6, f=f)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--words", type=float, default=1e9, help="corpus words per epoch")
    p.add_argument("--vocab", type=float, default=1e6, help="rows (words kept by -min-count)")
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--keep", type=float, default=0.55, help="share of words subsampling keeps")
    p.add_argument("--rate", type=float, default=1.2e6, help="words/s per core (measured)")
    p.add_argument("--every", type=float, default=5e4, help="-sync-words: words per rank between syncs")
    p.add_argument("--bw", type=float, default=1.1e9, help="bytes/s per node (10 GbE payload)")
    p.add_argument("--latency", type=float, default=30e-6, help="seconds per message step")
    p.add_argument("--membw", type=float, default=5e9, help="bytes/s of one core's memory passes")
    p.add_argument("--cores", type=int, nargs="+", default=[16, 4])
    p.add_argument("--nodes", type=int, nargs="+", default=[1, 2, 8, 64])
    p.add_argument("--validate", type=float, nargs=3, metavar=("V", "W", "N"))
    a = p.parse_args()
    if a.validate:
        v, w, n = a.validate
        f, mean, full = rows_per_sync(v, a.every, n, a.negative, a.keep)
        print(f"V={v:.0f} W={w:.0f} N={n:.0f} S={a.every:.0f}: frequent rows {f:.0f}, rows per "
              f"sync (syn0 + syn1neg) {mean:.0f} on average, {full:.0f} on a full sync")
        return
    print(f"W={a.words:.3g} words/epoch, V={a.vocab:.3g}, d={a.dim}, S={a.every:.3g} words/rank/sync, "
          f"r={a.rate:.3g} words/s/core, BW={a.bw:.3g} B/s, latency {a.latency * 1e6:.0f} us")
    print("| cores/node | nodes | compute s/epoch | all-reduce s/epoch | epoch s | speed-up | MB/sync (mean, full) | bound by |")
    print("|---|---|---|---|---|---|---|---|")
    for c in a.cores:
        base = epoch(a, 1, c)["t"]
        for n in a.nodes:
            e = epoch(a, n, c)
            bound = "compute" if e["tc"] >= e["tcomm"] else "network"
            print(f"| {c} | {n} | {e['tc']:.1f} | {e['tcomm']:.1f} | {e['t']:.1f} | {base / e['t']:.2f}x | "
                  f"{e['mb']:.1f}, {e['mbfull']:.1f} | {bound} |")


if __name__ == "__main__":
    main()
