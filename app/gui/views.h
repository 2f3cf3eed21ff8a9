/* The explorer's teaching views besides the embedding space: the lookup table (nn.Embedding's
 * weight matrix as a heatmap), positional embeddings, training curves, plus the live training
 * controls and the view tabs. Their state lives in GuiApp.views; every function here runs on
 * the UI thread and reads the trainer's vectors only through published frames. */
#ifndef EMBEDSCOPE_GUI_VIEWS_H
#define EMBEDSCOPE_GUI_VIEWS_H
#include "model/analysis/curves.h"
#include "model/analysis/posview.h"
#include "model/train/train.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum GuiView {
    GUI_VIEW_SPACE = 0, GUI_VIEW_TABLE, GUI_VIEW_POSITIONS, GUI_VIEW_CURVES, GUI_VIEW_COUNT
} GuiView;

#define GUI_TABLE_MAX_PICK 16

typedef struct GuiTableView {
    int64_t top;                /* first row shown */
    char indices[256];          /* typed indices, "0 2 5" */
    int64_t pick[GUI_TABLE_MAX_PICK]; /* rows of the lookup: typed indices or the selection */
    int npick;
    char pick_error[160];
    uint32_t *img;              /* (shown rows, dim) heatmap of the rows on screen */
    size_t img_cap;             /* pixels */
    uint32_t *strip;            /* (npick, dim) the looked-up rows */
    size_t strip_cap;
    int img_rows, img_dim;
    uint64_t img_seq;           /* frame, top and scale the image was made for */
    int64_t img_top;
    float scale;                /* colour scale of the frame: values in [-scale, scale] */
    uint64_t img_sum;           /* checksum of img (script asserts) */
} GuiTableView;

typedef struct GuiPosJob GuiPosJob;

typedef struct GuiPosState {
    PosEncDesc want;            /* settings being edited (kind, max_len, dim) */
    char len_text[16], dim_text[16], probe_text[3][16];
    int64_t probe[3];           /* A, B, C: distances A-B and A-C */
    GuiPosJob *job;             /* builds PosViews on a worker thread */
    PosView *shown;             /* latest built, owned by the job; NULL before */
    uint64_t shown_gen;
    uint32_t *sim_img;          /* (nsim, nsim) */
    struct DrawPoint *pts;      /* (max_len) the PCA path */
    uint64_t img_gen;
} GuiPosState;

typedef struct GuiSettings {
    bool show;                  /* the controls panel (S) */
    char lr[24];                /* learning-rate box */
    char edit[8][24];           /* dim window negative sample min_count epochs threads, alpha */
    TrainModel model;           /* edited model; 0: as in use */
    bool stepping;              /* Step: resumed until step_until words, then paused */
    uint64_t step_until;
} GuiSettings;

typedef struct GuiViews {
    GuiView view;
    GuiTableView table;
    GuiPosState pos;
    Curves curves;
    uint64_t curves_seq;        /* last frame sampled */
    uint64_t curves_eval;       /* last evaluation recorded */
    GuiSettings set;
    bool hint;                  /* the first-launch hint is showing */
    /* script marks: checksums of the frame's vectors and of the table image */
    uint64_t mark_vectors, mark_heatmap, mark_words;
} GuiViews;

typedef struct GuiApp GuiApp;

void gui_views_init(GuiApp *g);
void gui_views_deinit(GuiApp *g);
/* A new published frame is shown: curves sample, table image invalidated. */
void gui_views_new_frame(GuiApp *g);
/* The tab strip and the current view (when not SPACE), left of the right column at right_x. */
void gui_views_panels(GuiApp *g, float right_x);
void gui_set_view(GuiApp *g, GuiView v);
const char *gui_view_name(GuiView v);
/* Shortcut keys of the views; true when c was one. */
bool gui_views_shortcut(GuiApp *g, char c);

/* gui_table.c */
void gui_table_draw(GuiApp *g, float x, float y, float w, float h);
bool gui_table_set_indices(GuiApp *g, const char *text);
uint64_t gui_frame_checksum(const GuiApp *g);   /* raw vectors of the frame on screen */

/* gui_posview.c */
void gui_posview_draw(GuiApp *g, float x, float y, float w, float h);
void gui_posview_request(GuiApp *g);            /* (re)build from views.pos.want */
void gui_posview_poll(GuiApp *g);               /* takes a finished build */
void gui_posview_free(GuiApp *g);

/* gui_curves.c */
void gui_curves_draw(GuiApp *g, float x, float y, float w, float h);
void gui_curves_sample(GuiApp *g);
/* A pin's text "EXPR = WORD": the expression part (in buf, or text itself without '=') and
 * the expected answer's row (-1 when none or unknown). */
const char *gui_pin_expr(const char *text, char *buf, size_t cap);
int64_t gui_pin_expect(const GuiApp *g, const char *text);

/* gui_settings.c */
float gui_settings_panel(GuiApp *g, float x, float y, float w);
bool gui_set_lr(GuiApp *g, double lr);
void gui_step(GuiApp *g);
void gui_step_poll(GuiApp *g);
/* Applies an edited setting by name (dim, window, negative, sample, min_count, epochs,
 * threads, model); false (e set) for an unknown name or a bad value. */
bool gui_settings_edit(GuiApp *g, const char *name, const char *value, Err *e);
bool gui_settings_apply(GuiApp *g, Err *e);   /* restart with the edited settings */

/* gui_script_views.c: script commands of the views (NULL-terminated names) */
extern const char *const gui_script_view_commands[];
bool gui_script_views_check(const char *cmd, const char *arg, char *why, size_t cap);
/* 1 done, 0 wait for frames, -1 failed (why set), 2 not one of these commands; wait_start is
 * the script's wait timer (ms, 0 when not waiting). */
int gui_script_views_run(GuiApp *g, const char *cmd, const char *arg, double *wait_start,
                         char *why, size_t cap);

#endif
