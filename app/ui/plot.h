/* A line-plot widget for the immediate-mode UI (training curves): one series in a rectangle
 * with a title, the latest value, y min/max labels and the x range. Draws into ui->dl only.
 * UI thread. */
#ifndef EMBEDSCOPE_UI_PLOT_H
#define EMBEDSCOPE_UI_PLOT_H
#include "app/ui/ui.h"
#include <stdbool.h>

typedef struct UiPlot {
    const char *title;
    const char *fmt;      /* printf format of a value: "%.4g" when NULL */
    const char *x_unit;   /* after the x range ("words"); NULL: none */
    uint32_t color;       /* 0: theme accent */
    bool invert;          /* larger values drawn lower (ranks: 1 at the top) */
    bool from_zero;       /* the y axis includes 0 */
} UiPlot;

/* xs ascending; points whose x or y is not finite are skipped (the line joins over them, so a
 * series evaluated now and then is still one line). Claims the rectangle for the mouse. */
void ui_plot(Ui *ui, float x, float y, float w, float h, const double *xs, const double *ys, int n,
             const UiPlot *p);

#endif
