/* Wall-clock time for the summaries and the progress bar. */
#ifndef PML_TOOLS_CLI_CLOCK_H
#define PML_TOOLS_CLI_CLOCK_H

/* Seconds on a monotonic clock (unaffected by changes of the system time). */
double cli_seconds(void);

/* Writes a duration as "0.42s", "12.3s" or "4m05s" into buf. */
void cli_format_duration(double seconds, char *buf, int size);

#endif
