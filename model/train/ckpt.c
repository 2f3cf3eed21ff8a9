/* Checkpoints: see ckpt.h. Taking one holds the trainer's threads (worker_hold) only while
 * the matrices are copied; the file is then written from the copy by the caller, so training
 * goes on during the write. Reading verifies the whole payload's CRC-32 in a first pass and
 * parses it in a second, every read bounded by its section and every count checked against
 * the bytes left before anything is allocated. Any thread; one Ckpt per thread. */
#include "model/train/ckpt.h"
#include "model/base/atomicfile.h"
#include "model/base/clock.h"
#include "model/train/trainer_state.h"
#include "model/train/worker.h"
#include "model/vectors/embed.h"
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "checkpoints write floats as the machine stores them: little-endian only");

#define MAGIC "EMBSCKPT"
#define HEADER_BYTES 32
#define POS_BYTES 80       /* one TrainPos record in THRD */
#define SETS_MAX (1 << 16) /* the settings text: a few hundred bytes in practice */
#define TAG(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
enum {
    SEC_SETS = TAG('S', 'E', 'T', 'S'), SEC_FRNT = TAG('F', 'R', 'N', 'T'),
    SEC_PROG = TAG('P', 'R', 'O', 'G'), SEC_VOCB = TAG('V', 'O', 'C', 'B'),
    SEC_MATS = TAG('M', 'A', 'T', 'S'), SEC_THRD = TAG('T', 'H', 'R', 'D'),
};
enum { MAT_SYN0 = 1, MAT_SYN1NEG = 2, MAT_SYN1 = 4 };

void ckpt_init(Ckpt *k) { memset(k, 0, sizeof *k); vocab_init(&k->vocab); }

void ckpt_deinit(Ckpt *k)
{
    vocab_deinit(&k->vocab);
    free(k->syn0);
    free(k->syn1neg);
    free(k->syn1);
    free(k->threads);
    ckpt_init(k);
}

static uint32_t which_mats(const TrainDesc *d)
{
    return MAT_SYN0 | (d->negative > 0 ? MAT_SYN1NEG : 0) | (d->hs ? MAT_SYN1 : 0);
}

/* (Re)allocates k's matrices and thread records for rows x stride and n threads. */
static bool alloc_state(Ckpt *k, int64_t rows, int dim, int n, Err *e)
{
    int stride = emb_stride(dim);
    if (rows < 1 || (uint64_t)rows > SIZE_MAX / sizeof(float) / (size_t)stride)
        return err_set(e, "%lld x %d vectors do not fit in memory", (long long)rows, dim);
    size_t bytes = (size_t)rows * (size_t)stride * sizeof(float);
    uint32_t want = which_mats(&k->d);
    float **m[3] = {&k->syn0, &k->syn1neg, &k->syn1};
    bool same = k->rows == rows && k->stride == stride;
    for (int i = 0; i < 3; i++) {
        if (!same || !(want & (1u << i))) {
            free(*m[i]);
            *m[i] = NULL;
        }
        if ((want & (1u << i)) && !*m[i] && !(*m[i] = emb_aligned_alloc(bytes)))
            return err_set(e, "out of memory for a checkpoint of %lld x %d vectors",
                           (long long)rows, dim);
    }
    k->rows = rows;
    k->dim = dim;
    k->stride = stride;
    if (k->nthreads != n) {
        free(k->threads);
        k->nthreads = 0;
        if (!(k->threads = calloc((size_t)n, sizeof *k->threads)))
            return err_set(e, "out of memory");
        k->nthreads = n;
    }
    return true;
}

/* The three matrices (syn0, syn1neg, syn1; NULL when off) of rows x stride floats each. */
static void copy_mats(float *const dst[3], const float *const src[3], size_t bytes)
{
    for (int i = 0; i < 3; i++)
        if (dst[i] && src[i])
            memcpy(dst[i], src[i], bytes);
}

bool ckpt_take(Trainer *t, Ckpt *k, Err *e)
{
    /* the settings and the vocabulary do not change while the threads run */
    k->d = t->d;
    snprintf(k->corpus, sizeof k->corpus, "%s", t->corpus->name);
    k->corpus_bytes = t->corpus->bytes;
    if (k->from != t && !vocab_copy(&k->vocab, &t->vocab, e))
        return false;
    k->from = t;
    if (!alloc_state(k, t->vocab.size, t->dim, t->nthreads, e))
        return false;
    double t0 = clock_s();
    if (!worker_hold(t, e))
        return false;
    double t1 = clock_s();
    copy_mats((float *[3]){k->syn0, k->syn1neg, k->syn1},
              (const float *[3]){t->syn0, t->syn1neg, t->syn1},
              (size_t)k->rows * (size_t)k->stride * sizeof(float));
    pthread_mutex_lock(&t->mu);
    k->words_done = 0;
    for (int i = 0; i < k->nthreads; i++) {
        k->threads[i] = t->ts[i].pos;
        k->words_done += t->ts[i].pos.words + t->ts[i].pos.since_count;
    }
    pthread_mutex_unlock(&t->mu);
    k->alpha_base = atomic_load(&t->alpha_base);
    k->alpha_now = worker_alpha(t, k->words_done); /* for readers: a thread resumes at its own */
    worker_release(t);
    k->wait_s = t1 - t0;
    k->copy_s = clock_s() - t1;
    k->elapsed = trainer_progress(t).elapsed;
    return true;
}

Trainer *ckpt_trainer(const Ckpt *k, const Corpus *c, Err *e)
{
    if (strcmp(c->name, k->corpus) != 0) {
        err_set(e, "the checkpoint's run trained on %.100s, not %.100s", k->corpus, c->name);
        return NULL;
    }
    if (c->bytes != k->corpus_bytes) {
        err_set(e, "%.100s has %lld bytes where the checkpoint's run read %lld: the corpus has "
                   "changed", c->name, (long long)c->bytes, (long long)k->corpus_bytes);
        return NULL;
    }
    Vocab v;
    vocab_init(&v);
    Trainer *t = vocab_copy(&v, &k->vocab, e) ? trainer_create(&k->d, c, &v, e) : NULL;
    vocab_deinit(&v);
    if (!t)
        return NULL;
    if (t->nthreads != k->nthreads || t->dim != k->dim || t->stride != k->stride ||
        t->vocab.size != k->rows || !k->syn0 || !t->syn1neg != !k->syn1neg ||
        !t->syn1 != !k->syn1) {
        err_set(e, "the checkpoint's matrices or threads do not match its settings");
        trainer_destroy(t);
        return NULL;
    }
    copy_mats((float *[3]){t->syn0, t->syn1neg, t->syn1},
              (const float *[3]){k->syn0, k->syn1neg, k->syn1},
              (size_t)k->rows * (size_t)k->stride * sizeof(float));
    for (int i = 0; i < t->nthreads; i++) {
        const TrainPos *p = &k->threads[i];
        t->ts[i].pos = *p;
        atomic_store(&t->ts[i].words, p->words);
        atomic_store(&t->ts[i].epoch, p->epoch);
        atomic_store(&t->ts[i].loss_sum, p->pub_loss_sum);
        atomic_store(&t->ts[i].loss_n, p->pub_loss_n);
    }
    atomic_store(&t->alpha_base, k->alpha_base);
    t->elapsed_before = k->elapsed;
    return t;
}

/* ---- writing ---------------------------------------------------------------------------- */

typedef struct W {
    FILE *f;
    uLong crc;
    uint64_t n; /* payload bytes written */
} W;

static void put(W *w, const void *p, size_t n)
{
    fwrite(p, 1, n, w->f);
    for (const unsigned char *b = p; n;) {
        uInt part = n > (1u << 30) ? 1u << 30 : (uInt)n;
        w->crc = crc32(w->crc, b, part);
        b += part;
        n -= part;
        w->n += part;
    }
}

static void le32(unsigned char *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static void le64(unsigned char *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static void put_u32(W *w, uint32_t v) { unsigned char b[4]; le32(b, v); put(w, b, 4); }
static void put_u64(W *w, uint64_t v) { unsigned char b[8]; le64(b, v); put(w, b, 8); }

static void put_f64(W *w, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    put_u64(w, u);
}

static void section(W *w, uint32_t tag, uint64_t len)
{
    put_u32(w, tag);
    put_u32(w, 0);
    put_u64(w, len);
}

/* The settings as "name=value" lines, in the table's order, then the corpus. */
static size_t settings_text(const Ckpt *k, char *buf, size_t cap)
{
    size_t n = 0;
    char v[64];
    for (int i = 0; i < TRAIN_P_COUNT && n < cap; i++) {
        const TrainParam *p = train_param((TrainParamId)i);
        n += (size_t)snprintf(buf + n, cap - n, "%s=%s\n", p->name,
                              train_param_format(p, &k->d, v, sizeof v));
    }
    if (n < cap)
        n += (size_t)snprintf(buf + n, cap - n, "corpus=%s\ncorpus_bytes=%lld\n", k->corpus,
                              (long long)k->corpus_bytes);
    return n < cap ? n : cap;
}

static void put_pos(W *w, const TrainPos *p)
{
    put_u32(w, (uint32_t)p->epoch);
    put_u32(w, 0);
    put_u64(w, p->at);
    put_u64(w, p->rng);
    put_u64(w, p->words);
    put_u64(w, p->since_count);
    put_u64(w, p->pair_i);
    put_f64(w, p->loss_sum);
    put_u64(w, p->loss_n);
    put_f64(w, p->pub_loss_sum);
    put_u64(w, p->pub_loss_n);
}

static void put_matrices(W *w, const Ckpt *k)
{
    const float *m[3] = {k->syn0, k->syn1neg, k->syn1};
    uint32_t which = which_mats(&k->d);
    uint64_t nm = (which & 1) + (which >> 1 & 1) + (which >> 2 & 1);
    section(w, SEC_MATS, 16 + nm * (uint64_t)k->rows * (uint64_t)k->dim * 4);
    put_u32(w, (uint32_t)k->dim);
    put_u32(w, which);
    put_u64(w, (uint64_t)k->rows);
    for (int i = 0; i < 3; i++)
        for (int64_t r = 0; (which >> i & 1) && r < k->rows; r++)
            put(w, m[i] + r * k->stride, (size_t)k->dim * sizeof(float));
}

static void put_payload(W *w, const Ckpt *k, const char *sets, size_t nsets)
{
    section(w, SEC_SETS, nsets);
    put(w, sets, nsets);
    size_t nfront = strnlen(k->front, sizeof k->front - 1);
    section(w, SEC_FRNT, nfront);
    put(w, k->front, nfront);
    section(w, SEC_PROG, 24);
    put_f64(w, k->alpha_base);
    put_f64(w, k->alpha_now);
    put_f64(w, k->elapsed);
    uint64_t vbytes = 16;
    for (int64_t i = 0; i < k->vocab.size; i++)
        vbytes += 12 + strlen(vocab_word(&k->vocab, i));
    section(w, SEC_VOCB, vbytes);
    put_u64(w, (uint64_t)k->vocab.size);
    put_u64(w, k->vocab.min_reduce);
    for (int64_t i = 0; i < k->vocab.size; i++) {
        const char *word = vocab_word(&k->vocab, i);
        put_u32(w, (uint32_t)strlen(word));
        put(w, word, strlen(word));
        put_u64(w, k->vocab.counts[i]);
    }
    put_matrices(w, k);
    section(w, SEC_THRD, 8 + (uint64_t)k->nthreads * POS_BYTES);
    put_u32(w, (uint32_t)k->nthreads);
    put_u32(w, POS_BYTES);
    for (int i = 0; i < k->nthreads; i++)
        put_pos(w, &k->threads[i]);
}

bool ckpt_save(const char *path, const Ckpt *k, Err *e)
{
    if (!k->syn0 || k->rows != k->vocab.size || k->nthreads != k->d.threads)
        return err_set(e, "%s: nothing to save (an empty or inconsistent checkpoint)", path);
    char sets[4096];
    size_t nsets = settings_text(k, sets, sizeof sets);
    AtomicFile a;
    if (!af_open(&a, path, e))
        return false;
    setvbuf(a.f, NULL, _IOFBF, 1 << 20);
    unsigned char head[HEADER_BYTES] = {0};
    fwrite(head, 1, sizeof head, a.f); /* written for real once the payload's CRC is known */
    W w = {a.f, crc32(0L, Z_NULL, 0), 0};
    put_payload(&w, k, sets, nsets);
    memcpy(head, MAGIC, 8);
    le32(head + 8, CKPT_VERSION);
    le64(head + 16, w.n);
    le32(head + 24, (uint32_t)w.crc);
    le32(head + 28, (uint32_t)crc32(crc32(0L, Z_NULL, 0), head, 28));
    if (fseek(a.f, 0, SEEK_SET) != 0 || fwrite(head, 1, sizeof head, a.f) != sizeof head) {
        int er = errno;
        af_abort(&a);
        return err_set(e, "%s: write failed: %s", path, strerror(er));
    }
    return af_commit(&a, e);
}

/* ---- reading ---------------------------------------------------------------------------- */

typedef struct R {
    FILE *f;
    const char *path;
    uint32_t tag;    /* the section being read */
    uint64_t left;   /* bytes of the payload after the section */
    uint64_t in_sec; /* bytes of the section not read yet */
} R;

static const char *tag_name(uint32_t tag, char out[5])
{
    for (int i = 0; i < 4; i++) {
        unsigned char c = (unsigned char)(tag >> (8 * i));
        out[i] = c >= 32 && c < 127 ? (char)c : '?';
    }
    out[4] = 0;
    return out;
}

static bool bad(R *r, Err *e, const char *what)
{
    char t[5];
    return err_set(e, "%s: corrupt checkpoint: section %s: %s", r->path, tag_name(r->tag, t), what);
}

static bool get(R *r, void *p, size_t n, Err *e)
{
    if (n > r->in_sec)
        return bad(r, e, "ends too early");
    if (fread(p, 1, n, r->f) != n)
        return err_set(e, "%s: read error: %s", r->path, ferror(r->f) ? strerror(errno) : "end of file");
    r->in_sec -= n;
    return true;
}

static uint32_t rd32(const unsigned char *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t rd64(const unsigned char *b) { return rd32(b) | (uint64_t)rd32(b + 4) << 32; }

static bool get_u32(R *r, uint32_t *v, Err *e)
{
    unsigned char b[4];
    if (!get(r, b, 4, e))
        return false;
    *v = rd32(b);
    return true;
}

static bool get_u64(R *r, uint64_t *v, Err *e)
{
    unsigned char b[8];
    if (!get(r, b, 8, e))
        return false;
    *v = rd64(b);
    return true;
}

static bool get_f64(R *r, double *v, Err *e)
{
    uint64_t u;
    if (!get_u64(r, &u, e))
        return false;
    memcpy(v, &u, sizeof *v);
    return true;
}

/* Opens the next section, which must be `tag`; *len is its length, already checked against
 * the payload left. */
static bool open_section(R *r, uint32_t tag, uint64_t *len, Err *e)
{
    char want[5], got[5];
    if (r->in_sec)
        return bad(r, e, "has bytes after its last field");
    unsigned char b[16];
    if (r->left < 16)
        return err_set(e, "%s: corrupt checkpoint: section %s missing", r->path, tag_name(tag, want));
    if (fread(b, 1, 16, r->f) != 16)
        return err_set(e, "%s: read error: %s", r->path, strerror(errno));
    r->left -= 16;
    r->tag = tag;
    if (rd32(b) != tag || rd32(b + 4) != 0)
        return err_set(e, "%s: corrupt checkpoint: section %s where %s belongs", r->path,
                       tag_name(rd32(b), got), tag_name(tag, want));
    *len = rd64(b + 8);
    if (*len > r->left)
        return bad(r, e, "longer than the file");
    r->left -= *len;
    r->in_sec = *len;
    return true;
}

/* One "key=value" line of SETS into k; seen marks the TrainParam rows read. */
static bool setting(R *r, Ckpt *k, char *line, int lineno, bool *seen, Err *e)
{
    char *eq = strchr(line, '=');
    char msg[200];
    if (!eq) {
        snprintf(msg, sizeof msg, "line %d has no '='", lineno);
        return bad(r, e, msg);
    }
    *eq = 0;
    const char *v = eq + 1;
    const TrainParam *p = train_param_by_name(line);
    Err pe;
    if (p && !train_param_parse(p, p->name, v, &k->d, &pe)) {
        snprintf(msg, sizeof msg, "line %d: %.150s", lineno, pe.msg);
        return bad(r, e, msg);
    }
    if (p) {
        seen[p->id] = true;
    } else if (!strcmp(line, "corpus") && strlen(v) < sizeof k->corpus) {
        snprintf(k->corpus, sizeof k->corpus, "%s", v);
    } else if (!strcmp(line, "corpus_bytes")) {
        char *end;
        errno = 0;
        long long b = strtoll(v, &end, 10);
        if (end == v || *end || errno || b < 0) {
            snprintf(msg, sizeof msg, "line %d: bad corpus_bytes '%.40s'", lineno, v);
            return bad(r, e, msg);
        }
        k->corpus_bytes = b;
    } else {
        snprintf(msg, sizeof msg, "line %d: unknown setting '%.40s'", lineno, line);
        return bad(r, e, msg);
    }
    return true;
}

static bool read_settings(R *r, Ckpt *k, Err *e)
{
    uint64_t len;
    if (!open_section(r, SEC_SETS, &len, e))
        return false;
    if (len > SETS_MAX)
        return bad(r, e, "longer than any settings text");
    char *text = malloc((size_t)len + 1);
    if (!text)
        return err_set(e, "out of memory");
    bool ok = get(r, text, (size_t)len, e), seen[TRAIN_P_COUNT] = {false};
    text[len] = 0;
    k->d = (TrainDesc){0};
    int lineno = 0;
    for (char *line = text, *nl; ok && *line; line = nl + 1) {
        if (!(nl = strchr(line, '\n'))) {
            ok = bad(r, e, "the last line has no newline");
            break;
        }
        *nl = 0;
        ok = setting(r, k, line, ++lineno, seen, e);
    }
    free(text);
    for (int i = 0; ok && i < TRAIN_P_COUNT; i++)
        if (!seen[i]) {
            char msg[80];
            snprintf(msg, sizeof msg, "no '%s' setting", train_param((TrainParamId)i)->name);
            ok = bad(r, e, msg);
        }
    Err ce;
    if (ok && !train_desc_check(&k->d, &ce)) {
        char msg[200];
        snprintf(msg, sizeof msg, "%.190s", ce.msg);
        ok = bad(r, e, msg);
    }
    k->d = train_desc_defaults(&k->d);
    return ok;
}

static bool read_front_prog(R *r, Ckpt *k, Err *e)
{
    uint64_t len;
    if (!open_section(r, SEC_FRNT, &len, e))
        return false;
    if (len >= sizeof k->front)
        return bad(r, e, "longer than a front end's text may be");
    if (!get(r, k->front, (size_t)len, e))
        return false;
    k->front[len] = 0;
    if (strlen(k->front) != len)
        return bad(r, e, "holds a NUL byte");
    if (!open_section(r, SEC_PROG, &len, e) || !get_f64(r, &k->alpha_base, e) ||
        !get_f64(r, &k->alpha_now, e) || !get_f64(r, &k->elapsed, e))
        return false;
    if (!(k->alpha_base >= 0 && k->alpha_base <= 10 && k->alpha_now >= 0 &&
          k->alpha_now <= k->alpha_base && k->elapsed >= 0 && isfinite(k->elapsed)))
        return bad(r, e, "learning rate or time out of range");
    return true;
}

static bool read_vocab(R *r, Ckpt *k, Err *e)
{
    uint64_t len, n, min_reduce;
    char msg[200], word[VOCAB_MAX_WORD + 1];
    if (!open_section(r, SEC_VOCB, &len, e) || !get_u64(r, &n, e) || !get_u64(r, &min_reduce, e))
        return false;
    if (n < 1 || n > INT32_MAX - 1 || n > len / 13)
        return bad(r, e, "word count out of range for its length");
    vocab_deinit(&k->vocab);
    uint64_t prev = UINT64_MAX;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t wl;
        uint64_t count;
        if (!get_u32(r, &wl, e))
            return false;
        if (wl < 1 || wl > VOCAB_MAX_WORD) {
            snprintf(msg, sizeof msg, "word %llu has length %u", (unsigned long long)i, wl);
            return bad(r, e, msg);
        }
        if (!get(r, word, wl, e) || !get_u64(r, &count, e))
            return false;
        word[wl] = 0;
        if (strlen(word) != wl || count < 1 || count > prev) {
            snprintf(msg, sizeof msg, "word %llu ('%.40s') holds a NUL byte, or its count %llu "
                     "is out of order", (unsigned long long)i, word, (unsigned long long)count);
            return bad(r, e, msg);
        }
        prev = count;
        if (vocab_add(&k->vocab, word, wl, count, e) < 0)
            return false;
        if ((uint64_t)k->vocab.size != i + 1) {
            snprintf(msg, sizeof msg, "word %llu ('%.40s') appears twice", (unsigned long long)i, word);
            return bad(r, e, msg);
        }
    }
    k->vocab.min_reduce = min_reduce;
    return true;
}

static bool read_matrices(R *r, Ckpt *k, Err *e)
{
    uint64_t len, rows;
    uint32_t dim, which;
    if (!open_section(r, SEC_MATS, &len, e) || !get_u32(r, &dim, e) ||
        !get_u32(r, &which, e) || !get_u64(r, &rows, e))
        return false;
    if ((int64_t)dim != k->d.dim || which != which_mats(&k->d) || rows != (uint64_t)k->vocab.size)
        return bad(r, e, "dimension, matrices or rows differ from the settings and vocabulary");
    uint64_t nm = (which & 1) + (which >> 1 & 1) + (which >> 2 & 1);
    if (len - 16 != nm * rows * dim * 4) /* rows and dim are bounded: no overflow */
        return bad(r, e, "length does not match its rows");
    if (!alloc_state(k, (int64_t)rows, (int)dim, k->d.threads, e))
        return false;
    float *m[3] = {k->syn0, k->syn1neg, k->syn1};
    static const char *names[3] = {"syn0", "syn1neg", "syn1"};
    for (int i = 0; i < 3; i++)
        for (int64_t row = 0; m[i] && row < k->rows; row++) {
            float *x = m[i] + row * k->stride;
            if (!get(r, x, (size_t)dim * sizeof(float), e))
                return false;
            memset(x + dim, 0, (size_t)(k->stride - (int)dim) * sizeof(float));
            for (uint32_t j = 0; j < dim; j++)
                if (!isfinite(x[j])) {
                    char msg[120];
                    snprintf(msg, sizeof msg, "%s row %lld holds a value that is not finite",
                             names[i], (long long)row);
                    return bad(r, e, msg);
                }
        }
    return true;
}

static bool read_threads(R *r, Ckpt *k, Err *e)
{
    uint64_t len;
    uint32_t n, rec;
    if (!open_section(r, SEC_THRD, &len, e) || !get_u32(r, &n, e) || !get_u32(r, &rec, e))
        return false;
    if ((int)n != k->d.threads || rec != POS_BYTES || len != 8 + (uint64_t)n * POS_BYTES)
        return bad(r, e, "thread count or record size differs from the settings");
    k->words_done = 0;
    for (uint32_t i = 0; i < n; i++) {
        TrainPos *p = &k->threads[i];
        uint32_t ep, zero;
        if (!get_u32(r, &ep, e) || !get_u32(r, &zero, e) || !get_u64(r, &p->at, e) ||
            !get_u64(r, &p->rng, e) || !get_u64(r, &p->words, e) ||
            !get_u64(r, &p->since_count, e) || !get_u64(r, &p->pair_i, e) ||
            !get_f64(r, &p->loss_sum, e) || !get_u64(r, &p->loss_n, e) ||
            !get_f64(r, &p->pub_loss_sum, e) || !get_u64(r, &p->pub_loss_n, e))
            return false;
        p->epoch = (int)ep;
        if (ep > (uint32_t)k->d.iter || zero || !p->rng) {
            char msg[80];
            snprintf(msg, sizeof msg, "thread %u: epoch %u or random state out of range", i, ep);
            return bad(r, e, msg);
        }
        k->words_done += p->words + p->since_count;
    }
    return true;
}

/* The header, the file's size against it, and the payload's CRC (a first pass over it). */
static bool check_file(R *r, uint64_t *payload, Err *e)
{
    struct stat st;
    unsigned char h[HEADER_BYTES];
    if (fstat(fileno(r->f), &st) != 0)
        return err_set(e, "%s: %s", r->path, strerror(errno));
    if (st.st_size < HEADER_BYTES || fread(h, 1, HEADER_BYTES, r->f) != HEADER_BYTES)
        return err_set(e, "%s: not a checkpoint: %lld bytes, shorter than a checkpoint's header",
                       r->path, (long long)st.st_size);
    if (memcmp(h, MAGIC, 8) != 0)
        return err_set(e, "%s: not an embedscope checkpoint (it does not start with %s)", r->path, MAGIC);
    if (rd32(h + 28) != (uint32_t)crc32(crc32(0L, Z_NULL, 0), h, 28))
        return err_set(e, "%s: corrupt checkpoint: the header fails its checksum", r->path);
    if (rd32(h + 8) != CKPT_VERSION)
        return err_set(e, "%s: checkpoint version %u; this build reads version %d", r->path,
                       rd32(h + 8), CKPT_VERSION);
    *payload = rd64(h + 16);
    uint64_t have = (uint64_t)st.st_size - HEADER_BYTES;
    if (have < *payload)
        return err_set(e, "%s: truncated checkpoint: %lld of %llu bytes", r->path,
                       (long long)st.st_size, (unsigned long long)(*payload + HEADER_BYTES));
    if (have > *payload)
        return err_set(e, "%s: corrupt checkpoint: %llu bytes after its end", r->path,
                       (unsigned long long)(have - *payload));
    unsigned char *buf = malloc(1 << 20);
    if (!buf)
        return err_set(e, "out of memory");
    uLong crc = crc32(0L, Z_NULL, 0);
    for (uint64_t left = *payload; left;) {
        size_t n = left < (1u << 20) ? (size_t)left : 1u << 20;
        if (fread(buf, 1, n, r->f) != n) {
            free(buf);
            return err_set(e, "%s: read error: %s", r->path, strerror(errno));
        }
        crc = crc32(crc, buf, (uInt)n);
        left -= n;
    }
    free(buf);
    if ((uint32_t)crc != rd32(h + 24))
        return err_set(e, "%s: corrupt checkpoint: the payload's CRC-32 is %08x, the header "
                          "says %08x", r->path, (unsigned)crc, rd32(h + 24));
    return fseek(r->f, HEADER_BYTES, SEEK_SET) == 0 ||
           err_set(e, "%s: cannot seek: %s", r->path, strerror(errno));
}

bool ckpt_load(const char *path, Ckpt *out, Err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, "%s: %s", path, strerror(errno));
    R r = {f, path, 0, 0, 0};
    Ckpt k;
    ckpt_init(&k);
    uint64_t payload = 0;
    bool ok = check_file(&r, &payload, e);
    r.left = payload;
    ok = ok && read_settings(&r, &k, e) && read_front_prog(&r, &k, e) && read_vocab(&r, &k, e) &&
         read_matrices(&r, &k, e) && read_threads(&r, &k, e);
    if (ok && (r.in_sec || r.left))
        ok = bad(&r, e, "has bytes after its last field");
    fclose(f);
    if (!ok) {
        ckpt_deinit(&k);
        return false;
    }
    ckpt_deinit(out);
    *out = k;
    return true;
}
