/* Hierarchical softmax's Huffman tree: see huffman.h. The construction is word2vec.c's (two
 * cursors walking the sorted leaves and the new inner nodes), so paths and trained vectors
 * match it. Any thread; no shared state. */
#include "model/train/huffman.h"
#include <stdlib.h>
#include <string.h>

/* The tree as word2vec.c builds it: nodes 0..n-1 are the words, n..2n-2 the inner nodes (the
 * root last); parent[] and binary[] (the branch bit into the parent) for every node. */
typedef struct Tree {
    uint64_t *count;
    int64_t *parent;
    uint8_t *binary;
} Tree;

static void tree_build(Tree *tr, const uint64_t *counts, int64_t n)
{
    uint64_t *count = tr->count;
    for (int64_t a = 0; a < n; a++)
        count[a] = counts[a];
    for (int64_t a = n; a < 2 * n; a++)
        count[a] = UINT64_MAX / 4; /* "not built yet": larger than any sum of real counts */
    int64_t pos1 = n - 1, pos2 = n;
    for (int64_t a = 0; a < n - 1; a++) {
        int64_t m[2];
        for (int k = 0; k < 2; k++) {
            if (pos1 >= 0 && count[pos1] < count[pos2])
                m[k] = pos1--;
            else
                m[k] = pos2++;
        }
        count[n + a] = count[m[0]] + count[m[1]];
        tr->parent[m[0]] = n + a;
        tr->parent[m[1]] = n + a;
        tr->binary[m[1]] = 1;
    }
}

/* Word a's path, root first, into h's rows. False when it is longer than HUFFMAN_MAX_CODE. */
static bool write_path(Huffman *h, const Tree *tr, int64_t n, int64_t a)
{
    uint8_t code[HUFFMAN_MAX_CODE];
    int64_t point[HUFFMAN_MAX_CODE];
    int64_t b = a, i = 0;
    while (b != 2 * n - 2) {
        if (i >= HUFFMAN_MAX_CODE)
            return false;
        code[i] = tr->binary[b];
        point[i] = b;
        i++;
        b = tr->parent[b];
    }
    h->codelen[a] = (uint8_t)i;
    int32_t *pt = h->points + a * HUFFMAN_MAX_CODE;
    uint8_t *cd = h->codes + a * HUFFMAN_MAX_CODE;
    pt[0] = (int32_t)(n - 2);
    for (int64_t k = 0; k < i; k++) {
        cd[i - k - 1] = code[k];
        pt[i - k] = (int32_t)(point[k] - n);
    }
    return true;
}

bool huffman_init(Huffman *h, const uint64_t *counts, int64_t n, Err *e)
{
    memset(h, 0, sizeof *h);
    size_t nodes = (size_t)(2 * n + 1);
    Tree tr = {malloc(nodes * sizeof *tr.count), malloc(nodes * sizeof *tr.parent), calloc(nodes, 1)};
    h->points = malloc((size_t)n * HUFFMAN_MAX_CODE * sizeof *h->points);
    h->codes = malloc((size_t)n * HUFFMAN_MAX_CODE);
    h->codelen = malloc((size_t)n);
    bool ok = tr.count && tr.parent && tr.binary && h->points && h->codes && h->codelen;
    if (!ok)
        err_set(e, "out of memory for the Huffman tree");
    if (ok)
        tree_build(&tr, counts, n);
    for (int64_t a = 0; a < n && ok; a++)
        if (!write_path(h, &tr, n, a))
            ok = err_set(e, "Huffman code longer than %d bits", HUFFMAN_MAX_CODE);
    free(tr.count), free(tr.parent), free(tr.binary);
    if (!ok)
        huffman_deinit(h);
    return ok;
}

void huffman_deinit(Huffman *h)
{
    free(h->points);
    free(h->codes);
    free(h->codelen);
    memset(h, 0, sizeof *h);
}
