/* A cached layer of pixels: the scene (a big point cloud) is splatted again only when
 * something it shows changed, and otherwise copied back under freshly drawn panels, so typing
 * or a progress refresh does not re-splat a million points. The caller describes "what the
 * pixels depend on" as a key of plain bytes (compared with memcmp: zero its padding). After
 * lite's split of a renderer and its cache. Main thread (one cache per canvas). */
#ifndef EMBEDSCOPE_LAYERCACHE_H
#define EMBEDSCOPE_LAYERCACHE_H
#include "render/canvas.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct LayerCache {
    uint32_t *px;           /* (h, w) copy of the layer */
    int w, h;
    unsigned char *key;     /* (key_size) bytes the pixels were drawn for */
    size_t key_size;
    bool valid;
} LayerCache;

/* Copies the cached pixels into c and returns true when they were drawn for this key at c's
 * size; false means: draw the layer, then layercache_store. */
bool layercache_restore(LayerCache *lc, Canvas *c, const void *key, size_t key_size);
/* Keeps c's pixels for key (the key as it is after drawing). Out of memory or a canvas
 * with a pitch wider than its width simply leaves the cache invalid. */
void layercache_store(LayerCache *lc, const Canvas *c, const void *key, size_t key_size);
void layercache_invalidate(LayerCache *lc);
void layercache_deinit(LayerCache *lc);

#endif
