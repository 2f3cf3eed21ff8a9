/* The built-in demo world: parses a world description (format in assets/world/README.md)
 * into word tables, templates and a clause graph, and generates sentences from it.
 * A World is immutable after world_parse; any number of threads may each drive a WorldGen. */
#include "model/text/world.h"
#include "model/text/vocab.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Limits that keep a hostile description from asking for unbounded memory or time. */
#define WORLD_MAX_TEXT (16u << 20)   /* bytes of description */
#define WORLD_MAX_LINE 4096          /* bytes per line */
#define WORLD_MAX_WORD 100           /* bytes per word (VOCAB_MAX_WORD) */
#define WORLD_MAX_TOKENS 64          /* words per template / joiner / opener */
#define WORLD_MAX_ITEMS (1u << 20)   /* words, pairs, templates, sections: each */
#define WORLD_MAX_CLAUSES 8
#define NOISE_TABLE 4096             /* Zipf lookup resolution (entries) */

/* Template tokens: >= 0 is a word id; the slots are negative. */
enum { SLOT_A = -1, SLOT_B = -2 };
enum { SEC_CATEGORY, SEC_RELATION };

typedef struct Seq { uint32_t start, len; } Seq; /* a run of tokens in World.tokens */

typedef struct Section {
    int kind;
    char name[64];
    int line;
    double weight;
    int questions;          /* relations: 1 = contributes analogy questions */
    uint32_t items, nitems; /* category: members at World.members[items..]; relation: pairs */
    uint32_t tmpls, ntmpls; /* templates at World.tmpls[tmpls..] (contiguous per section) */
} Section;

/* Where a word can start a clause: section s, item i (member index or pair index). */
typedef struct Occ { uint32_t sec, item; } Occ;

/* A growable array of fixed-size elements; used only while parsing. */
typedef struct Buf { void *p; size_t len, cap, elem; } Buf;

struct World {
    char name[256];
    /* words: NUL-terminated in arena, open-addressing hash over ids */
    char *arena;
    size_t arena_len;
    uint32_t *word_off, nwords;
    int32_t *hash;
    size_t hash_cap;
    int32_t *tokens;        /* all template / joiner / opener tokens */
    Seq *tmpls;             /* per section, contiguous */
    Section *secs;
    uint32_t nsecs;
    uint32_t *members;      /* category member word ids */
    uint32_t *pairs;        /* relation pairs: 2 word ids each */
    Seq *joiners, *openers;
    uint32_t njoiners, nopeners;
    uint32_t *occ_start;    /* (nwords + 1) CSR index into occ */
    Occ *occ;
    double *sec_cdf;        /* (nsecs) cumulative weight * items */
    uint32_t *noise;        /* noise word ids, most frequent first */
    uint32_t nnoise;
    uint16_t noise_table[NOISE_TABLE]; /* uniform slot -> noise rank, Zipf (1/rank) */
    double noise_rate, opener_rate;
    int max_clauses;
};

struct WorldGen {
    const World *w;
    uint64_t s[2];
};

/* ---- growable buffers and the word table ---- */

static bool buf_push(Buf *b, const void *x)
{
    if (b->len >= WORLD_MAX_ITEMS * (b->elem == 1 ? 64u : 1u))
        return false;
    if (b->len == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        void *p = realloc(b->p, cap * b->elem);
        if (!p)
            return false;
        b->p = p;
        b->cap = cap;
    }
    memcpy((char *)b->p + b->len * b->elem, x, b->elem);
    b->len++;
    return true;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

typedef struct Parser {
    World *w;
    Buf arena, offs, tokens, tmpls, secs, members, pairs, joiners, openers, noise;
    const char *name;
    int line;
    Err *e;
} Parser;

static bool rehash(Parser *p, size_t cap)
{
    int32_t *h = malloc(cap * sizeof *h);
    if (!h)
        return false;
    for (size_t i = 0; i < cap; i++)
        h[i] = -1;
    const uint32_t *offs = p->offs.p;
    for (size_t id = 0; id < p->offs.len; id++) {
        const char *s = (const char *)p->arena.p + offs[id];
        size_t j = hash_bytes(s, strlen(s)) & (cap - 1);
        while (h[j] >= 0)
            j = (j + 1) & (cap - 1);
        h[j] = (int32_t)id;
    }
    free(p->w->hash);
    p->w->hash = h;
    p->w->hash_cap = cap;
    return true;
}

static int64_t lookup(const World *w, const char *arena, const uint32_t *offs, const char *s,
                      size_t n, size_t *slot)
{
    size_t j = hash_bytes(s, n) & (w->hash_cap - 1);
    for (; w->hash[j] >= 0; j = (j + 1) & (w->hash_cap - 1)) {
        const char *t = arena + offs[w->hash[j]];
        if (!strncmp(t, s, n) && t[n] == 0) {
            *slot = j;
            return w->hash[j];
        }
    }
    *slot = j;
    return -1;
}

/* Interns word s[0..n) and returns its id, or -1 with p->e set. */
static int64_t intern(Parser *p, const char *s, size_t n)
{
    World *w = p->w;
    if ((p->offs.len + 1) * 2 > w->hash_cap && !rehash(p, w->hash_cap ? w->hash_cap * 2 : 1024))
        return err_set(p->e, "%s:%d: out of memory", p->name, p->line), -1;
    size_t slot;
    int64_t id = lookup(w, p->arena.p, p->offs.p, s, n, &slot);
    if (id >= 0)
        return id;
    uint32_t off = (uint32_t)p->arena.len;
    bool ok = p->offs.len < WORLD_MAX_ITEMS;
    for (size_t i = 0; ok && i <= n; i++) {
        char c = i < n ? s[i] : 0;
        ok = buf_push(&p->arena, &c);
    }
    if (!ok || !buf_push(&p->offs, &off))
        return err_set(p->e, "%s:%d: too many words", p->name, p->line), -1;
    id = (int64_t)p->offs.len - 1;
    w->hash[slot] = (int32_t)id;
    return id;
}

/* ---- lexical checks ---- */


/* The corpus tokenizer's blanks: a word holding \v or \f would be split there when trained on. */
static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
static bool is_special(char c) { return strchr("{}[],:#", c) != NULL; }

/* Checks a word token s[0..n): no special characters, not too long. */
static bool check_word(Parser *p, const char *s, size_t n)
{
    if (n > WORLD_MAX_WORD)
        return err_set(p->e, "%s:%d: word '%.20s...' is longer than %d bytes", p->name, p->line,
                       s, WORLD_MAX_WORD);
    for (size_t i = 0; i < n; i++)
        if (is_special(s[i]))
            return err_set(p->e, "%s:%d: '%.*s': a word may not contain '%c'", p->name, p->line,
                           (int)(n < 40 ? n : 40), s, s[i]);
    return true;
}

/* Splits s[0..n) at spaces (and commas when commas is set) and calls fn for each word. */
typedef bool (*WordFn)(Parser *p, const char *s, size_t n, void *ctx);
static bool split(Parser *p, const char *s, size_t n, bool commas, WordFn fn, void *ctx)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (is_space(s[i]) || (commas && s[i] == ',')))
            i++;
        size_t j = i;
        while (j < n && !is_space(s[j]) && !(commas && s[j] == ','))
            j++;
        if (j > i && !fn(p, s + i, j - i, ctx))
            return false;
        i = j;
    }
    return true;
}

/* ---- section bodies ---- */

static Section *cur(Parser *p) { return p->secs.len ? (Section *)p->secs.p + p->secs.len - 1 : NULL; }

typedef struct TokCtx { int slots; int kind; uint32_t count; } TokCtx;

/* Appends one template/joiner word or slot to p->tokens. */
static bool push_token(Parser *p, const char *s, size_t n, void *vctx)
{
    TokCtx *c = vctx;
    int32_t t;
    if (n >= 2 && s[0] == '{') {
        if (s[n - 1] != '}')
            return err_set(p->e, "%s:%d: '%.*s': a slot must be a whole word like {w}", p->name,
                           p->line, (int)(n < 40 ? n : 40), s);
        bool rel = c->kind == SEC_RELATION;
        if (c->kind == SEC_CATEGORY && n == 3 && s[1] == 'w')
            t = SLOT_A;
        else if (rel && n == 3 && (s[1] == 'a' || s[1] == 'b'))
            t = s[1] == 'a' ? SLOT_A : SLOT_B;
        else
            return err_set(p->e, "%s:%d: unknown slot '%.*s' (a %s template uses %s)", p->name,
                           p->line, (int)(n < 40 ? n : 40), s, c->kind < 0 ? "joiner" :
                           rel ? "relation" : "category", c->kind < 0 ? "no slots" :
                           rel ? "{a} and {b}" : "{w}");
        c->slots |= t == SLOT_A ? 1 : 2;
    } else {
        if (!check_word(p, s, n))
            return false;
        int64_t id = intern(p, s, n);
        if (id < 0)
            return false;
        t = (int32_t)id;
    }
    if (++c->count > WORLD_MAX_TOKENS)
        return err_set(p->e, "%s:%d: more than %d words", p->name, p->line, WORLD_MAX_TOKENS);
    if (!buf_push(&p->tokens, &t))
        return err_set(p->e, "%s:%d: out of memory", p->name, p->line);
    return true;
}

/* Parses a token sequence (template, joiner, opener) into seqs; kind < 0: no slots allowed. */
static bool parse_seq(Parser *p, const char *s, size_t n, int kind, Buf *seqs, int *slots)
{
    TokCtx c = {0, kind, 0};
    Seq q = {(uint32_t)p->tokens.len, 0};
    if (!split(p, s, n, false, push_token, &c))
        return false;
    q.len = c.count;
    if (!q.len)
        return err_set(p->e, "%s:%d: empty template", p->name, p->line);
    if (slots)
        *slots = c.slots;
    if (!buf_push(seqs, &q))
        return err_set(p->e, "%s:%d: out of memory", p->name, p->line);
    return true;
}

static bool push_member(Parser *p, const char *s, size_t n, void *ctx)
{
    (void)ctx;
    if (!check_word(p, s, n))
        return false;
    int64_t id = intern(p, s, n);
    uint32_t u = (uint32_t)id;
    if (id < 0 || !buf_push(&p->members, &u))
        return id < 0 ? false : err_set(p->e, "%s:%d: out of memory", p->name, p->line);
    cur(p)->nitems++;
    return true;
}

typedef struct PairCtx { uint32_t ids[3]; int n; } PairCtx;

static bool pair_word(Parser *p, const char *s, size_t n, void *vctx)
{
    PairCtx *c = vctx;
    if (!check_word(p, s, n))
        return false;
    int64_t id = intern(p, s, n);
    if (id < 0)
        return false;
    if (c->n < 3)
        c->ids[c->n] = (uint32_t)id;
    c->n++;
    return true;
}

/* A pair line: "a b" pairs separated by commas ("dog puppy, cat kitten"). */
static bool parse_pairs(Parser *p, const char *s, size_t n)
{
    size_t i = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && s[j] != ',')
            j++;
        PairCtx c = {{0, 0, 0}, 0};
        if (!split(p, s + i, j - i, false, pair_word, &c))
            return false;
        if (c.n != 2)
            return err_set(p->e, "%s:%d: a pair needs two words ('a b'), got %d", p->name,
                           p->line, c.n);
        if (c.ids[0] == c.ids[1])
            return err_set(p->e, "%s:%d: pair '%s %s' relates a word to itself", p->name,
                           p->line, (char *)p->arena.p + ((uint32_t *)p->offs.p)[c.ids[0]],
                           (char *)p->arena.p + ((uint32_t *)p->offs.p)[c.ids[0]]);
        if (!buf_push(&p->pairs, &c.ids[0]) || !buf_push(&p->pairs, &c.ids[1]))
            return err_set(p->e, "%s:%d: out of memory", p->name, p->line);
        cur(p)->nitems++;
        i = j + 1;
    }
    return true;
}

static bool parse_number(Parser *p, const char *key, const char *v, size_t n, double lo,
                         double hi, double *out)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp)
        return err_set(p->e, "%s:%d: bad %s '%.*s' (want a number in %g..%g)", p->name, p->line,
                       key, (int)(n < 40 ? n : 40), v, lo, hi);
    memcpy(tmp, v, n);
    tmp[n] = 0;
    char *end;
    double x = strtod(tmp, &end);
    if (*end || !isfinite(x) || x < lo || x > hi)
        return err_set(p->e, "%s:%d: bad %s '%s' (want a number in %g..%g)", p->name, p->line,
                       key, tmp, lo, hi);
    *out = x;
    return true;
}

/* "key: value" inside a section. */
static bool parse_key(Parser *p, const char *k, size_t kn, const char *v, size_t vn, int state)
{
    Section *s = cur(p);
#define KEY(lit) (kn == sizeof lit - 1 && !memcmp(k, lit, kn))
    if (KEY("template") && (state == 1 || state == 2)) {
        if (s->ntmpls == 0)
            s->tmpls = (uint32_t)p->tmpls.len;
        int slots = 0;
        if (!parse_seq(p, v, vn, s->kind, &p->tmpls, &slots))
            return false;
        if (!slots)
            return err_set(p->e, "%s:%d: template has no slot (use %s)", p->name, p->line,
                           s->kind == SEC_CATEGORY ? "{w}" : "{a} and/or {b}");
        s->ntmpls++;
        return true;
    }
    if (KEY("weight") && (state == 1 || state == 2))
        return parse_number(p, "weight", v, vn, 0, 1000, &s->weight);
    if (KEY("questions") && state == 2) {
        if (vn == 3 && !memcmp(v, "yes", 3))
            s->questions = 1;
        else if (vn == 2 && !memcmp(v, "no", 2))
            s->questions = 0;
        else
            return err_set(p->e, "%s:%d: questions must be 'yes' or 'no'", p->name, p->line);
        return true;
    }
    if (state == 5) {
        double x;
        if (KEY("noise"))
            return parse_number(p, "noise", v, vn, 0, 0.9, &p->w->noise_rate);
        if (KEY("openers"))
            return parse_number(p, "openers", v, vn, 0, 1, &p->w->opener_rate);
        if (KEY("clauses")) {
            if (!parse_number(p, "clauses", v, vn, 1, WORLD_MAX_CLAUSES, &x))
                return false;
            p->w->max_clauses = (int)x;
            return true;
        }
    }
#undef KEY
    static const char *const want[] = {"", "template or weight", "template, weight or questions",
                                       "none: joiners are plain lines", "none: openers are plain lines",
                                       "noise, openers or clauses", "none: noise words are plain lines"};
    return err_set(p->e, "%s:%d: unknown key '%.*s' (want %s)", p->name, p->line,
                   (int)(kn < 40 ? kn : 40), k, want[state]);
}

/* Section states: 0 none, 1 category, 2 relation, 3 joiners, 4 openers, 5 settings, 6 noise. */
static bool parse_header(Parser *p, const char *s, size_t n, int *state)
{
    if (n < 2 || s[n - 1] != ']')
        return err_set(p->e, "%s:%d: section header must end with ']'", p->name, p->line);
    const char *t = s + 1, *end = s + n - 1;
    while (t < end && is_space(*t))
        t++;
    const char *kw = t;
    while (t < end && !is_space(*t))
        t++;
    size_t kn = (size_t)(t - kw);
    while (t < end && is_space(*t))
        t++;
    const char *nm = t;
    while (end > nm && is_space(end[-1]))
        end--;
    size_t nn = (size_t)(end - nm);
    static const char *const kinds[] = {"category", "relation", "joiners", "openers", "settings", "noise"};
    int k = -1;
    for (int i = 0; i < 6; i++)
        if (kn == strlen(kinds[i]) && !memcmp(kw, kinds[i], kn))
            k = i;
    if (k < 0)
        return err_set(p->e, "%s:%d: unknown section '%.*s' (want category, relation, joiners, "
                       "openers, settings or noise)", p->name, p->line, (int)(kn < 40 ? kn : 40), kw);
    *state = k + 1;
    if (k >= 2) {
        if (nn)
            return err_set(p->e, "%s:%d: [%s] takes no name", p->name, p->line, kinds[k]);
        return true;
    }
    bool one_word = nn > 0;
    for (size_t i = 0; i < nn; i++)
        one_word &= !is_space(nm[i]);
    if (!one_word || nn >= sizeof ((Section *)0)->name || !check_word(p, nm, nn))
        return err_set(p->e, "%s:%d: [%s NAME] needs one name word (up to 63 bytes)", p->name,
                       p->line, kinds[k]);
    for (size_t i = 0; i < p->secs.len; i++) {
        Section *o = (Section *)p->secs.p + i;
        if (o->kind == k && strlen(o->name) == nn && !memcmp(o->name, nm, nn))
            return err_set(p->e, "%s:%d: %s '%s' is already defined at line %d", p->name,
                           p->line, kinds[k], o->name, o->line);
    }
    Section sec = {.kind = k, .line = p->line, .weight = 1, .questions = k == SEC_RELATION};
    memcpy(sec.name, nm, nn);
    if (!buf_push(&p->secs, &sec))
        return err_set(p->e, "%s:%d: too many sections", p->name, p->line);
    Section *c = cur(p);
    c->items = (uint32_t)(k == SEC_CATEGORY ? p->members.len : p->pairs.len / 2);
    return true;
}

/* Checks that a finished section has what it needs (errors point at its header). */
static bool finish_section(Parser *p)
{
    Section *s = cur(p);
    if (!s)
        return true;
    const char *kind = s->kind == SEC_CATEGORY ? "category" : "relation";
    if (!s->nitems)
        return err_set(p->e, "%s:%d: %s '%s' has no %s", p->name, s->line, kind, s->name,
                       s->kind == SEC_CATEGORY ? "members" : "pairs");
    if (!s->ntmpls)
        return err_set(p->e, "%s:%d: %s '%s' has no templates", p->name, s->line, kind, s->name);
    return true;
}

static bool noise_word(Parser *p, const char *s, size_t n, void *ctx)
{
    (void)ctx;
    if (!check_word(p, s, n))
        return false;
    int64_t id = intern(p, s, n);
    uint32_t u = (uint32_t)id;
    if (id < 0)
        return false;
    if (p->noise.len >= 65535 || !buf_push(&p->noise, &u))
        return err_set(p->e, "%s:%d: too many noise words", p->name, p->line);
    return true;
}

static bool parse_line(Parser *p, const char *s, size_t n, int *state)
{
    while (n && is_space(*s))
        s++, n--;
    while (n && is_space(s[n - 1]))
        n--;
    if (!n || s[0] == '#')
        return true;
    if (s[0] == '[') {
        if ((*state == 1 || *state == 2) && !finish_section(p))
            return false;
        return parse_header(p, s, n, state);
    }
    if (*state == 0)
        return err_set(p->e, "%s:%d: text before the first section (start with a header such "
                       "as [category animal])", p->name, p->line);
    const char *colon = memchr(s, ':', n);
    if (colon) {
        size_t kn = (size_t)(colon - s);
        while (kn && is_space(s[kn - 1]))
            kn--;
        const char *v = colon + 1;
        size_t vn = n - (size_t)(v - s);
        while (vn && is_space(*v))
            v++, vn--;
        return parse_key(p, s, kn, v, vn, *state);
    }
    switch (*state) {
    case 1: return split(p, s, n, true, push_member, NULL);
    case 2: return parse_pairs(p, s, n);
    case 3: return parse_seq(p, s, n, -1, &p->joiners, NULL);
    case 4: return parse_seq(p, s, n, -1, &p->openers, NULL);
    case 6: return split(p, s, n, true, noise_word, NULL);
    default:
        return err_set(p->e, "%s:%d: [settings] holds only 'key: value' lines", p->name, p->line);
    }
}

/* ---- assembling the World after parsing ---- */

static void *take(Buf *b) /* moves ownership of the array out of the buffer */
{
    void *x = b->p;
    b->p = NULL;
    b->len = b->cap = 0;
    return x;
}

static bool build_index(World *w)
{
    w->occ_start = calloc((size_t)w->nwords + 1, sizeof *w->occ_start);
    if (!w->occ_start)
        return false;
    /* CSR over (word -> clause starts): count, prefix-sum, fill. */
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t si = 0; si < w->nsecs; si++) {
            const Section *s = &w->secs[si];
            for (uint32_t i = 0; i < s->nitems; i++) {
                uint32_t ids[2], k = 0;
                if (s->kind == SEC_CATEGORY) {
                    ids[k++] = w->members[s->items + i];
                } else {
                    ids[k++] = w->pairs[2 * (s->items + i)];
                    ids[k++] = w->pairs[2 * (s->items + i) + 1];
                }
                for (uint32_t j = 0; j < k; j++) {
                    if (pass == 0)
                        w->occ_start[ids[j] + 1]++;
                    else
                        w->occ[w->occ_start[ids[j]]++] = (Occ){si, i};
                }
            }
        }
        if (pass == 0) {
            for (uint32_t i = 0; i < w->nwords; i++)
                w->occ_start[i + 1] += w->occ_start[i];
            w->occ = malloc(((size_t)w->occ_start[w->nwords] + 1) * sizeof *w->occ);
            if (!w->occ)
                return false;
        }
    }
    for (uint32_t i = w->nwords; i > 0; i--) /* fill advanced each start by its count */
        w->occ_start[i] = w->occ_start[i - 1];
    w->occ_start[0] = 0;

    w->sec_cdf = malloc(((size_t)w->nsecs + 1) * sizeof *w->sec_cdf);
    if (!w->sec_cdf)
        return false;
    double acc = 0;
    for (uint32_t i = 0; i < w->nsecs; i++) {
        acc += w->secs[i].weight * w->secs[i].nitems;
        w->sec_cdf[i] = acc;
    }
    /* A noise word that is also a member or pair word would blur what the world teaches
     * about it: such entries are dropped. */
    uint32_t kept = 0;
    for (uint32_t i = 0; i < w->nnoise; i++)
        if (w->occ_start[w->noise[i] + 1] == w->occ_start[w->noise[i]])
            w->noise[kept++] = w->noise[i];
    w->nnoise = kept;
    if (w->nnoise) {
        double z = 0, c = 0;
        for (uint32_t r = 0; r < w->nnoise; r++)
            z += 1.0 / (r + 1);
        uint32_t r = 0;
        c = 1.0 / z;
        for (uint32_t i = 0; i < NOISE_TABLE; i++) {
            while ((i + 0.5) / NOISE_TABLE > c && r + 1 < w->nnoise)
                c += 1.0 / (++r + 1) / z;
            w->noise_table[i] = (uint16_t)r;
        }
    }
    return true;
}

World *world_parse(const char *text, size_t len, const char *name, Err *e)
{
    if (!name)
        name = "world";
    if (len > WORLD_MAX_TEXT) {
        err_set(e, "%s: description is larger than %u bytes", name, WORLD_MAX_TEXT);
        return NULL;
    }
    World *w = calloc(1, sizeof *w);
    if (!w) {
        err_set(e, "%s: out of memory", name);
        return NULL;
    }
    snprintf(w->name, sizeof w->name, "%s", name);
    w->noise_rate = 0.1;
    w->opener_rate = 0.1;
    w->max_clauses = 3;
    Parser p = {.w = w, .name = name, .e = e, .line = 0};
    p.arena.elem = 1;
    p.offs.elem = p.members.elem = p.pairs.elem = p.noise.elem = sizeof(uint32_t);
    p.tokens.elem = sizeof(int32_t);
    p.tmpls.elem = p.joiners.elem = p.openers.elem = sizeof(Seq);
    p.secs.elem = sizeof(Section);
    int state = 0;
    bool ok = rehash(&p, 1024);
    if (!ok)
        err_set(e, "%s: out of memory", name);
    size_t i = 0;
    while (ok && i < len) {
        size_t j = i;
        p.line++;
        while (j < len && text[j] != '\n') {
            unsigned char c = (unsigned char)text[j];
            size_t k = c ? vocab_utf8_len((const unsigned char *)text + j, len - j) : 0;
            if (!k) {
                ok = err_set(e, "%s:%d: %s at byte %zu of the line", name, p.line,
                             c ? "invalid UTF-8" : "NUL byte", j - i + 1);
                break;
            }
            j += k;
        }
        if (ok && j - i > WORLD_MAX_LINE)
            ok = err_set(e, "%s:%d: line longer than %d bytes", name, p.line, WORLD_MAX_LINE);
        if (ok)
            ok = parse_line(&p, text + i, j - i, &state);
        i = j + 1;
    }
    if (ok && (state == 1 || state == 2))
        ok = finish_section(&p);
    if (ok && !p.secs.len)
        ok = err_set(e, "%s:%d: no [category] or [relation] sections", name, p.line ? p.line : 1);
    if (ok && !p.joiners.len) /* sentences of several clauses need a joiner */
        ok = parse_seq(&p, "and", 3, -1, &p.joiners, NULL);
    if (ok) {
        w->nwords = (uint32_t)p.offs.len;
        w->arena_len = p.arena.len;
        w->arena = take(&p.arena);
        w->word_off = take(&p.offs);
        w->tokens = take(&p.tokens);
        w->tmpls = take(&p.tmpls);
        w->nsecs = (uint32_t)p.secs.len;
        w->secs = take(&p.secs);
        w->members = take(&p.members);
        w->pairs = take(&p.pairs);
        w->njoiners = (uint32_t)p.joiners.len;
        w->joiners = take(&p.joiners);
        w->nopeners = (uint32_t)p.openers.len;
        w->openers = take(&p.openers);
        w->nnoise = (uint32_t)p.noise.len;
        w->noise = take(&p.noise);
        ok = build_index(w);
        if (!ok)
            err_set(e, "%s: out of memory", name);
        else if (!(w->sec_cdf[w->nsecs - 1] > 0))
            ok = err_set(e, "%s:%d: every category and relation has weight 0", name, p.line);
    }
    Buf *bufs[] = {&p.arena, &p.offs, &p.tokens, &p.tmpls, &p.secs, &p.members,
                   &p.pairs, &p.joiners, &p.openers, &p.noise};
    for (size_t b = 0; b < sizeof bufs / sizeof bufs[0]; b++)
        free(bufs[b]->p);
    if (!ok) {
        world_destroy(w);
        return NULL;
    }
    return w;
}

World *world_load(const char *path, Err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(e, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    bool ok = true;
    for (;;) {
        if (len == cap) {
            if (cap > WORLD_MAX_TEXT) {
                ok = err_set(e, "%s: description is larger than %u bytes", path, WORLD_MAX_TEXT);
                break;
            }
            cap = cap ? cap * 2 : 1 << 16;
            char *t = realloc(text, cap);
            if (!t) {
                ok = err_set(e, "%s: out of memory", path);
                break;
            }
            text = t;
        }
        size_t n = fread(text + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                ok = err_set(e, "%s: %s", path, errno == EISDIR ? "is a directory, not a world "
                             "description" : "read error");
            break;
        }
    }
    fclose(f);
    World *w = NULL;
    if (ok) {
        const char *base = strrchr(path, '/');
        w = world_parse(text, len, base ? base + 1 : path, e);
    }
    free(text);
    return w;
}

/* Bytes of assets/world/world.txt, generated at build time (model/embed_asset.cmake). */
extern const unsigned char world_builtin_text[];
extern const size_t world_builtin_size;

World *world_builtin(Err *e)
{
    return world_parse((const char *)world_builtin_text, world_builtin_size, "world.txt", e);
}

void world_destroy(World *w)
{
    if (!w)
        return;
    void *ptrs[] = {w->arena, w->word_off, w->hash, w->tokens, w->tmpls, w->secs, w->members,
                    w->pairs, w->joiners, w->openers, w->occ_start, w->occ, w->sec_cdf, w->noise};
    for (size_t i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++)
        free(ptrs[i]);
    free(w);
}

/* ---- introspection ---- */

uint32_t world_word_count(const World *w) { return w->nwords; }
const char *world_word(const World *w, uint32_t id) { return w->arena + w->word_off[id]; }
uint32_t world_section_count(const World *w) { return w->nsecs; }

const char *world_section_info(const World *w, uint32_t i, bool *is_relation, uint32_t *items)
{
    const Section *s = &w->secs[i];
    if (is_relation)
        *is_relation = s->kind == SEC_RELATION;
    if (items)
        *items = s->nitems;
    return s->name;
}

void world_section_item(const World *w, uint32_t i, uint32_t j, const char **a, const char **b)
{
    const Section *s = &w->secs[i];
    if (s->kind == SEC_CATEGORY) {
        *a = world_word(w, w->members[s->items + j]);
        *b = NULL;
    } else {
        *a = world_word(w, w->pairs[2 * (s->items + j)]);
        *b = world_word(w, w->pairs[2 * (s->items + j) + 1]);
    }
}

/* ---- the generator ---- */

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t next(WorldGen *g) /* xoroshiro128+ */
{
    uint64_t s0 = g->s[0], s1 = g->s[1], r = s0 + s1;
    s1 ^= s0;
    g->s[0] = ((s0 << 24) | (s0 >> 40)) ^ s1 ^ (s1 << 16);
    g->s[1] = (s1 << 37) | (s1 >> 27);
    return r;
}

static uint32_t below(WorldGen *g, uint32_t n) { return (uint32_t)(((next(g) >> 32) * n) >> 32); }
static double unit(WorldGen *g) { return (double)(next(g) >> 11) * 0x1.0p-53; }

WorldGen *world_gen_create(const World *w, uint64_t seed)
{
    WorldGen *g = malloc(sizeof *g);
    if (!g)
        return NULL;
    g->w = w;
    g->s[0] = splitmix(&seed);
    g->s[1] = splitmix(&seed);
    if (!g->s[0] && !g->s[1])
        g->s[1] = 1;
    return g;
}

void world_gen_destroy(WorldGen *g) { free(g); }

/* Output cursor: words are written whole or not at all; 2 bytes stay free for "\n\0". */
typedef struct Out { char *buf; size_t cap, len; bool full; } Out;

static void put(Out *o, const World *w, uint32_t id)
{
    const char *s = w->arena + w->word_off[id];
    size_t n = strlen(s), sep = o->len ? 1 : 0;
    if (o->full || o->len + sep + n + 2 > o->cap) {
        o->full = true;
        return;
    }
    if (sep)
        o->buf[o->len++] = ' ';
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void put_word(WorldGen *g, Out *o, uint32_t id)
{
    const World *w = g->w;
    put(o, w, id);
    if (w->nnoise && unit(g) < w->noise_rate)
        put(o, w, w->noise[w->noise_table[below(g, NOISE_TABLE)]]);
}

static void put_seq(WorldGen *g, Out *o, Seq q, const uint32_t slot[2])
{
    for (uint32_t i = 0; i < q.len; i++) {
        int32_t t = g->w->tokens[q.start + i];
        put_word(g, o, t >= 0 ? (uint32_t)t : slot[t == SLOT_A ? 0 : 1]);
    }
}

static uint32_t pick_section(WorldGen *g)
{
    const World *w = g->w;
    double x = unit(g) * w->sec_cdf[w->nsecs - 1];
    uint32_t lo = 0, hi = w->nsecs - 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (w->sec_cdf[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Writes one clause for item `item` of section `si`; returns a word it mentioned (the next
 * clause continues from it, so one sentence stays on one subject). */
static uint32_t clause(WorldGen *g, Out *o, uint32_t si, uint32_t item)
{
    const World *w = g->w;
    const Section *s = &w->secs[si];
    uint32_t slot[2];
    if (s->kind == SEC_CATEGORY) {
        slot[0] = slot[1] = w->members[s->items + item];
    } else {
        slot[0] = w->pairs[2 * (s->items + item)];
        slot[1] = w->pairs[2 * (s->items + item) + 1];
    }
    Seq q = w->tmpls[s->tmpls + below(g, s->ntmpls)];
    put_seq(g, o, q, slot);
    /* continue from a slot word the template used */
    int used = 0;
    for (uint32_t i = 0; i < q.len; i++)
        used |= w->tokens[q.start + i] == SLOT_A ? 1 : w->tokens[q.start + i] == SLOT_B ? 2 : 0;
    if (used == 3)
        return slot[below(g, 2)];
    return slot[used == 2];
}

size_t world_gen_sentence(WorldGen *g, char *buf, size_t cap)
{
    const World *w = g->w;
    if (cap < 2) {
        if (cap)
            buf[0] = 0;
        return 0;
    }
    Out o = {buf, cap, 0, false};
    static const uint32_t none[2] = {0, 0};
    if (w->nopeners && unit(g) < w->opener_rate)
        put_seq(g, &o, w->openers[below(g, w->nopeners)], none);
    uint32_t si = pick_section(g);
    uint32_t focus = clause(g, &o, si, below(g, w->secs[si].nitems));
    uint32_t n = 1 + below(g, (uint32_t)w->max_clauses);
    for (uint32_t k = 1; k < n; k++) {
        uint32_t lo = w->occ_start[focus], cnt = w->occ_start[focus + 1] - lo;
        Occ oc = w->occ[lo + below(g, cnt)];
        put_seq(g, &o, w->joiners[below(g, w->njoiners)], none);
        focus = clause(g, &o, oc.sec, oc.item);
    }
    o.buf[o.len++] = '\n';
    o.buf[o.len] = 0;
    return o.len;
}

/* ---- evaluation sets ---- */

/* Whether pair j of relation s has an a and a b that occur only once on their side, so an
 * analogy that asks for it has one right answer. */
static bool pair_unique(const World *w, const Section *s, uint32_t j)
{
    const uint32_t *p = w->pairs + 2 * s->items;
    for (uint32_t i = 0; i < s->nitems; i++)
        if (i != j && (p[2 * i] == p[2 * j] || p[2 * i + 1] == p[2 * j + 1]))
            return false;
    return true;
}

/* Whether the pair (a, b) also belongs to a relation other than si: then b - a mixes two
 * relations (france -> french is both a language and a nationality), so it cannot serve as
 * the example half of a question. */
static bool pair_elsewhere(const World *w, uint32_t si, uint32_t a, uint32_t b)
{
    for (uint32_t i = w->occ_start[a]; i < w->occ_start[a + 1]; i++) {
        Occ o = w->occ[i];
        const Section *s = &w->secs[o.sec];
        if (o.sec != si && s->kind == SEC_RELATION && w->pairs[2 * (s->items + o.item)] == a &&
            w->pairs[2 * (s->items + o.item) + 1] == b)
            return true;
    }
    return false;
}

bool world_write_questions(const World *w, FILE *f, Err *e)
{
    for (uint32_t si = 0; si < w->nsecs; si++) {
        const Section *s = &w->secs[si];
        if (s->kind != SEC_RELATION || !s->questions)
            continue;
        const uint32_t *p = w->pairs + 2 * s->items;
        bool header = false;
        for (uint32_t i = 0; i < s->nitems; i++) {
            if (!pair_unique(w, s, i) || pair_elsewhere(w, si, p[2 * i], p[2 * i + 1]))
                continue;
            for (uint32_t j = 0; j < s->nitems; j++) {
                uint32_t q[4] = {p[2 * i], p[2 * i + 1], p[2 * j], p[2 * j + 1]};
                if (i == j || !pair_unique(w, s, j) || q[0] == q[3] || q[1] == q[2])
                    continue;
                if (!header)
                    fprintf(f, ": %s\n", s->name);
                header = true;
                fprintf(f, "%s %s %s %s\n", world_word(w, q[0]), world_word(w, q[1]),
                        world_word(w, q[2]), world_word(w, q[3]));
            }
        }
    }
    if (ferror(f))
        return err_set(e, "writing questions: write error");
    return true;
}

/* 2: the words are the two sides of one relation pair; 1: they share a category; 0: neither. */
static int kinship(const World *w, uint32_t x, uint32_t y)
{
    int k = 0;
    for (uint32_t i = w->occ_start[x]; i < w->occ_start[x + 1]; i++) {
        Occ a = w->occ[i];
        const Section *s = &w->secs[a.sec];
        if (s->kind == SEC_RELATION) {
            const uint32_t *p = w->pairs + 2 * (s->items + a.item);
            if (p[0] == y || p[1] == y)
                return 2;
            continue;
        }
        for (uint32_t j = w->occ_start[y]; j < w->occ_start[y + 1]; j++)
            if (w->occ[j].sec == a.sec)
                k = 1;
    }
    return k;
}

bool world_write_pairs(const World *w, FILE *f, Err *e)
{
    /* A fixed seed: the same description always yields the same file. */
    WorldGen g = {w, {0x243F6A8885A308D3ull, 0x13198A2E03707344ull}};
    static const double score[3] = {1.0, 7.0, 9.0};
    uint32_t ncat = 0;
    for (uint32_t si = 0; si < w->nsecs; si++)
        ncat += w->secs[si].kind == SEC_CATEGORY && w->secs[si].nitems > 1;
    for (uint32_t si = 0; si < w->nsecs; si++) {
        const Section *s = &w->secs[si];
        for (uint32_t k = 0; k < 12 && s->nitems > 1; k++) {
            uint32_t x, y;
            if (s->kind == SEC_RELATION) {
                uint32_t j = below(&g, s->nitems);
                x = w->pairs[2 * (s->items + j)];
                y = w->pairs[2 * (s->items + j) + 1];
            } else {
                x = w->members[s->items + below(&g, s->nitems)];
                y = w->members[s->items + below(&g, s->nitems)];
                if (x == y)
                    continue;
            }
            fprintf(f, "%s\t%s\t%.1f\n", world_word(w, x), world_word(w, y),
                    score[kinship(w, x, y)]);
            /* and a word from elsewhere, as a low-similarity counterpart */
            const Section *o = &w->secs[below(&g, w->nsecs)];
            uint32_t z = o->kind == SEC_CATEGORY ? w->members[o->items + below(&g, o->nitems)]
                                                 : w->pairs[2 * o->items + below(&g, 2 * o->nitems)];
            if (ncat > 1 && z != x)
                fprintf(f, "%s\t%s\t%.1f\n", world_word(w, x), world_word(w, z),
                        score[kinship(w, x, z)]);
        }
    }
    if (ferror(f))
        return err_set(e, "writing pairs: write error");
    return true;
}
