/* The state of the teaching views (lookup table, positions, curves) and of the live training
 * controls, as GuiApp.views holds it. Types only: the views' functions live in app/gui/views/
 * and app/gui/data/ (training controls). UI thread. */
#ifndef EMBEDSCOPE_GUI_VIEWS_STATE_H
#define EMBEDSCOPE_GUI_VIEWS_STATE_H
#include "model/analysis/curves.h"
#include "model/analysis/posview.h"
#include "model/gpt/session.h"
#include "model/train/train.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum GuiView {
    GUI_VIEW_SPACE = 0, GUI_VIEW_TABLE, GUI_VIEW_POSITIONS, GUI_VIEW_CURVES, GUI_VIEW_COUNT
} GuiView;

#define GUI_TABLE_MAX_PICK 16

/* What the lookup table shows: the word vectors, or the learned GPT's tables (Positions view,
 * learned source). */
typedef enum GuiTableSource { GUI_TABLE_WORDS = 0, GUI_TABLE_WPE, GUI_TABLE_WTE } GuiTableSource;

typedef struct GuiTableView {
    GuiTableSource source;
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
    GuiTableSource img_source;
    uint64_t img_seq;           /* source, frame, top and scale the image was made for */
    int64_t img_top;
    float scale;                /* colour scale of the frame: values in [-scale, scale] */
    uint64_t img_sum;           /* checksum of img (script asserts) */
} GuiTableView;

typedef struct GuiPosJob GuiPosJob;
typedef struct PosLearn PosLearn;           /* app/gui/views/poslearn.h */
typedef struct PosLearnFrame PosLearnFrame;

typedef struct GuiPosState {
    PosEncDesc want;            /* settings being edited (kind, max_len, dim) */
    char len_text[16], dim_text[16], probe_text[3][16];
    int64_t probe[3];           /* A, B, C: distances A-B and A-C */
    GuiPosJob *job;             /* builds PosViews on a worker thread */
    const PosView *shown;       /* the table on screen (the job's or the learned frame's); NULL
                                   before */
    uint64_t shown_gen;         /* bumped whenever shown changes */
    uint32_t *sim_img;          /* (nsim, nsim) */
    struct DrawPoint *pts;      /* (max_len) the PCA path */
    uint64_t img_gen;
    /* the third source, "learned (training)": the small GPT's position table */
    bool learned;               /* that source is chosen (want.kind is then not used) */
    GptTrainDesc learn;         /* its settings being edited: shape, init, lr (threads: chosen
                                   at each start) */
    char learn_text[1024];      /* what it trains on: a path or @world; "": the corpus on
                                   screen, else @world */
    char text_edit[1024];       /* the text box, applied on Enter */
    char layers_text[8], heads_text[8], lr_text[16];
    PosLearn *learner;          /* its helper thread, made when the source is first chosen */
    const PosLearnFrame *frame; /* the learned frame held, or NULL */
    uint64_t frame_seq;
    char error[400];            /* the last refused setting or failed start, shown in the view
                                   until the next accepted one */
    bool hidden_pause;          /* paused because none of its views is on screen */
    uint64_t mark_run;          /* script marks: the run and step of the frame shown */
    int64_t mark_step;
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
