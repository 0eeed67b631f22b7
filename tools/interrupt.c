#define _POSIX_C_SOURCE 200809L
#include "interrupt.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t g_requested = 0;
static struct sigaction g_previous;
static int g_installed = 0;

static void on_sigint(int signal_number) {
  (void)signal_number;
  g_requested = 1;
}

void interrupt_install(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  /* SA_RESETHAND: a second Ctrl-C gets the default action, for a user who does not want to wait
   * for the library to notice the first. */
  action.sa_flags = SA_RESETHAND;
  g_requested = 0;
  g_installed = sigaction(SIGINT, &action, &g_previous) == 0;
  /* A shell starts background jobs with SIGINT ignored; Ctrl-C is not meant for them. */
  if (g_installed && !(g_previous.sa_flags & SA_SIGINFO) && g_previous.sa_handler == SIG_IGN)
    interrupt_restore();
}

void interrupt_restore(void) {
  if (g_installed) sigaction(SIGINT, &g_previous, NULL);
  g_installed = 0;
}

int interrupt_requested(void) {
  return g_requested != 0;
}
