/* Indenting the one-line JSON that pml_model_info_json returns, for people reading `pml info`. */
#ifndef PML_TOOLS_JSON_PRETTY_H
#define PML_TOOLS_JSON_PRETTY_H

#include <stdio.h>

/* Writes json to out with two-space indentation; a short array or object with nothing nested in
 * it stays on one line ("classes": [0, 1, 2]). The text is assumed well formed (it comes from
 * pml); anything else is still written out whole, just less tidily. */
void json_pretty_print(FILE *out, const char *json);

#endif
