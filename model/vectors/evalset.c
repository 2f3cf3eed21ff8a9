/* Analogy and similarity evaluations: see evalset.h. Files are read whole (they are small and
 * capped), parsed line by line into question rows, and the analogy questions answered in
 * batches so each block of vectors is read from memory once per batch, not once per question. */
#include "model/vectors/evalset.h"
#include "model/vectors/expr.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 128    /* analogy questions per pass over the vectors */
#define MAX_FIELDS 8 /* fields split per line; more are only counted */

/* ---- reading ---------------------------------------------------------------------------- */

bool eval_read_file(const char *path, size_t max, char **text, size_t *len, Err *e)
{
    *text = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        goto oom;
    for (;;) {
        if (n == cap) {
            if (cap >= max + 1)
                break;
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb)
                goto oom;
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        err_set(e, "%s: read error", path);
        goto fail;
    }
    if (n > max) {
        err_set(e, "%s: larger than %zu bytes", path, max);
        goto fail;
    }
    fclose(f);
    buf[n] = 0;
    *text = buf;
    *len = n;
    return true;
oom:
    err_set(e, "%s: out of memory", path);
fail:
    free(buf);
    fclose(f);
    return false;
}

/* Iterates lines of a buffer: strips "\r\n" and a leading UTF-8 byte order mark. */
typedef struct Lines {
    const char *p, *end;
    int64_t no; /* 1-based number of the line last returned */
} Lines;

static void lines_init(Lines *l, const char *text, size_t len)
{
    l->p = text;
    l->end = text + len;
    l->no = 0;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        l->p += 3;
}

static bool lines_next(Lines *l, const char **s, size_t *n)
{
    if (l->p >= l->end)
        return false;
    const char *nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
    const char *stop = nl ? nl : l->end;
    *s = l->p;
    *n = (size_t)(stop - l->p);
    if (*n && (*s)[*n - 1] == '\r')
        (*n)--;
    l->p = nl ? nl + 1 : l->end;
    l->no++;
    return true;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

typedef struct Field {
    const char *s;
    size_t n;
} Field;

/* Splits on runs of blanks; returns the total number of fields (only MAX_FIELDS are stored). */
static int split(const char *s, size_t n, Field *f)
{
    int k = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && is_blank(s[i]))
            i++;
        if (i == n)
            break;
        size_t b = i;
        while (i < n && !is_blank(s[i]))
            i++;
        if (k < MAX_FIELDS)
            f[k] = (Field){s + b, i - b};
        k++;
    }
    return k;
}

/* ---- case-insensitive lookup ------------------------------------------------------------ */

/* Lower-cased spelling -> the row of its most frequent spelling among the first `rows` rows,
 * as gensim's evaluate_* build their case-insensitive vocabulary. */
typedef struct CiMap {
    Vocab lower;   /* lower-cased words, in first-seen order */
    int64_t *row;  /* (lower.size) row of each */
    int64_t *canon; /* (rows) canonical row of each row's lower-cased spelling */
    int64_t rows;
} CiMap;

static void cimap_deinit(CiMap *m)
{
    vocab_deinit(&m->lower);
    free(m->row);
    free(m->canon);
    memset(m, 0, sizeof *m);
}

static bool cimap_build(CiMap *m, const Vocab *v, const KnnIndex *ix, int64_t limit, Err *e)
{
    memset(m, 0, sizeof *m);
    vocab_init(&m->lower);
    int64_t rows = v->size < ix->rows ? v->size : ix->rows;
    if (limit > 0 && limit < rows)
        rows = limit;
    m->rows = rows;
    m->row = malloc((size_t)(rows ? rows : 1) * sizeof *m->row);
    m->canon = malloc((size_t)(rows ? rows : 1) * sizeof *m->canon);
    if (!m->row || !m->canon) {
        cimap_deinit(m);
        return err_set(e, "out of memory for a %lld-word lookup table", (long long)rows);
    }
    char low[VOCAB_MAX_WORD + 1];
    for (int64_t i = 0; i < rows; i++) {
        const char *w = vocab_word(v, i);
        size_t n = strlen(w);
        if (n > VOCAB_MAX_WORD) {
            m->canon[i] = -1; /* cannot match a bounded question word */
            continue;
        }
        expr_lower(low, w, n);
        int64_t j = vocab_find(&m->lower, low, n);
        if (j < 0) {
            j = vocab_add(&m->lower, low, n, 1, e);
            if (j < 0) {
                cimap_deinit(m);
                return false;
            }
            m->row[j] = i;
        }
        m->canon[i] = m->row[j];
    }
    return true;
}

/* Row of a question word, or -1. */
static int64_t cimap_find(const CiMap *m, const char *w, size_t n)
{
    if (n > VOCAB_MAX_WORD)
        return -1;
    char low[VOCAB_MAX_WORD + 1];
    expr_lower(low, w, n);
    int64_t j = vocab_find(&m->lower, low, n);
    return j < 0 ? -1 : m->row[j];
}

/* ---- analogies -------------------------------------------------------------------------- */

double eval_accuracy(EvalScore s)
{
    return s.answered ? (double)s.correct / (double)s.answered : NAN;
}

void analogy_report_deinit(AnalogyReport *r)
{
    if (!r)
        return;
    free(r->sections);
    memset(r, 0, sizeof *r);
}

typedef struct Question {
    int64_t w[4]; /* rows of a, b, c, expected */
    int section;
} Question;

typedef struct Parsed {
    Question *q;
    int64_t n, cap;
    EvalSection *sec;
    int nsec, seccap;
} Parsed;

static bool add_section(Parsed *p, const char *s, size_t n, Err *e)
{
    if (p->nsec == p->seccap) {
        if (p->seccap >= (1 << 20))
            return err_set(e, "more than %d sections", p->seccap);
        int cap = p->seccap ? p->seccap * 2 : 16;
        EvalSection *ns = realloc(p->sec, (size_t)cap * sizeof *ns);
        if (!ns)
            return err_set(e, "out of memory");
        p->sec = ns;
        p->seccap = cap;
    }
    EvalSection *sec = &p->sec[p->nsec++];
    memset(sec, 0, sizeof *sec);
    size_t m = n < sizeof sec->name - 1 ? n : sizeof sec->name - 1;
    memcpy(sec->name, s, m);
    sec->syntactic = n >= 4 && !strncmp(s, "gram", 4);
    return true;
}

static bool add_question(Parsed *p, const int64_t w[4], Err *e)
{
    if (p->n == p->cap) {
        int64_t cap = p->cap ? p->cap * 2 : 1024;
        Question *nq = realloc(p->q, (size_t)cap * sizeof *nq);
        if (!nq)
            return err_set(e, "out of memory");
        p->q = nq;
        p->cap = cap;
    }
    Question *q = &p->q[p->n++];
    memcpy(q->w, w, sizeof q->w);
    q->section = p->nsec - 1;
    return true;
}

static bool parse_questions(const char *text, size_t len, const char *name, const CiMap *m,
                            Parsed *p, int64_t *nquestions, Err *e)
{
    Lines l;
    lines_init(&l, text, len);
    const char *s;
    size_t n;
    Field f[MAX_FIELDS];
    while (lines_next(&l, &s, &n)) {
        if (n > EVAL_MAX_LINE)
            return err_set(e, "%s:%lld: line longer than %d bytes", name, (long long)l.no,
                           EVAL_MAX_LINE);
        int nf = split(s, n, f);
        if (nf == 0)
            continue;
        if (f[0].s[0] == ':') {
            const char *h = f[0].s + 1;
            size_t hn = (size_t)(s + n - h);
            while (hn && is_blank(*h))
                h++, hn--;
            while (hn && is_blank(h[hn - 1]))
                hn--;
            if (!hn)
                return err_set(e, "%s:%lld: empty section name", name, (long long)l.no);
            if (!add_section(p, h, hn, e))
                return err_prefix(e, "%s:%lld: ", name, (long long)l.no);
            continue;
        }
        if (nf != 4)
            return err_set(e, "%s:%lld: expected 4 words, found %d", name, (long long)l.no, nf);
        if (!p->nsec)
            return err_set(e, "%s:%lld: question before the first ': section' header", name,
                           (long long)l.no);
        (*nquestions)++;
        int64_t w[4];
        bool known = true;
        for (int i = 0; i < 4; i++) {
            w[i] = cimap_find(m, f[i].s, f[i].n);
            known &= w[i] >= 0;
        }
        if (!known)
            p->sec[p->nsec - 1].skipped++;
        else if (!add_question(p, w, e))
            return err_prefix(e, "%s:%lld: ", name, (long long)l.no);
    }
    return true;
}

/* gensim's rule: walk the top predictions, skip any whose lower-cased spelling is a question
 * word, and compare the first other one with the expected word (if all are question words, the
 * last one stands). Equal lower-cased spellings share one canonical row. */
static bool judge(const CiMap *m, const Question *q, const Neighbour *nb, int n)
{
    int64_t predicted = -1;
    for (int i = 0; i < n; i++) {
        predicted = m->canon[nb[i].index];
        if (predicted != q->w[0] && predicted != q->w[1] && predicted != q->w[2])
            break;
    }
    return predicted >= 0 && predicted == q->w[3];
}

/* gensim asks most_similar for topn=5 after dropping the input rows. */
#define ANSWER_K 5

static bool answer_all(const Parsed *p, const CiMap *m, const KnnIndex *ix,
                       EvalProgressFn progress, void *ctx, Err *e)
{
    float *qs = malloc((size_t)BATCH * (size_t)ix->dim * sizeof(float));
    int64_t *ex = malloc((size_t)BATCH * 3 * sizeof(int64_t));
    Neighbour *out = malloc((size_t)BATCH * ANSWER_K * sizeof(Neighbour));
    int counts[BATCH];
    bool ok = qs && ex && out;
    if (!ok)
        err_set(e, "out of memory");
    for (int64_t q0 = 0; ok && q0 < p->n; q0 += BATCH) {
        int nb = p->n - q0 < BATCH ? (int)(p->n - q0) : BATCH;
        for (int t = 0; t < nb; t++) {
            const Question *q = &p->q[q0 + t];
            const float *ua = knn_row(ix, q->w[0]), *ub = knn_row(ix, q->w[1]),
                        *uc = knn_row(ix, q->w[2]);
            float *d = qs + (int64_t)t * ix->dim;
            for (int j = 0; j < ix->dim; j++)
                d[j] = ub[j] - ua[j] + uc[j];
            memcpy(ex + 3 * t, q->w, 3 * sizeof(int64_t));
        }
        if (!knn_query_batch(ix, m->rows, qs, nb, ANSWER_K, ex, 3, out, counts)) {
            ok = err_set(e, "out of memory");
            break;
        }
        for (int t = 0; t < nb; t++) {
            const Question *q = &p->q[q0 + t];
            EvalSection *sec = &p->sec[q->section];
            sec->score.answered++;
            sec->score.correct += judge(m, q, out + t * ANSWER_K, counts[t]);
        }
        if (progress && !progress(ctx, (double)(q0 + nb) / (double)p->n))
            ok = err_set(e, "cancelled");
    }
    free(qs);
    free(ex);
    free(out);
    return ok;
}

static void add_score(EvalScore *a, EvalScore b)
{
    a->correct += b.correct;
    a->answered += b.answered;
}

bool eval_analogies_text(const char *text, size_t len, const char *name, const Vocab *v,
                         const KnnIndex *ix, int64_t restrict_vocab, EvalProgressFn progress,
                         void *ctx, AnalogyReport *out, Err *e)
{
    CiMap m;
    Parsed p = {0};
    int64_t nquestions = 0;
    if (restrict_vocab <= 0)
        restrict_vocab = EVAL_DEFAULT_ANALOGY_RESTRICT;
    if (!cimap_build(&m, v, ix, restrict_vocab, e))
        return false;
    bool ok = parse_questions(text, len, name, &m, &p, &nquestions, e) &&
              answer_all(&p, &m, ix, progress, ctx, e);
    if (ok) {
        analogy_report_deinit(out);
        out->sections = p.sec;
        out->nsections = p.nsec;
        out->questions = nquestions;
        out->restrict_rows = m.rows;
        for (int i = 0; i < p.nsec; i++) {
            add_score(p.sec[i].syntactic ? &out->syntactic : &out->semantic, p.sec[i].score);
            add_score(&out->total, p.sec[i].score);
        }
        out->skipped = nquestions - out->total.answered;
        p.sec = NULL;
    }
    free(p.sec);
    free(p.q);
    cimap_deinit(&m);
    return ok;
}

bool eval_analogies(const char *path, const Vocab *v, const KnnIndex *ix, int64_t restrict_vocab,
                    EvalProgressFn progress, void *ctx, AnalogyReport *out, Err *e)
{
    char *text;
    size_t len;
    if (!eval_read_file(path, EVAL_MAX_FILE, &text, &len, e))
        return false;
    bool ok = eval_analogies_text(text, len, path, v, ix, restrict_vocab, progress, ctx, out, e);
    free(text);
    return ok;
}

/* ---- similarity ------------------------------------------------------------------------- */

static bool parse_score(const Field *f, double *out)
{
    char buf[64];
    if (f->n == 0 || f->n >= sizeof buf)
        return false;
    memcpy(buf, f->s, f->n);
    buf[f->n] = 0;
    char *end;
    errno = 0;
    double x = strtod(buf, &end);
    if (*end || end == buf || errno || !isfinite(x))
        return false;
    *out = x;
    return true;
}

typedef struct Pairs {
    double *model, *gold;
    int64_t n, cap;
} Pairs;

static bool pairs_push(Pairs *p, double model, double gold)
{
    if (p->n == p->cap) {
        int64_t cap = p->cap ? p->cap * 2 : 512;
        double *nm = realloc(p->model, (size_t)cap * sizeof *nm);
        if (!nm)
            return false;
        p->model = nm;
        double *ng = realloc(p->gold, (size_t)cap * sizeof *ng);
        if (!ng)
            return false;
        p->gold = ng;
        p->cap = cap;
    }
    p->model[p->n] = model;
    p->gold[p->n] = gold;
    p->n++;
    return true;
}

static bool parse_pairs(const char *text, size_t len, const char *name, const CiMap *m,
                        const KnnIndex *ix, Pairs *pp, int64_t *npairs, Err *e)
{
    Lines l;
    lines_init(&l, text, len);
    const char *s;
    size_t n;
    Field f[MAX_FIELDS];
    bool first = true;
    while (lines_next(&l, &s, &n)) {
        if (n > EVAL_MAX_LINE)
            return err_set(e, "%s:%lld: line longer than %d bytes", name, (long long)l.no,
                           EVAL_MAX_LINE);
        int nf = split(s, n, f);
        if (nf == 0 || f[0].s[0] == '#')
            continue;
        if (nf != 3)
            return err_set(e, "%s:%lld: expected 3 fields (word word score), found %d", name,
                           (long long)l.no, nf);
        double gold;
        bool number = parse_score(&f[2], &gold);
        if (!number && first) {
            first = false; /* a header such as "word1 word2 score" */
            continue;
        }
        first = false;
        if (!number)
            return err_set(e, "%s:%lld: score '%.*s' is not a number", name, (long long)l.no,
                           (int)(f[2].n < 40 ? f[2].n : 40), f[2].s);
        (*npairs)++;
        int64_t a = cimap_find(m, f[0].s, f[0].n), b = cimap_find(m, f[1].s, f[1].n);
        if (a < 0 || b < 0)
            continue;
        if (!pairs_push(pp, knn_cosine(ix, a, b), gold))
            return err_set(e, "out of memory");
    }
    return true;
}

bool eval_similarity_text(const char *text, size_t len, const char *name, const Vocab *v,
                          const KnnIndex *ix, int64_t restrict_vocab, SimilarityReport *out,
                          Err *e)
{
    CiMap m;
    Pairs pp = {0};
    int64_t npairs = 0;
    if (restrict_vocab <= 0)
        restrict_vocab = EVAL_DEFAULT_SIMILARITY_RESTRICT;
    if (!cimap_build(&m, v, ix, restrict_vocab, e))
        return false;
    bool ok = parse_pairs(text, len, name, &m, ix, &pp, &npairs, e);
    if (ok) {
        out->pairs = npairs;
        out->used = pp.n;
        out->skipped = npairs - pp.n;
        out->restrict_rows = m.rows;
        out->spearman = eval_spearman(pp.model, pp.gold, pp.n);
        out->pearson = eval_pearson(pp.model, pp.gold, pp.n);
    }
    free(pp.model);
    free(pp.gold);
    cimap_deinit(&m);
    return ok;
}

bool eval_similarity(const char *path, const Vocab *v, const KnnIndex *ix, int64_t restrict_vocab,
                     SimilarityReport *out, Err *e)
{
    char *text;
    size_t len;
    if (!eval_read_file(path, EVAL_MAX_FILE, &text, &len, e))
        return false;
    bool ok = eval_similarity_text(text, len, path, v, ix, restrict_vocab, out, e);
    free(text);
    return ok;
}

/* ---- statistics ------------------------------------------------------------------------- */

double eval_pearson(const double *x, const double *y, int64_t n)
{
    if (n < 2)
        return NAN;
    double mx = 0, my = 0;
    for (int64_t i = 0; i < n; i++)
        mx += x[i], my += y[i];
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0, sxx = 0, syy = 0;
    for (int64_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (!(sxx > 0) || !(syy > 0))
        return NAN;
    return sxy / sqrt(sxx * syy);
}

typedef struct Keyed {
    double v;
    int64_t i;
} Keyed;

static int cmp_keyed(const void *pa, const void *pb)
{
    const Keyed *a = pa, *b = pb;
    return a->v < b->v ? -1 : a->v > b->v;
}

/* 1-based ranks, tied values sharing the average of their positions. */
static bool average_ranks(const double *x, int64_t n, double *rank)
{
    Keyed *ord = malloc((size_t)n * sizeof *ord);
    if (!ord)
        return false;
    for (int64_t i = 0; i < n; i++)
        ord[i] = (Keyed){x[i], i};
    qsort(ord, (size_t)n, sizeof *ord, cmp_keyed);
    for (int64_t i = 0; i < n;) {
        int64_t j = i;
        while (j + 1 < n && ord[j + 1].v == ord[i].v)
            j++;
        double r = (double)(i + j) / 2 + 1;
        for (int64_t t = i; t <= j; t++)
            rank[ord[t].i] = r;
        i = j + 1;
    }
    free(ord);
    return true;
}

double eval_spearman(const double *x, const double *y, int64_t n)
{
    if (n < 2)
        return NAN;
    double *rx = malloc((size_t)n * sizeof *rx), *ry = malloc((size_t)n * sizeof *ry);
    double rho = NAN;
    if (rx && ry && average_ranks(x, n, rx) && average_ranks(y, n, ry))
        rho = eval_pearson(rx, ry, n);
    free(rx);
    free(ry);
    return rho;
}
