/* State of the explorer window shared by its gui_*.c files: the window, camera, UI, the frame
 * being shown, selection, pinned analogies, search box and script. UI thread only. */
#ifndef EMBEDSCOPE_GUI_APP_H
#define EMBEDSCOPE_GUI_APP_H
#include "render/cam.h"
#include "model/text/corpus.h"
#include "render/draw.h"
#include "model/vectors/expr.h"
#include "model/analysis/live.h"
#include "model/session/session.h"
#include "app/gui/views.h"
#include "model/vectors/knn.h"
#include "model/train/train.h"
#include "app/ui/ui.h"
#include "render/window.h"
#include <stdbool.h>
#include <stdint.h>

#define GUI_MAX_K 50
#define GUI_MAX_PINS 4
#define GUI_MAX_COMPLETIONS 8
#define GUI_MAX_LABELS 600

typedef struct GuiPin {
    char text[256];        /* as typed */
    ExprQuery q;           /* rows of a, b, c for the arrows (is_analogy) */
    Neighbour ans[10];
    int nans;
    float point[3];        /* projected b - a + c (approximated in the projection) */
    uint64_t seq;          /* frame the answers were computed on */
    char err[256];
    int64_t expect;        /* "... = word": the expected answer whose rank the curves follow;
                              -1 when none */
} GuiPin;

typedef struct GuiScript GuiScript;

/* Word trails (gui_trails.c): the scene positions of every word over the last snapshots. */
typedef struct GuiTrails {
    float *ring;           /* (cap, rows, 3) */
    int64_t rows;
    int cap, n, head;      /* snapshots kept: n of cap, the next goes to head */
    bool hidden;           /* W hides them */
} GuiTrails;

/* Everything the scene layer's pixels depend on besides animation: when it is unchanged the
 * last scene pixels are reused and only the panels are drawn again. */
typedef struct GuiSceneKey {
    versors rot;
    vec3s target;
    float dist;
    int vw, vh, two_d, label_px, hover_cluster, nextra, nnbrs, npins, nrects, trails;
    uint64_t frame_seq;
    int64_t hover, selected, extra[16], nbrs[GUI_MAX_K], pins[GUI_MAX_PINS][5];
    float rects[UI_MAX_RECTS][4];
} GuiSceneKey;

typedef struct GuiApp {
    Win win;
    Ui ui;
    DrawList *scene, *overlay;  /* scene drawn first, then the UI */
    UiInput in;                 /* gathered since the last frame */
    Cam cam;
    bool two_d;
    bool quit;

    Session sess;            /* what is shown: a trainer over a corpus, or fixed vectors */
    Trainer *trainer;           /* sess.trainer (NULL for fixed vectors) */
    Embeddings *table;          /* sess.table (NULL while training) */
    bool start_pending;         /* the trainer starts once frame 1 (its random init) is shown */
    SessionOpen *opening;           /* a file being opened in the background, or NULL */
    SessionOpenDesc open_desc;      /* settings for files opened later (drop, script) */
    char open_error[512];       /* the last failed open, shown until the next one */
    Live *analysis;
    const LiveFrame *frame;      /* held published frame, or NULL */
    uint64_t frame_seq;

    /* displayed positions: interpolate from -> to over GUI_ANIM_MS */
    int64_t rows;
    float *from, *to, *cur;     /* (rows, 3) */
    double anim_start;          /* ms */
    bool animating;
    bool flying;                /* camera target moving to fly_to */
    bool follow;                /* the camera stays on the selection as training moves it */
    vec3s follow_offset;        /* view target minus the selected word's position */
    vec3s fly_from, fly_to;
    float fly_dist_from, fly_dist_to;
    double fly_start;
    bool click_pending;         /* a left press that has not moved yet */
    float press_x, press_y;
    int64_t last_click_word;
    /* per-frame projection */
    struct GuiSceneWork *work;  /* gui_scene.c: worker pool, projection cache, splat scratch */
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

    /* selection and queries */
    int64_t hover, selected;
    int k;
    Neighbour nbrs[GUI_MAX_K];
    int nnbrs;
    GuiPin pins[GUI_MAX_PINS];
    int npins;
    char search[256];
    char search_error[256];     /* why the last search failed, shown under the box */
    int64_t completions[GUI_MAX_COMPLETIONS];
    int ncompletions, completion;   /* completion: highlighted row (Up/Down, Tab takes it) */
    int64_t extra[16];          /* ctrl-click: more selected words (highlighted, labelled) */
    int nextra;
    char status[256];
    bool status_error;
    char last_error[256];       /* last background error shown, so it is shown once */

    /* mouse gestures on the scene */
    bool dragging[2];
    float drag_x, drag_y;
    double last_click_ms;

    double frame_ms[4096];      /* frame build+draw wall times, ring */
    double frame_cpu_ms[4096];  /* the same frames' UI-thread CPU times (wall minus preemption
                                   by the trainers on a busy machine) */
    int nframes;
    uint64_t frames_drawn;
    double last_frame_ms;       /* start of the last frame (gui_now_ms) */
    GuiScript *script;
    int label_px;
    bool want_screenshot;
    char shortcuts[16];         /* printable keys pressed this frame (acted on when no
                                   text box has the focus) */
    int nshortcuts;
    bool show_help;
    bool show_export;           /* the export panel (E) */
    struct Bookmark *pending_bookmark; /* applied when its data's first frame is shown */
    char export_dir[1024];      /* its folder ("" = the current one) */
    bool want_restart;          /* Restart pressed: done between frames */
    GuiSceneKey scene_key;      /* of the pixels in scene_cache */
    uint32_t *scene_cache;      /* (scene_w, scene_h) the scene layer of the last frame */
    int scene_w, scene_h;
    int hover_cluster;          /* legend row under the mouse, -1 */
    bool hide_legend;
    bool stats;                 /* --stats: print frame-time percentiles at exit */
    bool typing;                /* a text box had the focus when the frame began */
    GuiViews views;             /* table, positions and curves views, live controls */
    GuiTrails trails;
    const char *questions;      /* --questions FILE, evaluated during training; NULL: the demo
                                   world's own when training on it */
} GuiApp;

#define GUI_BG DRAW_RGB(17, 19, 24)

double gui_now_ms(void);
void gui_set_status(GuiApp *g, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* gui_main.c: new random init, same vocabulary and settings; false (e set) leaves no trainer */
bool gui_restart_training(GuiApp *g, Err *e);
/* Opens a corpus or vectors file in the background (SESSION_AUTO: by content); the session on
 * screen stays until it is ready. False (message in the status line) when one is already being
 * opened. */
bool gui_open(GuiApp *g, const char *path, SessionKind kind);
/* Stops the open in progress (the session on screen stays). */
void gui_cancel_open(GuiApp *g);
/* The vocabulary shown (empty before anything is open). */
const Vocab *gui_vocab(const GuiApp *g);
/* The trainer's progress; zero for fixed vectors. */
TrainProgress gui_progress(const GuiApp *g);

/* gui_panels.c: keyboard shortcuts */
void gui_shortcut(GuiApp *g, char c);
void gui_run_shortcuts(GuiApp *g);

/* gui_bookmark.c: save the view on screen / restore one (opening its data when it is not the
 * data on screen; the view is then applied by gui_bookmark_poll once the data is shown) */
bool gui_bookmark_save(GuiApp *g, const char *path, Err *e);
bool gui_bookmark_load(GuiApp *g, const char *path, bool open_source, Err *e);
void gui_bookmark_poll(GuiApp *g);

/* gui_trails.c */
void gui_trails_record(GuiApp *g);   /* g->to holds a new snapshot */
void gui_trails_draw(GuiApp *g);     /* selected words' paths, into g->scene */
void gui_trails_free(GuiApp *g);
/* Positions of word i over the kept snapshots, oldest first, into xyz ((n, 3), n <= 16). */
int gui_trail(const GuiApp *g, int64_t i, float *xyz);

/* gui_export.c: exports of the frame on screen (errors in e, files written atomically) */
bool gui_export_coords(GuiApp *g, const char *path, Err *e);
bool gui_export_projector(GuiApp *g, const char *dir, Err *e);
bool gui_export_vectors(GuiApp *g, const char *path, bool binary, Err *e);
bool gui_screenshot_scaled(GuiApp *g, const char *path, int factor, Err *e);
float gui_export_panel(GuiApp *g, float x, float y, float w);
/* One of the export panel's buttons (0 coordinates, 1 projector, 2/3 vectors text/binary,
 * 4 screenshot 4x, 5 save bookmark, 6 restore it), into export_dir. */
void gui_export_run(GuiApp *g, int what);

/* gui_scene.c */
bool gui_scene_alloc(GuiApp *g, int64_t rows);
void gui_scene_free(GuiApp *g);
void gui_scene_new_frame(GuiApp *g);   /* a new published frame arrived */
bool gui_scene_animate(GuiApp *g);     /* advances interpolation; true while moving */
void gui_scene_project(GuiApp *g);
void gui_scene_draw(GuiApp *g);        /* into g->scene */
int64_t gui_scene_pick(const GuiApp *g, float x, float y, float radius);
void gui_scene_input(GuiApp *g);       /* camera and picking from g->ui.in */
void gui_frame_selection(GuiApp *g);
void gui_fly_to(GuiApp *g, const int64_t *words, int n);
bool gui_word_screen(const GuiApp *g, int64_t i, float *x, float *y);
void gui_scene_key(const GuiApp *g, GuiSceneKey *k);
uint32_t gui_cluster_color(int c);

/* gui_panels.c */
void gui_panels(GuiApp *g);
void gui_select(GuiApp *g, int64_t word);
void gui_select_toggle(GuiApp *g, int64_t word);
/* Pins an expression (evaluated on every snapshot); fly: move the camera to it. */
void gui_pin_expression(GuiApp *g, const char *text, bool fly);
void gui_search_submit(GuiApp *g);
void gui_refresh_queries(GuiApp *g);
const char *gui_word(const GuiApp *g, int64_t i);
void gui_toggle_pause(GuiApp *g);
void gui_set_2d(GuiApp *g, bool two_d);

/* gui_script.c */
GuiScript *gui_script_load(const char *path, Err *e);
void gui_script_destroy(GuiScript *s);
/* Runs script commands until one has to wait for frames; returns false when the script
 * failed (message printed) and sets *exit_code. */
bool gui_script_step(GuiApp *g, GuiScript *s, int *exit_code);
bool gui_script_done(const GuiScript *s);
/* The script is waiting for training or time (the loop may block for events meanwhile). */
bool gui_script_waiting(const GuiScript *s);

#endif
