/* Ctrl-C during training: the first one asks pml to stop cleanly (through the progress callback),
 * so the model and data are freed and the exit is orderly; a second one ends the process. */
#ifndef PML_TOOLS_INTERRUPT_H
#define PML_TOOLS_INTERRUPT_H

void interrupt_install(void);
void interrupt_restore(void);

/* True once SIGINT arrived after interrupt_install. */
int interrupt_requested(void);

#endif
