/* Printing doubles for people and for programs at once. */
#ifndef PML_TOOLS_NUMBER_FORMAT_H
#define PML_TOOLS_NUMBER_FORMAT_H

enum { NUMBER_FORMAT_SIZE = 32 };

/* Writes the shortest decimal that reads back as exactly v ("1", "0.1", "0.30000000000000004"),
 * so labels print as they were written and nothing is lost; "nan", "inf", "-inf" otherwise. */
void number_format(double v, char buf[NUMBER_FORMAT_SIZE]);

#endif
