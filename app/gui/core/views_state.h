/* The state of the teaching views (lookup table, positions, curves) and of the live training
 * controls, as GuiApp.views holds it. Types only: the views' functions live in app/gui/views/
 * and app/gui/data/ (training controls). UI thread. */
#ifndef EMBEDSCOPE_GUI_VIEWS_STATE_H
#define EMBEDSCOPE_GUI_VIEWS_STATE_H
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

#define GUI_SETTINGS 7          /* settings in the panel: see gui_setting() */

typedef struct GuiSettings {
    bool show;                  /* the controls panel (S) */
    char lr[24];                /* learning-rate box */
    char edit[GUI_SETTINGS][24]; /* the boxes of data/train_ctl.c's settings, in its order */
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
    bool hint_shown;            /* it was drawn this run (dismissing it is then remembered) */
    /* script marks: checksums of the frame's vectors and of the table image */
    uint64_t mark_vectors, mark_heatmap, mark_words;
} GuiViews;

#endif
