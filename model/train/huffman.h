/* Hierarchical softmax's binary tree: word2vec.c's Huffman construction over a vocabulary's
 * counts (sorted, most frequent first), giving each word its path of inner nodes and branch
 * bits. Built once before training starts; read-only after, by every trainer thread. */
#ifndef EMBEDSCOPE_HUFFMAN_H
#define EMBEDSCOPE_HUFFMAN_H
#include "model/base/err.h"
#include <stdbool.h>
#include <stdint.h>

/* A bound on a path's length, as word2vec.c: counts of real corpora never build a deeper
 * tree (depth grows with log of the count ratio), and it keeps each word's rows fixed-size. */
#define HUFFMAN_MAX_CODE 40

typedef struct Huffman {
    int32_t *points;  /* (n, HUFFMAN_MAX_CODE) inner-node rows of syn1 along word i's path */
    uint8_t *codes;   /* (n, HUFFMAN_MAX_CODE) branch bits along the same path */
    uint8_t *codelen; /* (n) path lengths */
} Huffman;

/* Builds the tree over counts[0..n) (non-increasing). False (h empty) when out of memory or a
 * path would exceed HUFFMAN_MAX_CODE. */
bool huffman_init(Huffman *h, const uint64_t *counts, int64_t n, Err *e);
void huffman_deinit(Huffman *h);

#endif
