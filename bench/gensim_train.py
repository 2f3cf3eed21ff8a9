#!/usr/bin/python3
"""gensim side of the training benchmark (bench/train.sh runs it under /usr/bin/time -v).

  gensim_train.py train CORPUS OUT.bin --model sg|cbow [--threads T] [--epochs N] [--alpha A]
      Trains gensim's Word2Vec with the benchmark hyperparameters (dim 100, window 5, negative 5,
      sample 1e-4, min_count 5, 3 epochs) and writes OUT.bin in word2vec binary format.
  gensim_train.py eval VECTORS QUESTIONS [PAIRS...]
      gensim's own evaluate_word_analogies (restrict_vocab=30000, case-insensitive) and
      evaluate_word_pairs on any word2vec-format file, printed as one JSON object: the
      reference that `embedscope eval` is cross-checked against.

Needs Debian's python3-gensim (run with /usr/bin/python3, not a virtualenv's python).
"""
import argparse
import json
import logging
import sys
import time


def train(args):
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence
    from gensim.models.word2vec_inner import FAST_VERSION

    if FAST_VERSION < 0:
        # The pure-Python fallback is ~100x slower: timing it would be meaningless.
        sys.exit("gensim_train.py: gensim's compiled (Cython) trainer is not available")
    sg = 1 if args.model == 'sg' else 0
    # word2vec.c's default starting learning rate is 0.025 for skip-gram and 0.05 for CBOW;
    # gensim's is 0.025 for both, so CBOW would otherwise start at half word2vec.c's rate.
    alpha = args.alpha if args.alpha is not None else (0.025 if sg else 0.05)
    kw = dict(vector_size=100, window=5, negative=5, hs=0, sample=1e-4, min_count=5,
              epochs=args.epochs, sg=sg, alpha=alpha, workers=args.threads, seed=args.seed)
    t0 = time.monotonic()
    if args.corpus_file:
        # gensim's file mode: each worker reads its own shard of the file, no Python job queue.
        model = Word2Vec(corpus_file=args.corpus, **kw)
    else:
        # The common usage: a Python iterator over lines, fed to the workers by a job queue.
        model = Word2Vec(sentences=LineSentence(args.corpus), **kw)
    t1 = time.monotonic()
    model.wv.save_word2vec_format(args.out, binary=True)
    t2 = time.monotonic()
    # On stderr so train.sh can log it; the table uses the whole-process wall time.
    print(json.dumps({'tool': 'gensim', 'version': __import__('gensim').__version__,
                      'mode': 'corpus_file' if args.corpus_file else 'LineSentence',
                      'vocab': len(model.wv), 'alpha': alpha,
                      'train_seconds': round(t1 - t0, 3), 'save_seconds': round(t2 - t1, 3),
                      'corpus_words': model.corpus_total_words}), file=sys.stderr)


def evaluate(args):
    from gensim.models import KeyedVectors

    kv = KeyedVectors.load_word2vec_format(args.vectors, binary=not args.text,
                                           unicode_errors='replace')
    out = {'vectors': args.vectors, 'vocab': len(kv), 'dim': kv.vector_size}
    score, sections = kv.evaluate_word_analogies(args.questions, restrict_vocab=30000,
                                                 case_insensitive=True)
    total_q = 0
    with open(args.questions, encoding='utf-8') as f:
        for line in f:
            if line.strip() and not line.startswith(':'):
                total_q += 1
    sec = {s['section']: s for s in sections}
    n_ok = len(sec['Total accuracy']['correct'])
    n_bad = len(sec['Total accuracy']['incorrect'])
    out['analogies'] = {'accuracy': score, 'correct': n_ok, 'answered': n_ok + n_bad,
                        'questions': total_q,
                        'coverage': (n_ok + n_bad) / total_q if total_q else 0.0}
    for name in args.pairs:
        pearson, spearman, oov = kv.evaluate_word_pairs(name, case_insensitive=True)
        out.setdefault('pairs', {})[name] = {'spearman': float(spearman[0]),
                                             'pearson': float(pearson[0]),
                                             'oov_percent': float(oov)}
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    t = sub.add_parser('train')
    t.add_argument('corpus')
    t.add_argument('out')
    t.add_argument('--model', choices=['sg', 'cbow'], default='sg')
    t.add_argument('--threads', type=int, default=2)
    t.add_argument('--epochs', type=int, default=3)
    t.add_argument('--alpha', type=float, default=None)
    t.add_argument('--seed', type=int, default=1)
    t.add_argument('--corpus-file', action='store_true',
                   help="use gensim's corpus_file mode instead of a LineSentence iterator")
    e = sub.add_parser('eval')
    e.add_argument('vectors')
    e.add_argument('questions')
    e.add_argument('pairs', nargs='*')
    e.add_argument('--text', action='store_true', help='vectors are in the text format')
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.cmd == 'train':
        train(args)
    else:
        evaluate(args)


if __name__ == '__main__':
    main()
