/* pml_model_save: the umask of the process is never touched (another thread may be creating files
 * meanwhile), a replaced model keeps its permissions (an SVM model holds training rows), a new one
 * gets 0666 less the umask, the bytes and the directory entry reach the disk before the call
 * returns, and a failed save leaves the old file as it was and no temporary file behind.
 *
 * This program defines umask and fsync itself: the dynamic linker binds libpml's calls to them
 * here (an executable's symbols come first), so the test sees every call pml makes. Both forward
 * to the kernel unchanged. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "test_support.h"

/* -- what pml asks of the kernel ------------------------------------------------------------- */

/* The hooks below may run on several saving threads at once (concurrent_saves_...): their
 * bookkeeping is under this lock; the tests read it after joining those threads. */
static pthread_mutex_t g_hook_lock = PTHREAD_MUTEX_INITIALIZER;

static int g_umask_changes; /* calls that set a umask other than the one in force */
static mode_t g_umask_seen; /* the lowest umask ever set (0 is the dangerous one) */

mode_t umask(mode_t mask) {
  mode_t old = (mode_t)syscall(SYS_umask, mask);
  if (mask != old) {
    pthread_mutex_lock(&g_hook_lock);
    ++g_umask_changes;
    if (mask < g_umask_seen) g_umask_seen = mask;
    pthread_mutex_unlock(&g_hook_lock);
  }
  return old;
}

/* fsync calls on regular files and on directories, in order (the last directory's identity). */
static int g_file_syncs, g_directory_syncs, g_directory_synced_after_file;
static dev_t g_synced_dir_dev;
static ino_t g_synced_dir_ino;

int fsync(int fd) {
  struct stat st;
  if (fstat(fd, &st) == 0) {
    pthread_mutex_lock(&g_hook_lock);
    if (S_ISREG(st.st_mode)) {
      ++g_file_syncs;
    } else if (S_ISDIR(st.st_mode)) {
      ++g_directory_syncs;
      if (g_file_syncs > 0) g_directory_synced_after_file = 1;
      g_synced_dir_dev = st.st_dev;
      g_synced_dir_ino = st.st_ino;
    }
    pthread_mutex_unlock(&g_hook_lock);
  }
  return (int)syscall(SYS_fsync, fd);
}

/* -- fixtures -------------------------------------------------------------------------------- */

static pml_model *g_model;

static int setup(void **state) {
  (void)state;
  struct data t = binary_data(60, 3, 7);
  g_model = train_algorithm("forest", "n_trees=2 seed=3", t.d, NULL);
  free_data(&t);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  pml_model_free(g_model);
  return 0;
}

/* <temp dir>/name in a static buffer (one per call slot). */
static const char *temp_path(const char *name) {
  static char paths[4][600];
  static int slot;
  char *p = paths[slot++ % 4];
  snprintf(p, 600, "%s/%s", test_temp_dir(), name);
  return p;
}

static mode_t mode_of(const char *path) {
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  return st.st_mode & 07777;
}

/* The number of entries of dir other than . and .., asserting none is a temporary file. */
static int entries_without_temporaries(const char *dir) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  int n = 0;
  for (struct dirent *e; (e = readdir(d));) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (strstr(e->d_name, ".tmp")) print_error("temporary file left behind: %s\n", e->d_name);
    assert_null(strstr(e->d_name, ".tmp"));
    ++n;
  }
  closedir(d);
  return n;
}

/* -- the tests ------------------------------------------------------------------------------- */

static void saving_never_changes_the_umask(void **state) {
  (void)state;
  mode_t before = umask(022);
  g_umask_changes = 0;
  g_umask_seen = 0777;
  const char *path = temp_path("umask.pml");
  for (int i = 0; i < 3; ++i) EXPECT_OK(pml_model_save(g_model, path));
  if (g_umask_changes != 0) print_error("saving set the umask to %03o\n", (unsigned)g_umask_seen);
  assert_int_equal(g_umask_changes, 0);
  umask(before);
}

static void a_new_file_gets_0666_less_the_umask(void **state) {
  (void)state;
  mode_t before = umask(027);
  const char *path = temp_path("new-027.pml");
  EXPECT_OK(pml_model_save(g_model, path));
  assert_int_equal(mode_of(path), 0640);
  umask(022);
  path = temp_path("new-022.pml");
  EXPECT_OK(pml_model_save(g_model, path));
  assert_int_equal(mode_of(path), 0644);
  umask(before);
}

static void replacing_a_model_keeps_its_mode(void **state) {
  (void)state;
  mode_t before = umask(022);
  const mode_t modes[] = {0600, 0640, 0664};
  for (int i = 0; i < 3; ++i) {
    const char *path = temp_path("private.pml");
    EXPECT_OK(pml_model_save(g_model, path));
    assert_int_equal(chmod(path, modes[i]), 0);
    EXPECT_OK(pml_model_save(g_model, path));
    assert_int_equal(mode_of(path), modes[i]);
    unlink(path);
  }
  umask(before);
}

static void saving_syncs_the_file_then_its_directory(void **state) {
  (void)state;
  g_file_syncs = g_directory_syncs = g_directory_synced_after_file = 0;
  EXPECT_OK(pml_model_save(g_model, temp_path("durable.pml")));
  assert_true(g_file_syncs >= 1);
  assert_true(g_directory_syncs >= 1);
  assert_true(g_directory_synced_after_file);
  struct stat dir;
  assert_int_equal(stat(test_temp_dir(), &dir), 0);
  assert_true(g_synced_dir_dev == dir.st_dev && g_synced_dir_ino == dir.st_ino);
}

/* Saves into a fresh directory what fails, and checks the status, that the old file (if any) is
 * unchanged and that the directory holds nothing else. */
static void expect_failed_save(const char *dir, const char *target, const char *needle,
                               int expected_entries) {
  EXPECT_STATUS(pml_model_save(g_model, target), PML_ERR_IO, needle);
  assert_int_equal(entries_without_temporaries(dir), expected_entries);
}

static void a_failed_save_leaves_no_temporary_file(void **state) {
  (void)state;
  const char *dir = temp_path("failures");
  assert_int_equal(mkdir(dir, 0755), 0);
  char target[700];
  /* The target is a directory. */
  snprintf(target, sizeof target, "%s/model.pml", dir);
  assert_int_equal(mkdir(target, 0755), 0);
  expect_failed_save(dir, target, "model.pml", 1);
  assert_int_equal(rmdir(target), 0);
  /* The directory does not exist. */
  snprintf(target, sizeof target, "%s/missing/model.pml", dir);
  expect_failed_save(dir, target, "missing/model.pml", 0);
  /* The disk is full (for this process: a file size limit below the model's size); the old
   * model stays as it was. */
  snprintf(target, sizeof target, "%s/model.pml", dir);
  EXPECT_OK(pml_model_save(g_model, target));
  struct rlimit old_limit, small = {64, 64};
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  signal(SIGXFSZ, SIG_IGN);
  small.rlim_max = old_limit.rlim_max;
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
  EXPECT_STATUS(pml_model_save(g_model, target), PML_ERR_IO, "model.pml");
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &old_limit), 0);
  signal(SIGXFSZ, SIG_DFL);
  assert_int_equal(entries_without_temporaries(dir), 1);
  pml_model *back = NULL;
  EXPECT_OK(pml_model_load(target, &back));
  pml_model_free(back);
  /* A read-only directory (root may write anyway, so only checked for others). */
  if (geteuid() != 0) {
    assert_int_equal(chmod(dir, 0555), 0);
    snprintf(target, sizeof target, "%s/other.pml", dir);
    expect_failed_save(dir, target, "other.pml", 1);
    assert_int_equal(chmod(dir, 0755), 0);
  }
}

static void *save_repeatedly(void *path) {
  for (int i = 0; i < 20; ++i) {
    if (pml_model_save(g_model, path) != PML_OK) return (void *)1;
  }
  return NULL;
}

static void concurrent_saves_to_one_path_leave_one_model(void **state) {
  (void)state;
  const char *dir = temp_path("concurrent");
  assert_int_equal(mkdir(dir, 0755), 0);
  static char target[700];
  snprintf(target, sizeof target, "%s/model.pml", dir);
  pthread_t threads[3];
  for (int i = 0; i < 3; ++i)
    assert_int_equal(pthread_create(&threads[i], NULL, save_repeatedly, target), 0);
  for (int i = 0; i < 3; ++i) {
    void *failed = (void *)1;
    pthread_join(threads[i], &failed);
    assert_null(failed);
  }
  assert_int_equal(entries_without_temporaries(dir), 1);
  pml_model *back = NULL;
  EXPECT_OK(pml_model_load(target, &back));
  pml_model_free(back);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(saving_never_changes_the_umask),
      cmocka_unit_test(a_new_file_gets_0666_less_the_umask),
      cmocka_unit_test(replacing_a_model_keeps_its_mode),
      cmocka_unit_test(saving_syncs_the_file_then_its_directory),
      cmocka_unit_test(a_failed_save_leaves_no_temporary_file),
      cmocka_unit_test(concurrent_saves_to_one_path_leave_one_model),
  };
  return cmocka_run_group_tests_name("model_save", tests, setup, teardown);
}
