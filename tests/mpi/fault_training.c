/* The fault tests' program: every rank starts a long cluster-mode training of one learner, and
 * rank 1 suffers a fault in the middle of it. The fault tests (test_rank_dies.sh,
 * test_link_break.sh, test_rank_frozen.sh) run it under mpirun and require the job to end with
 * an error within a time bound instead of hanging.
 *
 * Usage: fault_training <forest|boosting|svm> <die|freeze|announce>
 *   die       rank 1 kills itself (SIGKILL: no cleanup, no MPI_Finalize, as a crashed node or
 *             the OOM killer leaves it);
 *   freeze    rank 1 stops itself (SIGSTOP: alive, holding its connections, silent, as a frozen
 *             node); it prints its process id first, so the script can clean it up;
 *   announce  rank 1 prints its process id and trains on, for a script that breaks its links.
 *
 * The fault is armed from rank 1's progress callback but strikes a moment later, from a timer:
 * the callback runs between collectives (inside a collective check), and a fault there would
 * always leave the other ranks in that same check. From the timer it lands in the learner's own
 * work and collectives - for the SVM, in the messages of the SMO's iterations.
 *
 * Exit status: 0 is never expected. 3 means the fault was not injected (training ended before it
 * struck), which the scripts report as a broken test, not as a pass. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, sigaction, setitimer */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "pml/pml.h"

enum { kRows = 20000, kCols = 8 };
/* Progress callbacks come at most every 200 ms: the fault is armed at the third, once training
 * is well under way, and strikes this long after. */
enum { kArmAtCall = 3, kStrikeAfterMs = 30 };

enum Fault { kDie, kFreeze, kAnnounce };

static int g_rank = -1;
static enum Fault g_fault = kDie;
static int g_calls = 0;

/* Far more trees, rounds or iterations than rank 1 lives through. */
static const char *learner_params(const char *learner) {
  if (strcmp(learner, "forest") == 0) return "n_trees=100000 max_depth=12";
  if (strcmp(learner, "boosting") == 0) return "n_rounds=100000 max_depth=6";
  /* tol far below what the SMO reaches: it iterates up to max_iter (10^7). */
  if (strcmp(learner, "svm") == 0) return "C=100 tol=1e-12 cache_mb=4";
  return NULL;
}

static long long now_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void strike(int signal_number) {
  (void)signal_number;
  /* raise is async-signal-safe; the process dies or stops here. */
  raise(g_fault == kDie ? SIGKILL : SIGSTOP);
}

/* A one-shot SIGALRM in kStrikeAfterMs whose handler delivers the fault. */
static void arm_fault(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = strike;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGALRM, &action, NULL);
  struct itimerval timer;
  memset(&timer, 0, sizeof timer);
  timer.it_value.tv_usec = kStrikeAfterMs * 1000;
  setitimer(ITIMER_REAL, &timer, NULL);
}

static int on_progress(void *user_data, const char *stage, int64_t done, int64_t total) {
  (void)user_data;
  (void)stage;
  (void)total;
  if (g_rank != 1 || ++g_calls != kArmAtCall) return 0;
  /* The time and process id, so the scripts can time the end and clean up a stopped rank. */
  if (g_fault == kAnnounce) {
    fprintf(stderr, "fault_training: rank 1 is pid %ld\n", (long)getpid());
  } else {
    fprintf(stderr, "fault_training: rank 1 is pid %ld and %s itself at %lld ms (progress %lld)\n",
            (long)getpid(), g_fault == kDie ? "kills" : "stops", now_ms() + kStrikeAfterMs,
            (long long)done);
    arm_fault();
  }
  fflush(stderr);
  return 0;
}

static int fail(const char *what) {
  fprintf(stderr, "fault_training: rank %d: %s: %s\n", g_rank, what, pml_last_error());
  return 1;
}

/* This rank's rows of a deterministic two-class problem, as a dataset over x and y. */
static pml_status make_shard(int size, double **x, double **y, pml_dataset **d) {
  const int64_t begin = (int64_t)kRows * g_rank / size, end = (int64_t)kRows * (g_rank + 1) / size;
  const int64_t n = end - begin;
  *x = malloc((size_t)(n * kCols) * sizeof **x);
  *y = malloc((size_t)n * sizeof **y);
  if (!*x || !*y) return PML_ERR_OUT_OF_MEMORY;
  uint64_t state = 0x9E3779B97F4A7C15u + (uint64_t)begin;
  for (int64_t i = 0; i < n; ++i) {
    double s = 0;
    for (int j = 0; j < kCols; ++j) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      double v = (double)(state >> 11) / 9007199254740992.0 - 0.5;
      (*x)[i * kCols + j] = v;
      s += (j + 1) * v;
    }
    (*y)[i] = s > 0 ? 1.0 : 0.0;
  }
  return pml_dataset_from_dense(*x, PML_FLOAT64, PML_ROW_MAJOR, n, kCols, *y, d);
}

static int parse_arguments(int argc, char **argv, const char **learner) {
  if (argc != 3 || !learner_params(argv[1])) return 0;
  *learner = argv[1];
  if (strcmp(argv[2], "die") == 0) {
    g_fault = kDie;
  } else if (strcmp(argv[2], "freeze") == 0) {
    g_fault = kFreeze;
  } else if (strcmp(argv[2], "announce") == 0) {
    g_fault = kAnnounce;
  } else {
    return 0;
  }
  return 1;
}

int main(int argc, char **argv) {
  if (pml_mpi_init(&argc, &argv) != PML_OK) return fail("pml_mpi_init");
  const char *learner = NULL;
  if (!parse_arguments(argc, argv, &learner)) {
    fprintf(stderr, "usage: fault_training <forest|boosting|svm> <die|freeze|announce>\n");
    return 2;
  }
  int size = 0;
  if (pml_mpi_rank(&g_rank) != PML_OK || pml_mpi_size(&size) != PML_OK) return fail("rank/size");
  if (size < 2) {
    fprintf(stderr, "fault_training: needs at least 2 ranks, got %d\n", size);
    return 2;
  }
  double *x = NULL, *y = NULL;
  pml_dataset *d = NULL;
  pml_params *p = NULL;
  pml_model *m = NULL;
  if (make_shard(size, &x, &y, &d) != PML_OK) return fail("make_shard");
  char text[256];
  snprintf(text, sizeof text, "task=classification n_jobs=1 seed=1 distributed=mpi %s",
           learner_params(learner));
  if (pml_params_create(&p) != PML_OK || pml_params_parse(p, text) != PML_OK ||
      pml_params_set_progress(p, on_progress, NULL) != PML_OK) {
    return fail("parameters");
  }
  pml_status status = pml_train(learner, p, d, NULL, &m);
  /* Reaching here means MPI reported the failure to pml (PML_ERR_DISTRIBUTED) rather than
   * aborting the job or pml's watchdog ending this process, which are the other clean ends. */
  if (status != PML_OK) {
    fail("pml_train");
  } else {
    fprintf(stderr, "fault_training: rank %d: training ended, the fault was not injected\n",
            g_rank);
  }
  pml_model_free(m);
  pml_params_free(p);
  pml_dataset_free(d);
  free(x);
  free(y);
  /* No pml_mpi_finalize after a failure: it would wait for the lost rank until the watchdog
   * ends this process. */
  if (status != PML_OK) return 1;
  pml_mpi_finalize();
  return 3;
}
