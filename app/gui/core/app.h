/* The explorer window's state, GuiApp, in parts: each part names the layer of app/gui/ that
 * owns it (app/gui/LAYERS), so a newcomer knows where a field is written. Types here; the few
 * helpers every layer needs (status line, vocabulary, word names, waking the loop) are in
 * core/app.c. UI thread only: other threads reach the window only through published snapshots
 * (model/analysis/live.h) and the wake-up event. */
#ifndef EMBEDSCOPE_GUI_APP_H
#define EMBEDSCOPE_GUI_APP_H
#include "app/gui/core/views_state.h"
#include "app/desk/settings.h"
#include "app/ui/ui.h"
#include "model/analysis/live.h"
#include "model/base/pool.h"
#include "model/files/meta.h"
#include "model/session/session.h"
#include "model/vectors/expr.h"
#include "model/vectors/knn.h"
#include "render/cam.h"
#include "render/draw.h"
#include "render/layercache.h"
#include "render/screen.h"
#include "render/window.h"
#include <stdbool.h>
#include <stdint.h>

#define GUI_MAX_K 50
#define GUI_MAX_PINS 4
#define GUI_MAX_EXTRA 16
#define GUI_MAX_COMPLETIONS 8
#define GUI_MAX_LABELS 600
#define GUI_FRAME_RING 4096    /* frame times kept for --stats and the status line */

#define GUI_BG DRAW_RGB(17, 19, 24)

/* data/: what is on screen and the threads behind it. */
typedef struct GuiData {
    Session sess;               /* a trainer over a corpus, or fixed vectors */
    Trainer *trainer;           /* sess.trainer (NULL for fixed vectors) */
    Embeddings *table;          /* sess.table (NULL while training) */
    bool start_pending;         /* the trainer starts once snapshot 1 (its random init) is shown */
    SessionOpen *opening;       /* a file being opened in the background, or NULL */
    SessionOpenDesc open_desc;  /* settings for files opened later (drop, script) */
    char open_error[512];       /* the last failed open, shown until the next one */
    Live *live;                 /* the analysis thread publishing snapshots */
    const LiveSnapshot *snap;   /* the published snapshot held, or NULL */
    uint64_t snap_seq;
    const char *questions;      /* --questions FILE, evaluated during training; NULL: the demo
                                   world's own when training on it */
    bool want_restart;          /* Reset pressed: done between frames */
    char last_error[320];       /* last background error shown, so it is shown once */
    Pool *pool;                 /* the UI thread's helpers for per-point work (NULL: none) */
    uint64_t generation;        /* bumped when another data set is installed */
} GuiData;

/* data/proj.c: the projection shown. */
typedef enum { GUI_PROJ_PCA, GUI_PROJ_AXES, GUI_PROJ_UMAP, GUI_PROJ_TSNE, GUI_PROJ_COUNT } GuiProjKind;

typedef struct GuiProj {
    GuiProjKind kind;
    char axis_text[2][128];     /* custom axes in use: "man -> woman", "bad -> good", "" */
    char edit[2][128];          /* the projection panel's boxes for them */
    int64_t axis_word[2][2];    /* rows of (from, to) per axis; from -1: the word's own direction;
                                   y to -1: the first principal component of the rest */
    float *dir;                 /* (3, dim) x, y and the rest's principal direction (warm) */
    int dim;
    LiveLayoutDesc layout;      /* UMAP / t-SNE: dims and parameters as chosen (kind set when
                                   asked); zero fields are the defaults */
    char lay_edit[3][16];       /* the projection panel's boxes: neighbours, min_dist or
                                   perplexity, epochs */
    const void *asked;          /* the Live the layout was last asked of (a new one is asked again) */
    uint64_t request;           /* and the number of that request: the snapshots whose
                                   layout_request it is show the layout chosen */
    uint64_t axes_gen;          /* bumped by every choice of custom axes */
    uint64_t shown;             /* the picture the targets come from (proj.c's picture_key);
                                   0 before the first */
    bool reframe;               /* the picture changed: once the points are there, the camera
                                   frames what the user looks at again (gui_reframe) */
    bool keep_camera;           /* a restored camera (a bookmark, a followed file reopened) is
                                   for the picture to come: its arrival does not reframe */
} GuiProj;

/* data/points.c: every word's displayed position, interpolated from -> to over a short
 * animation when a snapshot arrives. */
typedef struct GuiPoints {
    int64_t rows;
    float *from, *to, *cur;     /* (rows, 3): unit-RMS-radius scene coordinates */
    double anim_start;          /* ms; 0 before the first snapshot */
    bool animating;
    float anim_s;               /* cur = from + anim_s (to - from), elementwise */
    uint64_t moves;             /* bumped whenever cur changes (the scene re-projects) */
    Screen lerp;                /* chunks of the interpolation on data.pool */
} GuiPoints;

typedef struct GuiPin {
    char text[256];        /* as typed */
    ExprQuery q;           /* rows of a, b, c for the arrows (is_analogy) */
    Neighbour ans[10];
    int nans;
    uint64_t seq;          /* snapshot the answers were computed on */
    char err[256];
    int64_t expect;        /* "... = word": the expected answer whose rank the curves follow;
                              -1 when none */
} GuiPin;

/* select/: what the user is looking at. */
typedef struct GuiSelection {
    int64_t hover, selected;    /* rows, -1 for none */
    int64_t extra[GUI_MAX_EXTRA]; /* ctrl-click: more selected words */
    int nextra;
    int k;                      /* neighbours shown */
    char min_cos_text[16];      /* the cutoff as typed ("" none) */
    float min_cos;              /* neighbours below this cosine are left out; -2: no cutoff */
    Neighbour nbrs[GUI_MAX_K];
    int nnbrs;
    GuiPin pins[GUI_MAX_PINS];  /* pinned expressions, oldest first */
    int npins;
} GuiSelection;

#define GUI_SEARCH_HISTORY 32

/* select/search.c: the search box's text, its last error, the prefix completions and the
 * queries submitted before (Up/Down recall them). */
typedef struct GuiSearch {
    char text[256];
    char error[256];            /* why the last search failed, shown under the box */
    int64_t completions[GUI_MAX_COMPLETIONS];
    int ncompletions, completion; /* completion: highlighted row (Up/Down, Tab takes it) */
    char history[GUI_SEARCH_HISTORY][256]; /* oldest first */
    int nhistory, recall;       /* recall: the entry shown by Up/Down; nhistory: none */
} GuiSearch;

/* select/match.c: the words a spelling query (`/RE/`, `~TEXT`) marked. */
typedef struct GuiMatch {
    uint8_t *mask;              /* (rows) 1 for a match; NULL: no query */
    int64_t rows, n;            /* words in the mask, matches */
    bool filter;                /* the others are hidden (else dimmed) */
    char text[256];             /* the query */
    uint64_t generation;        /* bumped on every change (the scene's projection key) */
    uint64_t data_gen;          /* data.generation it was made for */
} GuiMatch;

/* select/camera.c: camera flights and following the selection. */
typedef struct GuiFly {
    bool flying;                /* target moving to `to` */
    bool follow;                /* the camera stays on the selection as training moves it */
    vec3s follow_offset;        /* view target minus the selected word's position */
    vec3s from, to;
    float dist_from, dist_to;
    double start;               /* ms */
} GuiFly;

/* scene/: the embedding space's projected points, labels and mouse gestures. */
typedef struct GuiSceneKey {
    versors rot;
    vec3s target;
    float dist;
    int vw, vh, two_d, label_px, hover_cluster, nextra, nnbrs, npins, nrects, trails, color_by;
    int density;              /* GuiDensityMode */
    uint64_t snap_seq, generation, match_gen, regions;
    int64_t hover, selected, extra[GUI_MAX_EXTRA], nbrs[GUI_MAX_K], pins[GUI_MAX_PINS][5];
    float rects[UI_MAX_RECTS][4];
} GuiSceneKey;

typedef struct GuiTrails {
    float *ring;           /* (cap, rows, 3) */
    int64_t rows;
    int cap, n, head;      /* snapshots kept: n of cap, the next goes to head */
    bool hidden;           /* W hides them */
} GuiTrails;

/* GUI_COLOR_METADATA + k: metadata column k + 1 (column 0 is the key) */
typedef enum { GUI_COLOR_CLUSTER, GUI_COLOR_FREQUENCY, GUI_COLOR_MOVEMENT, GUI_COLOR_COUNT,
               GUI_COLOR_METADATA = GUI_COLOR_COUNT } GuiColorMode;
#define GUI_COLOR_ENTRIES (META_MAX_CATEGORIES + 1) /* a categorical legend: + "no value" */

/* scene/colorby.c: the points' colours when they are not the clusters'; the metadata columns
 * are loaded and matched to the words by data/metadata.c. */
typedef struct GuiColorBy {
    GuiColorMode mode;
    uint32_t *colors;           /* (cap) per point, for the modes but cluster */
    float *value;               /* (cap) what the colour says */
    int64_t cap;
    float lo, hi;               /* of value: the legend's ends */
    uint64_t made_seq, made_gen; /* snapshot and data the colours were made for */
    GuiColorMode made_mode;
    Meta *meta;                 /* the metadata file's columns, or NULL */
    int64_t *meta_row;          /* (meta_words) the metadata row of each word, -1: none */
    int64_t meta_words, unmatched;
    uint64_t meta_gen;          /* data.generation they were matched for (another: dropped) */
    char meta_pending[1024];    /* --metadata FILE, loaded with the next data installed */
    char meta_path[1024];       /* the file meta came from (a followed file reopened reloads it) */
    int64_t count[GUI_COLOR_ENTRIES]; /* categorical: words per legend entry */
    int nentries, picked;       /* categorical legend entries; 1 + the one picked (0: none) */
    float entry_x, entry_w, entry_h, entry_y[GUI_COLOR_ENTRIES]; /* their rows, for clicks */
} GuiColorBy;

#define GUI_MAX_REGION_NAMES 64

/* scene/regionlabels.c: names over the cloud, bigger than word labels: the dense regions of a
 * neighbour layout (named on a worker thread whenever a new layout is on screen; the old names
 * stay until then), or the k-means clusters at their centres in the PCA and axes views. */
typedef struct GuiRegionName {
    float pos[3];               /* scene coordinates of its peak (layouts) */
    int64_t size;               /* members */
    char text[96];              /* "wilt, didst, hast" */
} GuiRegionName;

typedef struct GuiRegionLabels {
    struct GuiRegionJob *job;   /* naming a layout's regions; NULL when idle */
    GuiRegionName names[GUI_MAX_REGION_NAMES]; /* of the last finished job, most prominent first */
    int nnames;
    uint64_t made_builds, made_gen; /* layout_builds and data.generation they were made for */
    uint64_t taken;             /* finished jobs taken (part of the scene key) */
    char error[160];            /* the last job's failure, "" when none */
    GuiRegionName clusters[LIVE_MAX_CLUSTERS]; /* k-means names at their centres (PCA, axes) */
    /* The clusters' mean positions in points.from and points.to, and the animation, snapshot
     * and data generation they were summed for: a frame of the animation interpolates them
     * (the mean of interpolated points is the interpolated mean) instead of summing again. */
    float cl_from[LIVE_MAX_CLUSTERS][3], cl_to[LIVE_MAX_CLUSTERS][3];
    int64_t cl_count[LIVE_MAX_CLUSTERS];
    double cl_anim;
    uint64_t cl_key[2];
    /* drawn this frame (word labels keep out of these boxes; scripts read them) */
    int nplaced;
    float box[GUI_MAX_REGION_NAMES][4];
    const char *placed[GUI_MAX_REGION_NAMES];
} GuiRegionLabels;
/* D: how a big cloud is drawn (scene/scene.c; docs/explorer.md "Density view"). */
typedef enum {
    GUI_DENSITY_AUTO,    /* a density image when many points are in view, points as they thin */
    GUI_DENSITY_ON,      /* always the density image and contours */
    GUI_DENSITY_POINTS,  /* always every point */
    GUI_DENSITY_COUNT
} GuiDensityMode;

typedef struct GuiSpace {
    struct GuiSceneWork *work;  /* scene/scene.c: projection cache, splat scratch */
    int64_t rows;               /* of the buffers below */
    uint64_t generation;        /* data.generation they were made for */
    DrawPoint *pts;             /* (rows) indexed by word */
    DrawPoint *sorted;          /* (rows) visible points far to near (3D painter's order) */
    size_t nsorted;
    float *depth;               /* (rows) clip w; <= 0 hidden */
    uint8_t *cell;              /* label occupancy grid */
    int grid_w, grid_h;
    int64_t labels[GUI_MAX_LABELS];
    float label_box[GUI_MAX_LABELS][4];
    int nlabels, npriority;
    int nforced;                /* labels placed without the overlap test (hover, selection) */
    GuiTrails trails;
    int hover_cluster;          /* legend row under the mouse, -1 */
    bool hide_legend;
    GuiColorBy color;
    GuiRegionLabels regions;
    GuiDensityMode density_mode;
    LayerCache layer;           /* the scene's pixels of the last frame (loop/frame.c) */
    /* mouse gestures */
    bool dragging[2];
    float drag_x, drag_y;
    bool click_pending;         /* a left press that has not moved yet */
    float press_x, press_y;
    int64_t last_click_word;
    double last_click_ms;
} GuiSpace;

/* loop/: frame times for --stats and the status line. */
typedef struct GuiPerf {
    double frame_ms[GUI_FRAME_RING];     /* frame build+draw wall times, ring */
    double frame_cpu_ms[GUI_FRAME_RING]; /* the same frames' UI-thread CPU times (wall minus
                                            preemption by the trainers on a busy machine) */
    uint64_t frames_drawn;
    double last_frame_ms;       /* start of the last frame (clock_ms) */
    bool print;                 /* --stats: print percentiles at exit */
} GuiPerf;

/* core/prefs.c: what is remembered between launches. */
typedef struct GuiPrefs {
    Settings s;
    char path[SETTINGS_MAX_PATH + 64]; /* the settings file; "" when there is none */
    bool reported;              /* a problem with it was shown: later ones are not */
    char pending[320];          /* that problem, shown again once the first data is on screen
                                   (the opening messages would hide it) */
} GuiPrefs;

/* panels/follow.c: a vectors file another program keeps replacing, reopened each time. */
typedef struct GuiFollow {
    bool on;
    char path[1024];
    int64_t shown[3], seen[3]; /* (inode, mtime ns, size) of the file on screen / at the last look */
    double last_look;           /* ms */
    bool reloading;             /* a reload is opening or waiting for its first frame */
    int reloads;
    char missing[160];          /* said once while the file is gone */
    char anchor[64];            /* the selected word at the reload ("" none), and where it was */
    float anchor_pos[3];        /*   (scene coordinates): the camera moves with it */
} GuiFollow;

typedef struct GuiScript GuiScript;
struct Bookmark;
struct GuiOpenDlg;

typedef struct GuiApp {
    Win win;
    Ui ui;
    DrawList *scene, *overlay;  /* scene drawn first, then the UI */
    UiInput in;                 /* gathered since the last frame (loop/events.c) */
    uint32_t wake_event;        /* SDL event type other threads push to wake the loop */
    bool quit;
    Cam cam;
    bool two_d;
    int label_px;

    GuiData data;
    GuiPoints points;
    GuiProj proj;
    GuiSelection sel;
    GuiSearch search;
    GuiMatch match;
    GuiFly fly;
    GuiSpace space;
    GuiViews views;
    GuiPerf perf;
    GuiPrefs prefs;
    GuiFollow follow;
    struct GuiOpenDlg *opendlg; /* panels/opendlg.c: the open dialog (Ctrl+O), NULL until used */

    struct { char text[256]; bool error; } status;
    char shortcuts[16];         /* printable keys pressed this frame (acted on when no text
                                   box has the focus) */
    int nshortcuts;
    bool typing;                /* a text box had the focus when the frame began */
    bool show_help;
    bool show_export;           /* the export panel (E) */
    char export_dir[1024];      /* its folder ("" = the current one) */
    struct Bookmark *pending_bookmark; /* applied when its data's first snapshot is shown */
    bool pending_quiet;         /* ... without saying so (a followed file reloaded) */
    bool want_screenshot;
    GuiScript *script;
} GuiApp;

void gui_set_status(GuiApp *g, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The vocabulary shown (empty before anything is open). */
const Vocab *gui_vocab(const GuiApp *g);
/* Word of row i, "?" out of range. */
const char *gui_word(const GuiApp *g, int64_t i);
/* Row of a word, -1 when it is not in the vocabulary shown. */
int64_t gui_find(const GuiApp *g, const char *word);
/* The trainer's progress; zero for fixed vectors. */
TrainProgress gui_progress(const GuiApp *g);
/* Colour of cluster c (Okabe & Ito's colour-blind-safe palette) and the palette itself. */
uint32_t gui_cluster_color(int c);
const uint32_t *gui_palette(int *n);
/* Wakes the loop from any thread (SDL_PushEvent of g->wake_event); ctx is the GuiApp. */
void gui_wake(void *ctx);

#endif
