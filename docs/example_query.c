/* A program of your own over the installed model/ library: loads a vector file (any format
 * embedscope reads) and prints each word's five nearest neighbours by cosine. One thread.
 *   cc -std=c11 example_query.c $(pkg-config --cflags --libs embedscope-model) -o example_query
 *   ./example_query vectors.vec king queen */
#include "model/files/vecfile.h"
#include "model/vectors/knn.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s VECTORS WORD...\n", argv[0]);
        return 2;
    }
    Err e = {{0}};
    Embeddings emb;
    emb_init(&emb);
    KnnIndex ix = {0};
    int rc = 1;
    if (!vecfile_load(&(VecLoadDesc){.path = argv[1]}, &emb, NULL, &e) ||
        !knn_build(&ix, emb.vec, emb.rows, emb.dim, emb.stride, &e)) {
        fprintf(stderr, "example_query: %s\n", e.msg);
        goto done;
    }
    rc = 0;
    for (int i = 2; i < argc; i++) {
        int64_t w = vocab_find(&emb.vocab, argv[i], strlen(argv[i]));
        if (w < 0) {
            fprintf(stderr, "example_query: '%s' is not in %s\n", argv[i], argv[1]);
            rc = 1;
            continue;
        }
        Neighbour nb[5];
        int n = knn_query(&ix, knn_row(&ix, w), 5, &w, 1, nb); /* the word itself excluded */
        printf("%s:", argv[i]);
        for (int r = 0; r < n; r++)
            printf(" %s %.4f", vocab_word(&emb.vocab, nb[r].index), (double)nb[r].score);
        printf("\n");
    }
done:
    knn_deinit(&ix);
    emb_deinit(&emb);
    return rc;
}
