/* emb_aligned_alloc: alignment for small and huge-page-sized tables, zeroed memory, and a
 * size so large that rounding it up would wrap, which must fail instead of returning less. */
#include "model/vectors/embed.h"
#include "tests/test.h"
#include <stdint.h>
#include <stdlib.h>

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

TEST(embed_alloc_small_is_cache_line_aligned_and_zeroed)
{
    for (size_t n = 0; n < 300; n += 37) {
        unsigned char *p = emb_aligned_alloc(n);
        CHECKF(p != NULL, "n = %zu", n);
        CHECKF((uintptr_t)p % EMB_ALIGN == 0, "n = %zu at %p", n, (void *)p);
        CHECK(all_zero(p, n));
        free(p);
    }
}

TEST(embed_alloc_large_starts_on_a_huge_page)
{
    size_t n = EMB_HUGE_PAGE + 12345;
    unsigned char *p = emb_aligned_alloc(n);
    CHECK(p != NULL);
    CHECKF((uintptr_t)p % EMB_HUGE_PAGE == 0, "at %p", (void *)p);
    CHECK(all_zero(p, n));
    p[n - 1] = 1;
    free(p);
}

TEST(embed_alloc_refuses_sizes_that_wrap)
{
    CHECK(emb_aligned_alloc(SIZE_MAX) == NULL);
    CHECK(emb_aligned_alloc(SIZE_MAX - EMB_ALIGN) == NULL);
    CHECK(emb_aligned_alloc(SIZE_MAX - EMB_HUGE_PAGE + 2) == NULL);
}
