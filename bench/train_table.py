#!/usr/bin/python3
"""Summarises a bench/train.sh work directory as one Markdown table (stdout).

usage: train_table.py WORKDIR CORPUS_WORDS EPOCHS THREADS

Reads WORKDIR/runs.tsv (one line per timed attempt) and the JSON files `embedscope eval` (and,
with --crosscheck, gensim_train.py eval) wrote beside each vector file. Each run counts once:
its last attempt (reruns stop at the first attempt whose CPU/wall passes). Columns are medians
over runs; wall also shows [min-max].
"""
import csv
import json
import os
import statistics
import sys


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def dig(obj, *paths):
    """First value found along any of the key paths (tolerates small schema differences)."""
    for path in paths:
        cur = obj
        for key in path:
            if isinstance(cur, dict) and key in cur:
                cur = cur[key]
            else:
                cur = None
                break
        if isinstance(cur, (int, float)) and not isinstance(cur, bool):
            return float(cur)
    return None


def as_percent(x):
    """Both evaluators write accuracy and coverage as fractions."""
    return None if x is None else x * 100.0


def analogy(vec):
    j = load_json(vec + '.analogies.json')
    if j is None:
        return None, None
    acc = dig(j, ('total', 'accuracy'), ('accuracy',), ('total_accuracy',))
    cov = dig(j, ('total', 'coverage'), ('coverage',))
    if cov is None:
        seen = dig(j, ('total', 'answered'), ('answered',), ('total', 'seen'), ('seen',))
        allq = dig(j, ('total', 'questions'), ('questions',))
        if seen is not None and allq:
            cov = seen / allq
    return as_percent(acc), as_percent(cov)


def spearman(vec, name):
    j = load_json(vec + '.' + name + '.json')
    return None if j is None else dig(j, ('spearman',), ('rho',), ('spearman_rho',))


def cross(vec):
    j = load_json(vec + '.gensim-eval.json')
    if j is None:
        return None
    out = {'acc': as_percent(dig(j, ('analogies', 'accuracy'))),
           'cov': as_percent(dig(j, ('analogies', 'coverage')))}
    for key, tag in (('ws353', 'wordsim353'), ('simlex', 'simlex999')):
        for name, v in (j.get('pairs') or {}).items():
            if tag in os.path.basename(name):
                out[key] = v.get('spearman')
    return out


def contended(r, threads):
    """train.sh's rule: did other processes take CPU the run needed (so its time is not clean)?"""
    return float(r['cpu_wall']) < 0.875 * threads and float(r['other_load']) >= 0.1


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec, dash='n/a'):
    return dash if x is None else format(x, spec)


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__.split('\n\n')[1])
    workdir, words, epochs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    with open(os.path.join(workdir, 'runs.tsv')) as f:
        rows = list(csv.DictReader(f, delimiter='\t'))
    groups = {}          # label -> {run -> [attempt rows]}, in first-seen order
    tools = {}
    for r in rows:
        groups.setdefault(r['label'], {}).setdefault(r['run'], []).append(r)
        tools[r['label']] = r['tool']
    print('| tool | model | wall s (median [min-max]) | words/s | CPU s | CPU/wall | peak RSS MB '
          '| analogy % | coverage % | ws353 rho | simlex rho |')
    print('|---|---|---|---|---|---|---|---|---|---|---|')
    notes, crossrows = [], []
    for label, runs in groups.items():
        used = [attempts[-1] for attempts in runs.values()]
        walls = [float(r['wall_s']) for r in used]
        wmed = statistics.median(walls)
        ratio = med([float(r['cpu_wall']) for r in used])
        cpu = med([float(r['user_s']) + float(r['sys_s']) for r in used])
        rss = med([int(r['maxrss_kb']) / 1024.0 for r in used])
        accs, covs, ws, sl, cr = [], [], [], [], []
        for r in used:
            a, c = analogy(r['vectors'])
            accs.append(a)
            covs.append(c)
            ws.append(spearman(r['vectors'], 'ws353'))
            sl.append(spearman(r['vectors'], 'simlex'))
            cr.append(cross(r['vectors']))
        model = used[0]['model']
        name = label
        if tools[label] == 'ours' and label != 'embedscope':
            name = f'embedscope ({label})'
        failed = sum(1 for a in runs.values() if contended(a[-1], threads))
        flag = '*' if failed else ''
        print(f'| {name} | {model} | {wmed:.1f} [{min(walls):.1f}-{max(walls):.1f}] '
              f'| {words * epochs / wmed / 1000:.0f}k | {cpu:.0f} | {fmt(ratio, ".2f")}{flag} | {fmt(rss, ".0f")} '
              f'| {fmt(med(accs), ".2f")} | {fmt(med(covs), ".1f")} | {fmt(med(ws), ".3f")} '
              f'| {fmt(med(sl), ".3f")} |')
        reruns = sum(len(a) - 1 for a in runs.values())
        limit = f'{0.875 * threads:.2f}'
        if reruns:
            notes.append(f'{name}: {reruns} contended attempt(s) (CPU/wall below {limit}, other '
                         'load >= 0.1 core) discarded and rerun' +
                         (f'; * {failed} of {len(runs)} run(s) stayed contended (the last attempt '
                          'is used)' if failed else ''))
        elif failed:
            notes.append(f'{name}: * {failed} of {len(runs)} run(s) contended (CPU/wall below '
                         f'{limit}, other load >= 0.1 core), not rerun')
        if any(cr):
            crossrows.append((name, model, med([c.get('acc') for c in cr if c]),
                              med([c.get('cov') for c in cr if c]),
                              med([c.get('ws353') for c in cr if c]),
                              med([c.get('simlex') for c in cr if c])))
    counts = sorted({len(runs) for runs in groups.values()})
    per = str(counts[0]) if len(counts) == 1 else '-'.join(map(str, (counts[0], counts[-1])))
    print(f'\n{per} run(s) per tool; words/s = {words} corpus words x {epochs} epochs / '
          'median wall s; CPU s = user + sys.')
    for n in notes:
        print(f'- {n}')
    if crossrows:
        print('\nCross-check, gensim\'s own evaluate_word_analogies(restrict_vocab=30000) and '
              'evaluate_word_pairs on the same vector files:\n')
        print('| tool | model | analogy % | coverage % | ws353 rho | simlex rho |')
        print('|---|---|---|---|---|---|')
        for name, model, a, c, w, s in crossrows:
            print(f'| {name} | {model} | {fmt(a, ".2f")} | {fmt(c, ".1f")} | {fmt(w, ".3f")} '
                  f'| {fmt(s, ".3f")} |')


if __name__ == '__main__':
    main()
