/* A one-line progress bar on stderr, fed by pml's progress callback. */
#ifndef PML_TOOLS_PROGRESS_BAR_H
#define PML_TOOLS_PROGRESS_BAR_H

#include <stdint.h>

typedef struct {
  int draw;        /* stderr is a terminal and the user did not ask for quiet */
  double start;    /* cli_seconds() when the work began */
  int shown_width; /* characters of the bar now on the line; guarded by stderr's stdio lock */
} progress_bar;

/* Starts the clock. The bar is drawn only if enabled and stderr is a terminal, so redirected
 * output and logs never receive carriage returns. */
void progress_bar_init(progress_bar *bar, int enabled);

/* A pml_progress_fn: user_data is a progress_bar. Returns non-zero (cancel) once the user pressed
 * Ctrl-C, whether or not the bar is drawn. */
int progress_bar_update(void *user_data, const char *stage, int64_t done, int64_t total);

/* Erases the bar so that another line can be written; the next update draws it again. Call with
 * stderr locked (flockfile) when other threads may write. */
void progress_bar_hide(progress_bar *bar);

/* Erases the bar for good. */
void progress_bar_finish(progress_bar *bar);

#endif
