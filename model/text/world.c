/* The built-in demo world: parses a world description (format in assets/world/README.md)
 * into word tables, templates and a clause graph (world_gen.c adds the generator's indices),
 * loads it from a file or the binary, and answers questions about it.
 * A World is immutable after world_parse: any thread may read it. */
#include "model/text/world.h"
#include "model/text/world_gen.h"
#include "model/text/world_types.h"
#include "model/text/vocab.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits that keep a hostile description from asking for unbounded memory or time. */
#define WORLD_MAX_TEXT (16u << 20)   /* bytes of description */
#define WORLD_MAX_LINE 4096          /* bytes per line */
#define WORLD_MAX_WORD 100           /* bytes per word (VOCAB_MAX_WORD) */
#define WORLD_MAX_TOKENS 64          /* words per template / joiner / opener */
#define WORLD_MAX_ITEMS (1u << 20)   /* words, pairs, templates, sections: each */
#define WORLD_MAX_CLAUSES 8

/* A growable array of fixed-size elements; used only while parsing. */
typedef struct Buf { void *p; size_t len, cap, elem; } Buf;

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
        ok = world_gen_prepare(w);
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
