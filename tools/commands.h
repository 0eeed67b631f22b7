/* The subcommands of the pml program. Each takes the arguments after its own name and returns the
 * process exit status (see cli_report.h). */
#ifndef PML_TOOLS_COMMANDS_H
#define PML_TOOLS_COMMANDS_H

#include <stdio.h>

int cmd_train(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_info(int argc, char **argv);

void cmd_train_help(FILE *out);
void cmd_predict_help(FILE *out);
void cmd_eval_help(FILE *out);
void cmd_info_help(FILE *out);

#endif
