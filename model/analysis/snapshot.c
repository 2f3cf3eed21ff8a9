/* Snapshot publisher: see snapshot.h. Each buffer (Slot) carries a reader count and a
 * "filling" flag under one mutex held only to pick or flip a buffer (a few pointer compares),
 * never during a copy. A slot is free when no reader holds it, it is not the latest and nobody
 * fills it; with one publisher there is always one free slot as long as readers hold at most
 * max_buffers - 2 distinct snapshots. */
#include "model/analysis/snapshot.h"
#include "model/vectors/embed.h"
#include "model/train/train.h"
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct Slot {
    Snapshot s;            /* first: a Snapshot pointer is its Slot pointer */
    int refs;              /* readers holding it; under mu */
    bool filling;          /* handed out by begin, not yet published; under mu */
    size_t cap_vec;        /* floats allocated in s.vec */
    int64_t cap_rows;      /* rows allocated in s.norms and s.group */
} Slot;

struct SnapPub {
    pthread_mutex_t mu;
    Slot *slots[SNAP_MAX_BUFFERS];
    int nslots, max;
    Slot *latest;          /* under mu */
    uint64_t seq;          /* under mu */
    _Atomic uint64_t latest_seq;
};

SnapPub *snap_pub_create(int max_buffers, Err *e)
{
    if (max_buffers == 0)
        max_buffers = 4;
    if (max_buffers < 2 || max_buffers > SNAP_MAX_BUFFERS) {
        err_set(e, "snapshot: %d buffers requested, need 2..%d", max_buffers, SNAP_MAX_BUFFERS);
        return NULL;
    }
    SnapPub *p = calloc(1, sizeof *p);
    if (!p || pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        err_set(e, "snapshot: out of memory");
        return NULL;
    }
    p->max = max_buffers;
    atomic_init(&p->latest_seq, 0);
    return p;
}

static void slot_free(Slot *s)
{
    if (!s)
        return;
    free(s->s.vec);
    free(s->s.norms);
    free(s->s.group);
    free(s);
}

void snap_pub_destroy(SnapPub *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->nslots; i++)
        slot_free(p->slots[i]);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

/* Grows s to rows x stride; the slot is the caller's alone (filling). */
static bool slot_reserve(Slot *s, int64_t rows, int stride, Err *e)
{
    size_t need = (size_t)rows * (size_t)stride;
    if (need > s->cap_vec || s->s.stride != stride) {
        float *v = emb_aligned_alloc(need * sizeof(float)); /* zeroed: padding stays 0 */
        if (!v)
            return err_set(e, "snapshot: out of memory for %lld x %d vectors", (long long)rows,
                           stride);
        free(s->s.vec);
        s->s.vec = v;
        s->cap_vec = need;
    }
    if (rows > s->cap_rows) {
        float *n = malloc(sizeof(float) * (size_t)(rows ? rows : 1));
        int32_t *g = malloc(sizeof(int32_t) * (size_t)(rows ? rows : 1));
        if (!n || !g) {
            free(n);
            free(g);
            return err_set(e, "snapshot: out of memory for %lld rows", (long long)rows);
        }
        free(s->s.norms);
        free(s->s.group);
        s->s.norms = n;
        s->s.group = g;
        s->cap_rows = rows;
    }
    return true;
}

Snapshot *snap_pub_begin(SnapPub *p, int64_t rows, int dim, Err *e)
{
    if (rows < 0 || dim <= 0 || dim > EMB_MAX_DIM)
        return err_set(e, "snapshot: bad shape %lld x %d", (long long)rows, dim), NULL;
    int stride = emb_stride(dim);
    if ((uint64_t)rows > SIZE_MAX / sizeof(float) / (size_t)stride)
        return err_set(e, "snapshot: %lld x %d is too large", (long long)rows, dim), NULL;
    Slot *s = NULL;
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < p->nslots && !s; i++) {
        Slot *c = p->slots[i];
        if (c->refs == 0 && !c->filling && c != p->latest)
            s = c;
    }
    if (!s && p->nslots < p->max && (s = calloc(1, sizeof *s)) != NULL) {
        p->slots[p->nslots++] = s;
    }
    if (s)
        s->filling = true;
    int held = p->nslots;
    pthread_mutex_unlock(&p->mu);
    if (!s) {
        if (held < p->max)
            err_set(e, "snapshot: out of memory");
        else
            err_set(e, "snapshot: all %d buffers are held by readers; publication skipped",
                    held);
        return NULL;
    }
    if (!slot_reserve(s, rows, stride, e)) {
        snap_pub_cancel(p, &s->s);
        return NULL;
    }
    Snapshot keep = s->s;
    memset(&s->s, 0, sizeof s->s);
    s->s.vec = keep.vec, s->s.norms = keep.norms, s->s.group = keep.group;
    s->s.rows = rows, s->s.dim = dim, s->s.stride = stride;
    for (int64_t r = 0; r < rows; r++)
        s->s.group[r] = -1;
    return &s->s;
}

void snap_pub_publish(SnapPub *p, Snapshot *snap)
{
    Slot *s = (Slot *)snap;
    pthread_mutex_lock(&p->mu);
    s->filling = false;
    s->s.seq = ++p->seq;
    p->latest = s;
    atomic_store_explicit(&p->latest_seq, s->s.seq, memory_order_release);
    pthread_mutex_unlock(&p->mu);
}

void snap_pub_cancel(SnapPub *p, Snapshot *snap)
{
    pthread_mutex_lock(&p->mu);
    ((Slot *)snap)->filling = false;
    pthread_mutex_unlock(&p->mu);
}

const Snapshot *snap_acquire(SnapPub *p)
{
    pthread_mutex_lock(&p->mu);
    Slot *s = p->latest;
    if (s)
        s->refs++;
    pthread_mutex_unlock(&p->mu);
    return s ? &s->s : NULL;
}

void snap_release(SnapPub *p, const Snapshot *snap)
{
    if (!snap)
        return;
    pthread_mutex_lock(&p->mu);
    ((Slot *)snap)->refs--;
    pthread_mutex_unlock(&p->mu);
}

uint64_t snap_latest_seq(const SnapPub *p)
{
    return atomic_load_explicit(&((SnapPub *)p)->latest_seq, memory_order_acquire);
}

int snap_pub_buffers(SnapPub *p)
{
    pthread_mutex_lock(&p->mu);
    int n = p->nslots;
    pthread_mutex_unlock(&p->mu);
    return n;
}

void snap_compute_norms(Snapshot *s)
{
    for (int64_t r = 0; r < s->rows; r++) {
        const float *x = s->vec + r * s->stride;
        double acc = 0;
        for (int i = 0; i < s->dim; i++)
            acc += (double)x[i] * x[i];
        s->norms[r] = (float)sqrt(acc);
    }
}

bool snap_fill_from_trainer(Snapshot *s, const Trainer *t, Err *e)
{
    const Vocab *v = trainer_vocab(t);
    if (v->size != s->rows || trainer_dim(t) != s->dim)
        return err_set(e, "snapshot: buffer is %lld x %d but the trainer has %lld x %d",
                       (long long)s->rows, s->dim, (long long)v->size, trainer_dim(t));
    /* progress first: the vectors copied after it are at least this far along */
    TrainProgress pr = trainer_progress(t);
    trainer_copy_rows(t, s->vec, s->stride);
    s->vocab = v;
    s->words_done = pr.words_done, s->words_total = pr.words_total;
    s->loss = pr.loss, s->words_per_sec = pr.words_per_sec, s->alpha = pr.alpha;
    s->elapsed = pr.elapsed, s->epoch = pr.epoch, s->epochs = pr.epochs;
    s->step = pr.words_done;
    snap_compute_norms(s);
    return true;
}

uint64_t snap_publish_trainer(SnapPub *p, const Trainer *t, Err *e)
{
    Snapshot *s = snap_pub_begin(p, trainer_vocab(t)->size, trainer_dim(t), e);
    if (!s)
        return 0;
    if (!snap_fill_from_trainer(s, t, e)) {
        snap_pub_cancel(p, s);
        return 0;
    }
    snap_pub_publish(p, s);
    return s->seq;
}
