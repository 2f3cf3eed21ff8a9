/* Position tables: the sinusoidal formula at sampled entries, the locality it has and a random
 * table lacks (checked statistically), similarity matrices and nn.Embedding-style lookup. */
#include "model/analysis/pca.h"
#include "model/analysis/posenc.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double cosine(const Embeddings *t, int64_t i, int64_t j)
{
    double ab = 0, aa = 0, bb = 0;
    for (int c = 0; c < t->dim; c++) {
        double a = emb_row(t, i)[c], b = emb_row(t, j)[c];
        ab += a * b, aa += a * a, bb += b * b;
    }
    return ab / sqrt(aa * bb);
}

TEST(defaults_are_nn_embedding_512_768)
{
    PosEncDesc d = posenc_desc_defaults(NULL);
    CHECK(d.kind == POSENC_SINUSOIDAL && d.max_len == 512 && d.dim == 768 && d.base == 10000);
    Embeddings t;
    emb_init(&t);
    Err e = {0};
    CHECKF(posenc_build(&t, NULL, &e), "%s", e.msg);
    CHECK(t.rows == 512 && t.dim == 768 && t.vocab.size == 512 && t.stride >= 768);
    CHECK(strcmp(vocab_word(&t.vocab, 0), "pos 0") == 0);
    CHECK(strcmp(vocab_word(&t.vocab, 511), "pos 511") == 0);
    CHECK(vocab_find(&t.vocab, "pos 5", 5) == 5);
    for (int64_t r = 0; r < t.rows; r++) /* padding stays zero for the vector kernels */
        for (int c = t.dim; c < t.stride; c++)
            CHECK(emb_row(&t, r)[c] == 0);
    emb_deinit(&t);
}

TEST(sinusoidal_matches_formula)
{
    Embeddings t;
    emb_init(&t);
    Err e = {0};
    int dims[] = {768, 7, 2, 1};
    for (int k = 0; k < 4; k++) {
        CHECKF(posenc_build(&t, &(PosEncDesc){.max_len = 600, .dim = dims[k]}, &e), "%s", e.msg);
        uint64_t s = 3;
        for (int n = 0; n < 2000; n++) {
            int64_t pos = n == 0 ? 599 : (int64_t)(rng_next(&s) % 600);
            int col = n == 0 ? dims[k] - 1 : (int)(rng_next(&s) % (uint64_t)dims[k]);
            int i2 = col / 2 * 2; /* 2i */
            double angle = (double)pos / pow(10000.0, (double)i2 / dims[k]);
            double want = col % 2 == 0 ? sin(angle) : cos(angle);
            /* stored as float: values in [-1, 1] round to within 6e-8; 1e-6 allows the libm
             * difference between the two computations of the angle as well */
            CHECK_NEAR(emb_row(&t, pos)[col], want, 1e-6);
        }
    }
    CHECK(emb_row(&t, 3)[0] == (float)sin(3.0)); /* dim 1: a single sin column */
    emb_deinit(&t);
}

TEST(sinusoidal_is_local_random_is_not)
{
    Embeddings sinus, rnd;
    emb_init(&sinus);
    emb_init(&rnd);
    Err e = {0};
    CHECK(posenc_build(&sinus, NULL, &e));
    CHECK(posenc_build(&rnd, &(PosEncDesc){.kind = POSENC_RANDOM}, &e));
    CHECK(cosine(&sinus, 5, 6) > cosine(&sinus, 5, 100));
    /* Over 400 triples (a, a+1, a+far), compare near and far cosines. For the random table the
     * two cosines are independent, each ~N(0, 1/768) (sd 0.036): the mean difference has sd
     * sqrt(2/768/400) = 0.0026, so |mean| < 0.013 is a 5-sd bound; "near beats far" is a fair
     * coin, 400 flips have sd 0.025, so 0.5 +- 0.1 is a 4-sd bound. The sinusoidal table must
     * show near > far nearly always and by a clear margin. */
    uint64_t s = 17;
    int n = 400, wins_s = 0, wins_r = 0;
    double diff_s = 0, diff_r = 0;
    for (int k = 0; k < n; k++) {
        int64_t a = (int64_t)(rng_next(&s) % 400);
        int64_t far = 50 + (int64_t)(rng_next(&s) % 60);
        double ns = cosine(&sinus, a, a + 1), fs = cosine(&sinus, a, a + far);
        double nr = cosine(&rnd, a, a + 1), fr = cosine(&rnd, a, a + far);
        wins_s += ns > fs, wins_r += nr > fr;
        diff_s += (ns - fs) / n, diff_r += (nr - fr) / n;
    }
    CHECKF(wins_s >= n * 99 / 100 && diff_s > 0.1, "sinusoidal wins %d diff %g", wins_s, diff_s);
    CHECKF(fabs(diff_r) < 0.013, "random diff %g", diff_r);
    CHECKF(wins_r > n * 4 / 10 && wins_r < n * 6 / 10, "random wins %d of %d", wins_r, n);
    emb_deinit(&sinus);
    emb_deinit(&rnd);
}

TEST(random_is_standard_normal_and_seeded)
{
    Embeddings a, b, c;
    emb_init(&a), emb_init(&b), emb_init(&c);
    Err e = {0};
    CHECK(posenc_build(&a, &(PosEncDesc){.kind = POSENC_RANDOM, .seed = 4}, &e));
    CHECK(posenc_build(&b, &(PosEncDesc){.kind = POSENC_RANDOM, .seed = 4}, &e));
    CHECK(posenc_build(&c, &(PosEncDesc){.kind = POSENC_RANDOM, .seed = 5}, &e));
    double m = 0, v = 0, n = (double)a.rows * a.dim;
    int same_c = 0;
    for (int64_t r = 0; r < a.rows; r++)
        for (int k = 0; k < a.dim; k++) {
            double x = emb_row(&a, r)[k];
            m += x / n, v += x * x / n;
            CHECK(x == emb_row(&b, r)[k]);
            same_c += x == emb_row(&c, r)[k];
        }
    /* 393216 draws: the mean has sd 0.0016 and the second moment sd sqrt(2/n) = 0.0023; the
     * bounds are about 6 sd */
    CHECK_NEAR(m, 0, 0.01);
    CHECK_NEAR(v, 1, 0.015);
    CHECK(same_c < 10);
    emb_deinit(&a), emb_deinit(&b), emb_deinit(&c);
}

TEST(similarity_matrices)
{
    Embeddings t;
    emb_init(&t);
    Err e = {0};
    CHECK(posenc_build(&t, &(PosEncDesc){.max_len = 40, .dim = 10, .kind = POSENC_RANDOM}, &e));
    float *m = malloc(sizeof(float) * 40 * 40);
    CHECK(posenc_similarity(&t, POSENC_COSINE, m, &e));
    for (int i = 0; i < 40; i++)
        for (int j = 0; j < 40; j++) {
            CHECK(m[i * 40 + j] == m[j * 40 + i]);
            /* float result of a double computation: 1e-6 relative */
            CHECK_NEAR(m[i * 40 + j], cosine(&t, i, j), 1e-6);
        }
    CHECK(posenc_similarity(&t, POSENC_EUCLIDEAN, m, &e));
    for (int i = 0; i < 40; i += 7)
        for (int j = 0; j < 40; j += 3) {
            double d2 = 0;
            for (int c = 0; c < 10; c++)
                d2 += pow(emb_row(&t, i)[c] - emb_row(&t, j)[c], 2);
            /* the |a|^2 + |b|^2 - 2ab form in double loses ~1e-15 relative of |a|^2 ~ 10 */
            CHECK_NEAR(m[i * 40 + j], sqrt(d2), 1e-5);
        }
    CHECK(m[0] == 0);
    CHECK(posenc_similarity(&t, POSENC_DOT, m, &e));
    for (int i = 0; i < 40; i += 5) {
        double dot = 0;
        for (int c = 0; c < 10; c++)
            dot += (double)emb_row(&t, i)[c] * emb_row(&t, 39 - i)[c];
        CHECK_NEAR(m[i * 40 + 39 - i], dot, 1e-5); /* float of a double sum of 10 terms */
    }
    CHECK(!posenc_similarity(&t, (PosEncSim)9, m, &e));
    free(m);
    emb_deinit(&t);
}

TEST(lookup_checks_bounds)
{
    Embeddings t;
    emb_init(&t);
    Err e = {0};
    CHECK(posenc_build(&t, &(PosEncDesc){.max_len = 512, .dim = 12}, &e));
    int64_t idx[4] = {0, 511, 5, 5};
    float out[4 * 12];
    CHECKF(embedding_lookup(&t, idx, 4, out, &e), "%s", e.msg);
    for (int r = 0; r < 4; r++)
        CHECK(memcmp(out + r * 12, emb_row(&t, idx[r]), sizeof(float) * 12) == 0);
    float keep[4 * 12];
    memcpy(keep, out, sizeof keep);
    int64_t bad[3] = {1, 512, -1};
    CHECK(!embedding_lookup(&t, bad, 3, out, &e));
    CHECKF(strstr(e.msg, "index 512 at position 1") && strstr(e.msg, "[0, 512)"), "%s", e.msg);
    CHECK(memcmp(keep, out, sizeof keep) == 0); /* nothing written */
    bad[1] = 3;
    CHECK(!embedding_lookup(&t, bad, 3, out, &e) && strstr(e.msg, "index -1 at position 2"));
    CHECK(embedding_lookup(&t, NULL, 0, NULL, &e));
    CHECK(!embedding_lookup(&t, idx, -1, out, &e));
    emb_deinit(&t);
}

TEST(limits_and_failure_keep_table)
{
    Embeddings t;
    emb_init(&t);
    Err e = {0};
    CHECK(posenc_build(&t, &(PosEncDesc){.max_len = 8, .dim = 4}, &e));
    CHECK(!posenc_build(&t, &(PosEncDesc){.max_len = POSENC_MAX_LEN + 1}, &e));
    CHECK(strstr(e.msg, "posenc"));
    CHECK(!posenc_build(&t, &(PosEncDesc){.dim = EMB_MAX_DIM + 1}, &e));
    CHECK(!posenc_build(&t, &(PosEncDesc){.base = 1}, &e));
    CHECK(!posenc_build(&t, &(PosEncDesc){.kind = (PosEncKind)7}, &e));
    CHECK(t.rows == 8 && t.dim == 4); /* the old table survives */
    emb_deinit(&t);
}

/* The analysis tools take a position table like any vocabulary: on the sinusoidal table PC1
 * and PC2 come from the slowest sin/cos pair, so consecutive positions stay adjacent. */
TEST(pca_runs_on_positions)
{
    Embeddings t;
    emb_init(&t);
    Err e = {0};
    CHECK(posenc_build(&t, NULL, &e));
    Pca p;
    pca_init(&p, &(PcaDesc){.k = 2});
    CHECKF(pca_update(&p, t.vec, t.rows, t.dim, t.stride, &e), "%s", e.msg);
    float *xy = malloc(sizeof(float) * 3 * (size_t)t.rows);
    CHECK(pca_project(&p, t.vec, t.rows, t.dim, t.stride, NULL, 2, xy, &e));
    double step = 0, spread = 0;
    for (int64_t r = 0; r + 1 < t.rows; r++) {
        step += hypot(xy[3 * r] - xy[3 * r + 3], xy[3 * r + 1] - xy[3 * r + 4]);
        spread += hypot(xy[3 * r] - xy[3 * ((r * 7 + 200) % t.rows)],
                        xy[3 * r + 1] - xy[3 * ((r * 7 + 200) % t.rows) + 1]);
    }
    CHECKF(step * 5 < spread, "neighbour step %g vs spread %g", step, spread);
    free(xy);
    pca_deinit(&p);
    emb_deinit(&t);
}
