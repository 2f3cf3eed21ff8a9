/* The helpers behind bench/load.sh (issue #7: loading 400k x 300 vectors):
 *   bench_load gen ROWS DIM SEED OUT.txt OUT.bin  seeded word2vec text (6 decimals) + binary
 *   bench_load strtof FILE                         the baseline: every float of a word2vec text
 *                                                  file through strtof, nothing stored
 *   bench_load load FILE                           vecfile_load (what the CLI and GUI call)
 * Single-threaded; prints one line of results on stdout. */
#include "model/files/vecfile.h"
#include "model/base/clock.h"
#include "model/base/rng.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Values ~ N(0, 0.15^2) clamped to (-1, 1), like trained vectors, as "-0.123456". */
static int gen(long rows, int dim, unsigned long long seed, const char *txt, const char *bin)
{
    FILE *t = fopen(txt, "w"), *b = fopen(bin, "wb");
    if (!t || !b) {
        perror("bench_load gen");
        return 1;
    }
    static char tbuf[1 << 20], bbuf[1 << 20];
    setvbuf(t, tbuf, _IOFBF, sizeof tbuf);
    setvbuf(b, bbuf, _IOFBF, sizeof bbuf);
    fprintf(t, "%ld %d\n", rows, dim);
    fprintf(b, "%ld %d\n", rows, dim);
    uint64_t s = seed;
    char line[16 * 10000 + 64];
    for (long i = 0; i < rows; i++) {
        int o = sprintf(line, "word%ld", i);
        fwrite(line, 1, (size_t)o, b);
        fputc(' ', b);
        for (int k = 0; k < dim; k++) {
            double x = 0.15 * rng_gauss(&s);
            long n = (long)(x * 1e6 + (x < 0 ? -0.5 : 0.5));
            if (n > 999999) n = 999999;
            if (n < -999999) n = -999999;
            long a = n < 0 ? -n : n;
            o += sprintf(line + o, " %s0.%06ld", n < 0 ? "-" : "", a);
            float f = (float)((double)n / 1e6);
            fwrite(&f, sizeof f, 1, b);
        }
        line[o++] = '\n';
        fwrite(line, 1, (size_t)o, t);
        fputc('\n', b);
    }
    return fclose(t) || fclose(b);
}

/* Reads the file in 16 MiB blocks, skips the header line and each row's word, and sends every
 * other field through strtof: the least any text loader must do. */
static int baseline(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t cap = 16u << 20, len = 0;
    char *buf = malloc(cap + 1);
    double t0 = clock_s(), sum = 0;
    long long values = 0, lines = 0;
    bool header = true;
    for (;;) {
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        buf[len] = 0;
        char *p = buf, *end = buf + len;
        for (;;) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl && got)
                break; /* partial line: keep it for the next block */
            char *e = nl ? nl : end;
            if (p == e && !nl)
                break;
            *e = 0;
            if (!header) {
                char *q = strchr(p, ' ');
                while (q && q < e) {
                    char *r;
                    float x = strtof(q, &r);
                    if (r == q)
                        break;
                    sum += x;
                    values++;
                    q = r;
                }
            }
            header = false;
            lines++;
            p = e + 1;
            if (!nl)
                break;
        }
        if (!got)
            break;
        len = (size_t)(end - p);
        memmove(buf, p, len);
    }
    fclose(f);
    free(buf);
    printf("strtof: %lld lines, %lld values, sum %.3f, %.3f s\n", lines, values, sum, clock_s() - t0);
    return 0;
}

static int load(const char *path)
{
    Embeddings t;
    Err e;
    VecInfo info;
    emb_init(&t);
    double t0 = clock_s();
    if (!vecfile_load(&(VecLoadDesc){.path = path}, &t, &info, &e)) {
        fprintf(stderr, "bench_load: %s\n", e.msg);
        return 1;
    }
    printf("load: %lld x %d, %s, %.3f s\n", (long long)t.rows, t.dim, vecfile_format_name(info.format),
           clock_s() - t0);
    emb_deinit(&t);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 7 && !strcmp(argv[1], "gen"))
        return gen(atol(argv[2]), atoi(argv[3]), strtoull(argv[4], NULL, 10), argv[5], argv[6]);
    if (argc == 3 && !strcmp(argv[1], "strtof"))
        return baseline(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "load"))
        return load(argv[2]);
    fprintf(stderr, "usage: bench_load gen ROWS DIM SEED OUT.txt OUT.bin | strtof FILE | load FILE\n");
    return 2;
}
