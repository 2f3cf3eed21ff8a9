/* Following a replaced vectors file (see follow.h). UI thread. */
#include "app/gui/panels/follow.h"
#include "app/gui/panels/bookmark.h"
#include "model/base/clock.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The file's identity and version: a rename puts a new inode in place, a rewrite in place
 * changes the time or size. False when it cannot be read. */
static bool look(const char *path, int64_t sig[3])
{
    struct stat st;
    if (stat(path, &st))
        return false;
    sig[0] = (int64_t)st.st_ino;
    sig[1] = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    sig[2] = (int64_t)st.st_size;
    return true;
}

void gui_follow_start(GuiApp *g, const char *path)
{
    GuiFollow *f = &g->follow;
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "%s", path);
    f->on = true;
    look(path, f->shown);
    memcpy(f->seen, f->shown, sizeof f->seen);
    gui_set_status(g, false, "following %s: reopened whenever it is replaced", path);
}

void gui_follow_stop(GuiApp *g)
{
    if (g->follow.on)
        gui_set_status(g, false, "stopped following %s", g->follow.path);
    g->follow.on = false;
}

bool gui_follow_poll(GuiApp *g)
{
    GuiFollow *f = &g->follow;
    if (!f->on)
        return false;
    if (f->reloading) { /* done once its first frame is on screen with the view put back */
        if (g->data.opening || g->pending_bookmark)
            return false;
        f->reloading = false;
        char when[16];
        time_t now = time(NULL);
        strftime(when, sizeof when, "%H:%M:%S", localtime(&now));
        int64_t row = f->anchor[0] ? gui_find(g, f->anchor) : -1;
        if (row >= 0 && row < g->points.rows) /* the selection stays where it was on screen */
            for (int k = 0; k < 3; k++)
                g->cam.target.raw[k] += g->points.to[row * 3 + k] - f->anchor_pos[k];
        if (g->data.open_error[0])
            gui_set_status(g, true, "following %s: the version of %s did not load (%s); the last one stays",
                           f->path, when, g->data.open_error);
        else
            gui_set_status(g, false, "following %s: version %d shown (%s)", f->path, ++f->reloads, when);
        return true;
    }
    if (!g->data.opening && g->data.sess.source[0] && strcmp(g->data.sess.source, f->path)) {
        f->on = false; /* another file was opened: following it ends */
        return false;
    }
    double now = clock_ms();
    if (now - f->last_look < GUI_FOLLOW_MS || g->data.opening)
        return false;
    f->last_look = now;
    int64_t sig[3];
    if (!look(f->path, sig)) {
        if (!f->missing[0]) {
            snprintf(f->missing, sizeof f->missing, "%s", strerror(errno));
            gui_set_status(g, true, "following %s: %s; waiting for it", f->path, f->missing);
            return true;
        }
        return false;
    }
    f->missing[0] = 0;
    bool changed = memcmp(sig, f->shown, sizeof sig) != 0;
    bool settled = memcmp(sig, f->seen, sizeof sig) == 0; /* the same at two looks in a row */
    memcpy(f->seen, sig, sizeof sig);
    if (!changed || !settled)
        return false;
    /* this version is taken as tried: a file that fails to load is not retried until it
     * changes again (the failure is in the status line, the old data stays) */
    memcpy(f->shown, sig, sizeof sig);
    f->anchor[0] = 0;
    if (g->sel.selected >= 0 && g->sel.selected < g->points.rows) {
        snprintf(f->anchor, sizeof f->anchor, "%s", gui_word(g, g->sel.selected));
        memcpy(f->anchor_pos, g->points.cur + g->sel.selected * 3, sizeof f->anchor_pos);
    }
    f->reloading = gui_bookmark_reopen(g, f->path);
    return true;
}
