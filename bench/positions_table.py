#!/usr/bin/env python3
"""Prints bench/positions.sh's tables (markdown) from its results.tsv (tag, JSON line,
user+sys seconds, wall seconds, max RSS kB per run) and estimates.tsv."""
import json
import statistics
import sys


def rows(path):
    out = []
    for line in open(path):
        tag, js, cpu, wall, rss = line.rstrip("\n").split("\t")
        out.append((tag, json.loads(js), float(cpu), float(wall), int(rss)))
    return out


def mmm(xs, fmt="{:.0f}"):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-"
    return f"{fmt.format(statistics.median(xs))} [{fmt.format(min(xs))} .. {fmt.format(max(xs))}]"


def speed(res):
    print("\n| tool | batch | runs | tokens/s, median [min .. max] | training CPU/wall | tokens per CPU-second | process CPU/wall (time -v) | loss |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    best = {}
    for b in (8, 32):
        for tool in ("ours", "torch", "torch-passive"):
            r = [x for x in res if x[0] == f"speed {tool} b{b}"]
            if not r:
                continue
            tps = [x[1]["tokens_per_sec"] for x in r]
            ratio = [x[1]["cpu_seconds"] / x[1]["seconds"] for x in r]
            proc = [x[2] / x[3] for x in r]
            flag = " (disturbed: < 1.75)" if statistics.median(ratio) < 1.75 else ""
            name = "embedscope" if tool == "ours" else f"PyTorch {r[0][1].get('torch', '')}"
            if tool == "torch-passive":
                name += ", OMP_WAIT_POLICY=PASSIVE"
            per_cpu = [x[1]["tokens"] / x[1]["cpu_seconds"] for x in r]
            print(f"| {name} | {b} | {len(r)} | {mmm(tps)} | {mmm(ratio, '{:.2f}')}{flag} | "
                  f"{mmm(per_cpu)} | {mmm(proc, '{:.2f}')} | {mmm([x[1]['loss'] for x in r], '{:.3f}')} |")
            key = "ours" if tool == "ours" else "torch"
            best[key] = max(best.get(key, 0), statistics.median(tps))
    if "ours" in best and "torch" in best:
        print(f"\nours / PyTorch's best median (over batch sizes and wait policies): "
              f"{best['ours']:.0f} / {best['torch']:.0f} = {best['ours'] / best['torch']:.2f}x (bar: 2x)")


def smooth(res):
    print("\n| init | seeds | smooth at step, median [min .. max] | seconds to smooth | loss at the end "
          "| mean adjacent cos | cos(5,6) | cos(5,100) | steps | training CPU/wall |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for init in ("gpt2", "torch", "torch, until smooth"):
        tag = "long torch" if "until" in init else f"smooth {init}"
        r = [x[1] for x in res if x[0] == tag]
        if not r:
            continue
        st = [j["smooth_step"] for j in r]
        never = sum(s is None for s in st)
        note = f" ({never} of {len(r)} not smooth)" if never else ""
        ratio = [j["cpu_seconds"] / j["seconds"] for j in r]
        print(f"| {init} | {len(r)} | {mmm(st)}{note} | {mmm([j['smooth_seconds'] for j in r], '{:.1f}')} | "
              f"{mmm([j['loss'] for j in r], '{:.3f}')} | {mmm([j['mean_adjacent_cosine'] for j in r], '{:.2f}')} | "
              f"{mmm([j['cos_5_6'] for j in r], '{:.2f}')} | {mmm([j['cos_5_100'] for j in r], '{:.2f}')} | "
              f"{'until smooth' if 'until' in init else r[0]['steps']} | {mmm(ratio, '{:.2f}')} |")


def memory(res, est):
    print("\n| shape | estimate (stderr of the run) | max RSS (time -v) | one step, measured |")
    print("|---|---|---:|---:|")
    for tag, j, cpu, wall, rss in res:
        if tag.startswith("memory "):
            name = tag.split(" ", 1)[1]
            print(f"| {name}: len {j['len']}, dim {j['dim']}, {j['layers']} layer(s), {j['heads']} heads, "
                  f"batch {j['batch']} | {est.get(name, '-')} | {rss / 1024:.0f} MiB | {j['seconds']:.3f} s |")


if __name__ == "__main__":
    res = rows(sys.argv[1])
    est = {}
    for line in open(sys.argv[2]):
        tag, text = line.rstrip("\n").split("\t")
        est[tag.split(" ", 1)[1]] = text.strip()
    speed(res)
    smooth(res)
    memory(res, est)
