/* Tests for the demo world's sentence generator: exact sentences of tiny worlds, seeded
 * streams, coverage of the built-in world, Zipf noise, truncation and speed. Single-threaded. */
#include "tests/test.h"
#include "model/base/clock.h"
#include "model/text/world.h"
#include "model/text/world_gen.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static World *parse(const char *text, Err *e)
{
    return world_parse(text, strlen(text), "t.txt", e);
}

/* Runs fn over the generated text of n sentences of w (seed), in one malloc'd buffer. */
static char *generate(const World *w, uint64_t seed, int n, size_t *len)
{
    size_t cap = (size_t)n * 512 + 1, used = 0;
    char *out = malloc(cap);
    WorldGen *g = world_gen_create(w, seed);
    for (int i = 0; out && g && i < n; i++)
        used += world_gen_sentence(g, out + used, cap - used);
    world_gen_destroy(g);
    *len = used;
    return out;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

TEST(tiny_world_generates_exact_sentence)
{
    Err e = {{0}};
    World *w = parse("[settings]\nnoise: 0\nopeners: 0\nclauses: 1\n"
                     "[category thing]\nrock\ntemplate: the {w} is here\n", &e);
    CHECKF(w, "%s", e.msg);
    WorldGen *g = world_gen_create(w, 7);
    char buf[64];
    for (int i = 0; i < 10; i++) {
        size_t n = world_gen_sentence(g, buf, sizeof buf);
        CHECK(n == strlen("the rock is here\n"));
        CHECK(!strcmp(buf, "the rock is here\n"));
    }
    world_gen_destroy(g);
    world_destroy(w);
}

/* \v and \f separate words as they do in the corpus tokenizer (found by fuzz_world: a word
 * "x\vy" was kept whole, but training reads it as two tokens). */
TEST(vertical_tab_and_form_feed_separate_words)
{
    Err e = {{0}};
    World *w = parse("[settings]\nnoise: 0\nopeners: 0\nclauses: 1\n"
                     "[category thing]\nrock\vstone\fpebble\ntemplate: the {w}\vis here\n", &e);
    CHECKF(w, "%s", e.msg);
    bool found[3] = {false, false, false};
    for (uint32_t i = 0; i < world_word_count(w); i++) {
        const char *s = world_word(w, i);
        CHECKF(!strpbrk(s, "\v\f"), "word %u '%s'", i, s);
        found[0] |= !strcmp(s, "rock"), found[1] |= !strcmp(s, "stone"), found[2] |= !strcmp(s, "pebble");
    }
    CHECK(found[0] && found[1] && found[2]);
    world_destroy(w);
}

TEST(relation_fills_both_slots_and_joins_clauses)
{
    Err e = {{0}};
    World *w = parse("[settings]\nnoise: 0\nopeners: 0\nclauses: 2\n[joiners]\nthen\n"
                     "[relation young]\ndog puppy\ntemplate: a {b} is a young {a}\n", &e);
    CHECKF(w, "%s", e.msg);
    size_t len;
    char *text = generate(w, 3, 200, &len);
    CHECK(text);
    /* one or two clauses, the second continuing from a word of the first */
    int one = 0, two = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strcmp(line, "a puppy is a young dog"))
            one++;
        else if (!strcmp(line, "a puppy is a young dog then a puppy is a young dog"))
            two++;
        else
            CHECKF(0, "unexpected sentence '%s'", line);
    }
    CHECKF(one > 50 && two > 50, "%d one-clause, %d two-clause sentences of 200", one, two);
    free(text);
    world_destroy(w);
}

TEST(same_seed_same_stream_other_seed_other_stream)
{
    Err e = {{0}};
    World *w = world_builtin(&e);
    CHECKF(w, "%s", e.msg);
    size_t la, lb, lc;
    char *a = generate(w, 42, 2000, &la), *b = generate(w, 42, 2000, &lb),
         *c = generate(w, 43, 2000, &lc);
    CHECK(a && b && c);
    CHECK(la == lb && !memcmp(a, b, la));
    CHECK(la != lc || memcmp(a, c, la));
    free(a);
    free(b);
    free(c);
    world_destroy(w);
}

/* Every token of the stream is a word of the world, single spaces, one newline per sentence;
 * every member and pair word shows up; relation words come in both orders. */
TEST(stream_is_clean_and_covers_the_world)
{
    Err e = {{0}};
    World *w = world_builtin(&e);
    CHECKF(w, "%s", e.msg);
    uint32_t nw = world_word_count(w);
    const char **words = malloc(nw * sizeof *words);
    int *seen = calloc(nw, sizeof *seen);
    CHECK(words && seen);
    for (uint32_t i = 0; i < nw; i++)
        words[i] = world_word(w, i);
    qsort(words, nw, sizeof *words, cmp_str);
    size_t len;
    char *text = generate(w, 5, WORLD_EPOCH_SENTENCES / 4, &len);
    CHECK(text && len > 0 && text[len - 1] == '\n');
    int dog_puppy = 0, puppy_dog = 0;
    uint64_t tokens = 0;
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        CHECK(nl && nl > line);
        *nl = 0;
        char *dog = strstr(line, " dog "), *puppy = strstr(line, " puppy ");
        if (dog && puppy)
            *(dog < puppy ? &dog_puppy : &puppy_dog) += 1;
        CHECKF(line[0] != ' ' && nl[-1] != ' ' && !strstr(line, "  "), "spacing: '%s'", line);
        for (char *tok = strtok(line, " "); tok; tok = strtok(NULL, " ")) {
            const char **hit = bsearch(&tok, words, nw, sizeof *words, cmp_str);
            CHECKF(hit, "'%s' is not a word of the world", tok);
            seen[hit - words]++;
            tokens++;
        }
        line = nl + 1;
    }
    CHECKF(dog_puppy > 0 && puppy_dog > 0, "dog..puppy %d, puppy..dog %d", dog_puppy, puppy_dog);
    /* sentences average 10-30 words: the README documents ~15 words, ~3M tokens an epoch */
    double per = (double)tokens / (WORLD_EPOCH_SENTENCES / 4);
    CHECKF(per > 10 && per < 30, "%.1f words per sentence", per);
    for (uint32_t s = 0; s < world_section_count(w); s++) {
        uint32_t items;
        world_section_info(w, s, NULL, &items);
        for (uint32_t j = 0; j < items; j++) {
            const char *x[2];
            world_section_item(w, s, j, &x[0], &x[1]);
            for (int k = 0; k < 2 && x[k]; k++) {
                const char **hit = bsearch(&x[k], words, nw, sizeof *words, cmp_str);
                CHECK(hit);
                CHECKF(seen[hit - words] >= 5, "'%s' seen %d times", x[k], seen[hit - words]);
            }
        }
    }
    free(text);
    free(words);
    free(seen);
    world_destroy(w);
}

/* Noise words follow a Zipf law: the first listed is far more frequent than the 40th. */
TEST(noise_is_zipf_like)
{
    Err e = {{0}};
    World *w = parse("[settings]\nnoise: 0.5\nopeners: 0\nclauses: 1\n"
                     "[category thing]\nrock\ntemplate: {w}\n"
                     "[noise]\nn1 n2 n3 n4 n5 n6 n7 n8 n9 n10 n11 n12 n13 n14 n15 n16 n17 n18 n19 "
                     "n20\nn21 n22 n23 n24 n25 n26 n27 n28 n29 n30 n31 n32 n33 n34 n35 n36 n37 n38 "
                     "n39 n40\n", &e);
    CHECKF(w, "%s", e.msg);
    size_t len;
    char *text = generate(w, 9, 40000, &len);
    CHECK(text);
    int n1 = 0, n2 = 0, n40 = 0, sentences = 0;
    for (char *tok = strtok(text, " \n"); tok; tok = strtok(NULL, " \n")) {
        n1 += !strcmp(tok, "n1");
        n2 += !strcmp(tok, "n2");
        n40 += !strcmp(tok, "n40");
        sentences += !strcmp(tok, "rock");
    }
    CHECK(sentences == 40000);
    /* 20000 noise words expected; Zipf over 40 ranks gives n1 ~ 4660, n2 ~ 2330, n40 ~ 117;
     * bounds are several standard deviations wide */
    CHECKF(n1 > 4200 && n1 < 5100, "n1 %d", n1);
    CHECKF(n2 > 2000 && n2 < 2700, "n2 %d", n2);
    CHECKF(n40 > 50 && n40 < 200, "n40 %d", n40);
    free(text);
    world_destroy(w);
}

TEST(small_buffers_truncate_cleanly)
{
    Err e = {{0}};
    World *w = world_builtin(&e);
    CHECKF(w, "%s", e.msg);
    WorldGen *g = world_gen_create(w, 11);
    char buf[40];
    for (size_t cap = 0; cap < sizeof buf; cap++) {
        for (int i = 0; i < 50; i++) {
            memset(buf, 'x', sizeof buf);
            size_t n = world_gen_sentence(g, buf, cap);
            if (cap < 2) {
                CHECK(n == 0);
                CHECK(cap == 0 || buf[0] == 0);
                continue;
            }
            CHECKF(n < cap && buf[n] == 0 && n >= 1 && buf[n - 1] == '\n', "cap %zu n %zu", cap, n);
            CHECK(buf[cap - 1] == 0 || cap - 1 > n);
            CHECK(strchr(buf, '\n') == buf + n - 1);
        }
    }
    world_gen_destroy(g);
    world_destroy(w);
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
/* The generator must not slow the trainer down: the brief asks > 1M words/s per thread. */
TEST(generator_is_fast)
{
    Err e = {{0}};
    World *w = world_builtin(&e);
    CHECKF(w, "%s", e.msg);
    WorldGen *g = world_gen_create(w, 1);
    char buf[1024];
    uint64_t words = 0;
    double t0 = clock_s();
    for (int i = 0; i < 100000; i++) {
        size_t n = world_gen_sentence(g, buf, sizeof buf);
        for (size_t k = 0; k < n; k++)
            words += buf[k] == ' ' || buf[k] == '\n';
    }
    double sec = clock_s() - t0;
    CHECKF((double)words / sec > 1e6, "%.2fM words/s", (double)words / sec / 1e6);
    world_gen_destroy(g);
    world_destroy(w);
}
#endif
