/* A cached layer of pixels (see layercache.h). Main thread. */
#include "render/layercache.h"
#include <stdlib.h>
#include <string.h>

static size_t bytes_of(const Canvas *c) { return (size_t)c->w * (size_t)c->h * sizeof(uint32_t); }

bool layercache_restore(LayerCache *lc, Canvas *c, const void *key, size_t key_size)
{
    if (!lc->valid || lc->w != c->w || lc->h != c->h || c->pitch != c->w ||
        lc->key_size != key_size || memcmp(lc->key, key, key_size))
        return false;
    memcpy(c->px, lc->px, bytes_of(c));
    return true;
}

void layercache_store(LayerCache *lc, const Canvas *c, const void *key, size_t key_size)
{
    lc->valid = false;
    if (c->pitch != c->w)
        return;
    if (lc->w != c->w || lc->h != c->h || !lc->px) {
        free(lc->px);
        lc->px = malloc(bytes_of(c));
        lc->w = c->w;
        lc->h = c->h;
    }
    if (lc->key_size != key_size || !lc->key) {
        free(lc->key);
        lc->key = malloc(key_size);
        lc->key_size = key_size;
    }
    if (!lc->px || !lc->key)
        return;
    memcpy(lc->px, c->px, bytes_of(c));
    memcpy(lc->key, key, key_size);
    lc->valid = true;
}

void layercache_invalidate(LayerCache *lc) { lc->valid = false; }

void layercache_deinit(LayerCache *lc)
{
    free(lc->px);
    free(lc->key);
    memset(lc, 0, sizeof *lc);
}
