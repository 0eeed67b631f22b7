#define _POSIX_C_SOURCE 200809L
#include "progress_bar.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli_clock.h"
#include "interrupt.h"

enum { kDefaultWidth = 80, kMaxLine = 512, kMinBar = 10, kMaxBar = 40 };

void progress_bar_init(progress_bar *bar, int enabled) {
  bar->draw = enabled && isatty(fileno(stderr));
  bar->start = cli_seconds();
  bar->shown_width = 0;
}

static int terminal_width(void) {
  struct winsize ws;
  if (ioctl(fileno(stderr), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return kDefaultWidth;
}

/* Builds "stage [=====>    ]  45%  45/100  1.2s  eta 1.5s", fitted to width. */
static int render(char *line, int width, const char *stage, int64_t done, int64_t total,
                  double elapsed) {
  char spent[24], counts[64], eta[40] = "";
  cli_format_duration(elapsed, spent, sizeof spent);
  if (total <= 0) {
    snprintf(counts, sizeof counts, "%lld done", (long long)done);
    return snprintf(line, kMaxLine, "%.24s  %s  %s", stage, counts, spent);
  }
  if (done > total) done = total;
  if (done < 0) done = 0;
  double fraction = (double)done / (double)total;
  snprintf(counts, sizeof counts, "%lld/%lld", (long long)done, (long long)total);
  if (done > 0 && done < total) {
    char left[24];
    cli_format_duration(elapsed * (1.0 - fraction) / fraction, left, sizeof left);
    snprintf(eta, sizeof eta, "  eta %s", left);
  }
  char tail[160];
  int tail_len =
      snprintf(tail, sizeof tail, " %3d%%  %s  %s%s", (int)(fraction * 100.0), counts, spent, eta);
  int head_len = (int)strlen(stage) > 24 ? 24 : (int)strlen(stage);
  int bar_len = width - 1 - head_len - 3 - tail_len;
  if (bar_len > kMaxBar) bar_len = kMaxBar;
  if (bar_len < kMinBar) bar_len = kMinBar;
  char bar[kMaxBar + 1];
  int filled = (int)(fraction * bar_len);
  for (int i = 0; i < bar_len; ++i) bar[i] = i < filled ? '=' : ' ';
  if (filled < bar_len && done > 0) bar[filled] = '>';
  bar[bar_len] = '\0';
  return snprintf(line, kMaxLine, "%.24s [%s]%s", stage, bar, tail);
}

static void erase(progress_bar *bar) {
  if (bar->shown_width == 0) return;
  fprintf(stderr, "\r%*s\r", bar->shown_width, "");
  bar->shown_width = 0;
}

int progress_bar_update(void *user_data, const char *stage, int64_t done, int64_t total) {
  progress_bar *bar = user_data;
  if (bar->draw) {
    char line[kMaxLine];
    int width = terminal_width();
    int n = render(line, width, stage ? stage : "", done, total, cli_seconds() - bar->start);
    if (n >= kMaxLine) n = kMaxLine - 1;
    /* A line longer than the terminal would wrap, and \r would then redraw only its tail. */
    if (n > width - 1) n = width - 1 > 0 ? width - 1 : 0;
    line[n] = '\0';
    flockfile(stderr);
    fputc('\r', stderr);
    fputs(line, stderr);
    /* Blanks over the rest of a longer earlier line; erase() then clears the whole width. */
    if (bar->shown_width > n) fprintf(stderr, "%*s", bar->shown_width - n, "");
    bar->shown_width = bar->shown_width > n ? bar->shown_width : n;
    fflush(stderr);
    funlockfile(stderr);
  }
  return interrupt_requested();
}

void progress_bar_hide(progress_bar *bar) {
  if (bar->draw) erase(bar);
}

void progress_bar_finish(progress_bar *bar) {
  if (!bar->draw) return;
  flockfile(stderr);
  erase(bar);
  fflush(stderr);
  funlockfile(stderr);
}
