/* pml's log messages on stderr, for runs with verbose=1 or verbose=2. */
#ifndef PML_TOOLS_LOG_OUTPUT_H
#define PML_TOOLS_LOG_OUTPUT_H

#include "progress_bar.h"

/* Installs a handler that writes "[pml] message" lines, lifting the progress bar (may be NULL)
 * out of the way of each line. bar must outlive log_output_uninstall. */
void log_output_install(progress_bar *bar);
void log_output_uninstall(void);

#endif
