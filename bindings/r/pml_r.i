/* pml_r.i - R typemaps for bindings/pml.i (included only when SWIG targets R: swig -r).
 *
 * The generated module (R/swig_pml.R + src/pml_wrap.c in the package pml) mirrors pml.h function
 * for function; these typemaps make each call natural for R at the boundary and nothing more:
 *   - handles are R external pointers tagged pml_params / pml_dataset / pml_model, with a C
 *     finalizer that frees the handle when R collects it (pml_handle_free() frees one at once);
 *     output handles become return values;
 *   - a status other than PML_OK is an R error (stop()) whose message is pml_last_error(); every
 *     wrapper therefore returns NULL or its outputs, never a status;
 *   - a dense matrix is a double matrix passed in place as PML_COL_MAJOR float64 (R's own
 *     layout: nothing is copied); labels and weights are double vectors, also passed in place.
 *     A dataset views that memory, so its external pointer keeps those R vectors in its
 *     protected field: they live as long as the dataset, whatever the R code does;
 *   - output arrays (double *out, int64_t out_len) take the length and return a new double
 *     vector that pml filled; output scalars, strings and model buffers (raw vectors) become
 *     return values;
 *   - category names (pml_dataset_set_category_names) are a character vector, which pml copies;
 *   - int64_t arguments are R numbers (doubles hold every row count exactly up to 2^53);
 *     enums are integers (PML_PREDICT_PROBA is 1L).
 * The package's R code (R/*.R) builds the idiomatic layer (pml_forest(), predict(), ...) on top.
 *
 * The C code here never allocates with malloc between argument conversion and the pml call, so
 * the longjmp of an R error leaks nothing: conversions only read R objects, and the few R
 * objects allocated are protected through the wrapper's own counter.
 */

%{
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <R.h>
#include <R_ext/Utils.h>
#include <Rinternals.h>

/* -- errors ----------------------------------------------------------------------------- */

/* stop() with pml's own message; Rf_errorcall copies it before the longjmp. */
static void pml_r_raise(pml_status status) {
  const char *text = pml_last_error();
  if (!text || !*text) text = pml_status_string(status);
  Rf_errorcall(R_NilValue, "%s", text);
}

/* -- handles ---------------------------------------------------------------------------- */

static void pml_r_free_params(SEXP p) {
  pml_params_free((pml_params *)R_ExternalPtrAddr(p));
  R_ClearExternalPtr(p);
}
static void pml_r_free_dataset(SEXP p) {
  pml_dataset_free((pml_dataset *)R_ExternalPtrAddr(p));
  R_ClearExternalPtr(p);
  R_SetExternalPtrProtected(p, R_NilValue); /* the viewed vectors may go now */
}
static void pml_r_free_model(SEXP p) {
  pml_model_free((pml_model *)R_ExternalPtrAddr(p));
  R_ClearExternalPtr(p);
}

/* A new external pointer owning ptr (NULL -> R NULL), keeping prot alive while it exists. */
static SEXP pml_r_new_handle(void *ptr, const char *tag, R_CFinalizer_t fin, SEXP prot) {
  if (!ptr) return R_NilValue;
  SEXP h = PROTECT(R_MakeExternalPtr(ptr, Rf_install(tag), prot));
  R_RegisterCFinalizerEx(h, fin, TRUE);
  UNPROTECT(1);
  return h;
}

/* The pointer inside handle x of kind tag; R NULL is C NULL (pml then names the argument). A
 * freed handle, or one restored by readRDS/load (external pointers do not survive a session), is
 * an error rather than a crash. */
static void *pml_r_handle_address(SEXP x, const char *tag, const char *what) {
  if (Rf_isNull(x)) return NULL;
  if (TYPEOF(x) != EXTPTRSXP || R_ExternalPtrTag(x) != Rf_install(tag)) {
    Rf_errorcall(R_NilValue, "%s must be a %s handle (an external pointer), got a %s", what, tag,
                 Rf_type2char(TYPEOF(x)));
  }
  void *p = R_ExternalPtrAddr(x);
  if (!p) {
    Rf_errorcall(R_NilValue,
                 "%s: the %s handle is no longer valid (freed, or restored from a saved R session)",
                 what, tag);
  }
  return p;
}

/* Frees a handle now instead of at garbage collection; a freed handle or NULL is ignored. */
static void pml_r_release(SEXP x) {
  if (TYPEOF(x) != EXTPTRSXP || !R_ExternalPtrAddr(x)) return;
  SEXP tag = R_ExternalPtrTag(x);
  if (tag == Rf_install("pml_model")) {
    pml_r_free_model(x);
  } else if (tag == Rf_install("pml_dataset")) {
    pml_r_free_dataset(x);
  } else if (tag == Rf_install("pml_params")) {
    pml_r_free_params(x);
  }
}

/* The R vectors the dataset being made views, set by the %exception blocks below just before
 * the pml call and moved into the new dataset's external pointer by its argout typemap. They are
 * arguments of the running .Call (or protected by it), so they are safe from the collector
 * meanwhile; R calls wrappers on one thread only. */
#define PML_R_MAX_KEEP 4
static SEXP pml_r_keep[PML_R_MAX_KEEP];

static void pml_r_keep_clear(void) {
  for (int i = 0; i < PML_R_MAX_KEEP; ++i) pml_r_keep[i] = R_NilValue;
}

static SEXP pml_r_keep_take(void) {
  int n = 0;
  for (int i = 0; i < PML_R_MAX_KEEP; ++i)
    n += pml_r_keep[i] != NULL && pml_r_keep[i] != R_NilValue;
  SEXP list = PROTECT(Rf_allocVector(VECSXP, n));
  for (int i = 0, j = 0; i < PML_R_MAX_KEEP; ++i) {
    if (pml_r_keep[i] != NULL && pml_r_keep[i] != R_NilValue)
      SET_VECTOR_ELT(list, j++, pml_r_keep[i]);
  }
  pml_r_keep_clear();
  UNPROTECT(1);
  return list;
}

/* -- scalars and arrays ----------------------------------------------------------------- */

/* A whole number held by an R integer or double, as int64_t. */
static int64_t pml_r_as_int64(SEXP x, const char *what) {
  if ((TYPEOF(x) != REALSXP && TYPEOF(x) != INTSXP) || XLENGTH(x) != 1) {
    Rf_errorcall(R_NilValue, "%s must be one number", what);
  }
  double v = Rf_asReal(x);
  if (!isfinite(v) || v != floor(v) || fabs(v) > 9007199254740992.0) {
    Rf_errorcall(R_NilValue, "%s must be a whole number, got %g", what, v);
  }
  return (int64_t)v;
}

/* A string argument; R NULL, character(0) and NA are C NULL. */
static const char *pml_r_as_string(SEXP x, const char *what) {
  if (Rf_isNull(x)) return NULL;
  if (TYPEOF(x) != STRSXP || XLENGTH(x) > 1)
    Rf_errorcall(R_NilValue, "%s must be one string", what);
  if (XLENGTH(x) == 0 || STRING_ELT(x, 0) == NA_STRING) return NULL;
  return Rf_translateCharUTF8(STRING_ELT(x, 0));
}

/* A double vector (labels, weights) or NULL, viewed in place. */
static const double *pml_r_as_doubles(SEXP x, const char *what) {
  if (Rf_isNull(x)) return NULL;
  if (TYPEOF(x) != REALSXP) {
    Rf_errorcall(R_NilValue, "%s must be a double vector or NULL, got %s", what,
                 Rf_type2char(TYPEOF(x)));
  }
  return REAL(x);
}

static void pml_r_check_length(SEXP x, int64_t n_rows, const char *what) {
  if (!Rf_isNull(x) && (int64_t)XLENGTH(x) != n_rows) {
    Rf_errorcall(R_NilValue, "%s has %lld values but the data has %lld rows", what,
                 (long long)XLENGTH(x), (long long)n_rows);
  }
}

/* The address of the values most recently handed to pml_dataset_from_dense/_from_csr: tests
 * compare it with the matrix's own address to prove nothing was copied on the way. */
static const void *pml_r_last_values;

/* -- callbacks -------------------------------------------------------------------------- */

static void pml_r_check_interrupt(void *unused) {
  (void)unused;
  R_CheckUserInterrupt();
}

struct pml_r_call {
  SEXP fn;
  const char *stage;
  int64_t done, total;
  int cancel;
};

static void pml_r_call_progress(void *data) {
  struct pml_r_call *c = (struct pml_r_call *)data;
  SEXP call = PROTECT(Rf_lang4(c->fn, Rf_mkString(c->stage), Rf_ScalarReal((double)c->done),
                               Rf_ScalarReal((double)c->total)));
  SEXP r = PROTECT(Rf_eval(call, R_GlobalEnv));
  c->cancel = Rf_asLogical(r) == TRUE;
  UNPROTECT(2);
}

/* pml_progress_fn: runs on the thread that called pml_train, R's main thread, between pml's units
 * of work. Ctrl-C, an error in the R function or a TRUE result cancels the training (pml then
 * returns PML_ERR_CANCELLED); R_ToplevelExec keeps every R longjmp on this side of pml's C++. */
static int pml_r_progress(void *user_data, const char *stage, int64_t done, int64_t total) {
  if (!R_ToplevelExec(pml_r_check_interrupt, NULL)) return 1;
  SEXP fn = (SEXP)user_data;
  if (fn == NULL || fn == R_NilValue) return 0;
  struct pml_r_call c = {fn, stage, done, total, 0};
  if (!R_ToplevelExec(pml_r_call_progress, &c)) return 1;
  return c.cancel;
}

/* pml_log_fn: may run on pml's worker threads, where no R function can be called; lines go
 * straight to the process's standard error. */
static void pml_r_log(void *user_data, pml_log_level level, const char *message) {
  static const char *names[] = {"error", "warning", "info", "debug"};
  (void)user_data;
  fprintf(stderr, "pml %s: %s\n", ((unsigned)level < 4u) ? names[level] : "log", message);
}
%}

%init %{
  pml_r_keep_clear();
%}

/* -- R-side coercions: the C side checks every argument, so the generated R functions pass
 * their arguments through untouched. */
%typemap(scoercein) SWIGTYPE, SWIGTYPE *, SWIGTYPE **, SWIGTYPE ***, const SWIGTYPE *,
    char *, const char *, double, int64_t, int, double *, const double *, int *, void *,
    const void *, enum SWIGTYPE, pml_status, pml_dtype, pml_layout, pml_predict_kind,
    pml_log_level, pml_progress_fn, pml_log_fn, SEXP ""
%typemap(scheck) SWIGTYPE, SWIGTYPE *, SWIGTYPE **, const SWIGTYPE *, char *, const char *,
    double, int64_t, int, double *, const double *, int *, void *, const void *, SEXP ""
%typemap(scoerceout) pml_status, const char *, SEXP, void, enum SWIGTYPE, double ""

/* -- statuses --------------------------------------------------------------------------- */

/* The one exception: the getters of the enum's own values (pml_status_PML_ERR_IO_get, which
 * SWIG's R module generates for defineEnumeration) return them as integers. */
%typemap(out) pml_status {
  if (strncmp("$symname", "pml_status_PML_", 15) == 0) {
    $result = Rf_ScalarInteger((int)$1);
  } else {
    if ($1 != PML_OK) pml_r_raise($1);
    $result = R_NilValue;
  }
}
/* pml_status as an argument (pml_status_string, pml_mpi_all_ok) and the other enums: integers. */
%typemap(in) pml_status, pml_dtype, pml_layout, pml_predict_kind, pml_log_level {
  $1 = ($1_ltype)Rf_asInteger($input);
}
%typemap(out) pml_predict_kind, pml_dtype, pml_layout, pml_log_level
  "$result = Rf_ScalarInteger((int)$1);"

/* -- strings and numbers ---------------------------------------------------------------- */

%typemap(in) const char * "$1 = ($1_ltype)pml_r_as_string($input, \"$1_name\");"
%typemap(freearg) const char * ""
%typemap(out) const char * "$result = $1 ? Rf_mkString($1) : R_NilValue;"
%typemap(in) int64_t "$1 = pml_r_as_int64($input, \"$1_name\");"
%typemap(in) double {
  if (TYPEOF($input) != REALSXP && TYPEOF($input) != INTSXP) {
    Rf_errorcall(R_NilValue, "$1_name must be a number");
  }
  $1 = Rf_asReal($input);
}
%typemap(in) SEXP "$1 = $input;"
%typemap(out) SEXP "$result = $1;"

/* -- output handles and scalars --------------------------------------------------------- */

%typemap(in, numinputs=0) pml_params **out (pml_params *temp = NULL) { $1 = &temp; }
%typemap(argout) pml_params **out {
  $result = pml_r_new_handle(*$1, "pml_params", pml_r_free_params, R_NilValue);
}
%typemap(in, numinputs=0) pml_model **out (pml_model *temp = NULL) { $1 = &temp; }
%typemap(argout) pml_model **out {
  $result = pml_r_new_handle(*$1, "pml_model", pml_r_free_model, R_NilValue);
}
/* A dataset keeps the R vectors it views (pml_r_keep, filled by %exception below). */
%typemap(in, numinputs=0) pml_dataset **out (pml_dataset *temp = NULL) {
  $1 = &temp;
  pml_r_keep_clear();
}
%typemap(argout) pml_dataset **out {
  {
    SEXP keep = PROTECT(pml_r_keep_take());
    $result = pml_r_new_handle(*$1, "pml_dataset", pml_r_free_dataset, keep);
    UNPROTECT(1);
  }
}

/* Input handles: the external pointers above (R NULL is C NULL). */
%typemap(in) const pml_params *, pml_params *
  "$1 = ($1_ltype)pml_r_handle_address($input, \"pml_params\", \"$1_name\");"
%typemap(in) const pml_dataset *, pml_dataset *
  "$1 = ($1_ltype)pml_r_handle_address($input, \"pml_dataset\", \"$1_name\");"
%typemap(in) const pml_model *, pml_model *
  "$1 = ($1_ltype)pml_r_handle_address($input, \"pml_model\", \"$1_name\");"

/* Named, so that no input array (const int64_t *indptr) is mistaken for an output. */
%typemap(in, numinputs=0) int64_t *out (int64_t temp = 0), int64_t *n_out (int64_t temp = 0) { $1 = &temp; }
%typemap(argout) int64_t *out, int64_t *n_out "$result = Rf_ScalarReal((double)*$1);"
%typemap(in, numinputs=0) (int64_t *n_rows, int64_t *n_cols) (int64_t rows = 0, int64_t cols = 0) {
  $1 = &rows;
  $2 = &cols;
}
%typemap(argout) (int64_t *n_rows, int64_t *n_cols) {
  $result = Rf_allocVector(REALSXP, 2);
  REAL($result)[0] = (double)*$1;
  REAL($result)[1] = (double)*$2;
}
%typemap(in, numinputs=0) int *rank (int temp = 0), int *size (int temp = 0) { $1 = &temp; }
%typemap(argout) int *rank, int *size "$result = Rf_ScalarInteger(*$1);"
%typemap(in, numinputs=0) double *out (double temp = 0) { $1 = &temp; }
%typemap(argout) double *out "$result = Rf_ScalarReal(*$1);"

/* Static or handle-owned strings (NULL -> R NULL). */
%typemap(in, numinputs=0) const char ** (const char *temp = NULL) { $1 = ($1_ltype)&temp; }
%typemap(argout) const char ** "$result = *$1 ? Rf_mkString(*$1) : R_NilValue;"

/* Strings and buffers pml allocated for the caller: copied into R objects, then freed. (Only an
 * R allocation failure, which longjmps, could skip the pml_free and leak that one buffer.) */
%typemap(in, numinputs=0) char **json (char *temp = NULL) { $1 = &temp; }
%typemap(argout) char **json {
  {
    SEXP s = PROTECT(Rf_mkCharCE(*$1, CE_UTF8));
    pml_free(*$1);
    *$1 = NULL;
    $result = Rf_ScalarString(s);
    UNPROTECT(1);
  }
}
%typemap(in, numinputs=0) (void **buf, int64_t *len) (void *temp = NULL, int64_t n = 0) {
  $1 = &temp;
  $2 = &n;
}
%typemap(argout) (void **buf, int64_t *len) {
  $result = Rf_allocVector(RAWSXP, (R_xlen_t)*$2);
  if (*$2 > 0) memcpy(RAW($result), *$1, (size_t)*$2);
  pml_free(*$1);
  *$1 = NULL;
}

/* pml_mpi_init: R has no argc/argv to hand over. */
%typemap(in, numinputs=0) int *argc { $1 = NULL; }
%typemap(in, numinputs=0) char ***argv { $1 = NULL; }

/* -- input arrays ----------------------------------------------------------------------- */

/* A dense matrix: a double matrix, viewed in place in R's column-major order. */
%typemap(in) (const void *values, pml_dtype dtype, pml_layout layout, int64_t n_rows, int64_t n_cols) {
  {
    SEXP dim = Rf_getAttrib($input, R_DimSymbol);
    if (TYPEOF($input) != REALSXP || TYPEOF(dim) != INTSXP || XLENGTH(dim) != 2) {
      Rf_errorcall(R_NilValue, "values must be a double matrix, got %s%s",
                   Rf_type2char(TYPEOF($input)),
                   TYPEOF(dim) == INTSXP ? "" : " without dimensions");
    }
    $1 = REAL($input);
    $2 = PML_FLOAT64;
    $3 = PML_COL_MAJOR;
    $4 = (int64_t)INTEGER(dim)[0];
    $5 = (int64_t)INTEGER(dim)[1];
    pml_r_last_values = $1;
  }
}
%typemap(in) const double *labels, const double *weights
  "$1 = ($1_ltype)pml_r_as_doubles($input, \"$1_name\");"
%typemap(freearg) const double *labels, const double *weights ""

/* CSR parts: indptr as R numbers (R has no 64-bit integers; converted once into a raw vector
 * that the dataset keeps), indices as 0-based R integers, values as doubles, both in place. */
%typemap(in) const int64_t *indptr (SEXP copy = R_NilValue) {
  {
    if (TYPEOF($input) != REALSXP && TYPEOF($input) != INTSXP) {
      Rf_errorcall(R_NilValue, "indptr must be a numeric vector");
    }
    R_xlen_t n = XLENGTH($input);
    copy = PROTECT(Rf_allocVector(RAWSXP, n * (R_xlen_t)sizeof(int64_t)));
    r_nprotect++;
    int64_t *p = (int64_t *)RAW(copy);
    for (R_xlen_t i = 0; i < n; ++i) {
      double v = TYPEOF($input) == REALSXP ? REAL($input)[i] : (double)INTEGER($input)[i];
      if (!isfinite(v) || v != floor(v)) Rf_errorcall(R_NilValue, "indptr must hold whole numbers");
      p[i] = (int64_t)v;
    }
    $1 = p;
  }
}
%typemap(in) const int32_t *indices {
  if (TYPEOF($input) != INTSXP) Rf_errorcall(R_NilValue, "indices must be an integer vector");
  $1 = ($1_ltype)INTEGER($input);
}
%typemap(in) (const void *values, pml_dtype dtype) {
  if (TYPEOF($input) != REALSXP) Rf_errorcall(R_NilValue, "values must be a double vector");
  $1 = REAL($input);
  $2 = PML_FLOAT64;
  pml_r_last_values = $1;
}

/* Category names: a character vector (a factor's levels), code k of the column meaning its
 * (k+1)-th string; NULL or character(0) removes the column's names. pml copies the strings, so
 * the dataset keeps nothing. The array of pointers is R_alloc'ed: R releases it when the .Call
 * returns, or when an error longjmps out of it. NA is refused here (it has no text to give pml);
 * pml checks everything else (duplicates, too many names, the column) with its own message. */
%typemap(in) (const char *const *names, int64_t n_names) {
  {
    if (!Rf_isNull($input) && TYPEOF($input) != STRSXP) {
      Rf_errorcall(R_NilValue, "names must be a character vector or NULL, got %s",
                   Rf_type2char(TYPEOF($input)));
    }
    R_xlen_t n = Rf_isNull($input) ? 0 : XLENGTH($input);
    const char **p = NULL;
    if (n > 0) {
      p = (const char **)R_alloc((size_t)n, sizeof *p);
      for (R_xlen_t i = 0; i < n; ++i) {
        SEXP s = STRING_ELT($input, i);
        if (s == NA_STRING) {
          Rf_errorcall(R_NilValue, "names[%lld] is NA: a category needs a name",
                       (long long)i + 1);
        }
        p[i] = Rf_translateCharUTF8(s);
      }
    }
    $1 = ($1_ltype)p;
    $2 = (int64_t)n;
  }
}
%typemap(freearg) (const char *const *names, int64_t n_names) ""

/* A model buffer: a raw vector, copied by pml. */
%typemap(in) (const void *buf, int64_t len) {
  if (TYPEOF($input) != RAWSXP) Rf_errorcall(R_NilValue, "buf must be a raw vector");
  $1 = RAW($input);
  $2 = (int64_t)XLENGTH($input);
}

/* -- output arrays ---------------------------------------------------------------------- */

/* The argument is the length; the result a new double vector of that length that pml filled. */
%typemap(in) (double *out, int64_t out_len) (SEXP vec = R_NilValue) {
  {
    int64_t n = pml_r_as_int64($input, "out_len");
    if (n < 0) Rf_errorcall(R_NilValue, "out_len must be >= 0");
    vec = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)n));
    r_nprotect++;
    $1 = REAL(vec);
    $2 = n;
  }
}
%typemap(argout) (double *out, int64_t out_len) "$result = vec$argnum;"

/* pml_model_eval_history: the values of min(out_len, rounds) rounds, with the number of rounds
 * trained as attribute "n_rounds" (call with 0 to learn it). */
%typemap(in) (double *out, int64_t out_len, int64_t *n_rounds) (SEXP vec = R_NilValue, int64_t rounds = 0) {
  {
    int64_t n = pml_r_as_int64($input, "out_len");
    if (n < 0) Rf_errorcall(R_NilValue, "out_len must be >= 0");
    vec = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)n));
    r_nprotect++;
    $1 = n > 0 ? REAL(vec) : NULL;
    $2 = n;
    $3 = &rounds;
  }
}
%typemap(argout) (double *out, int64_t out_len, int64_t *n_rounds) {
  {
    int64_t kept = rounds$argnum < $2 ? rounds$argnum : $2;
    SEXP v = PROTECT(Rf_xlengthgets(vec$argnum, (R_xlen_t)kept));
    Rf_setAttrib(v, Rf_install("n_rounds"), Rf_ScalarReal((double)rounds$argnum));
    $result = v;
    UNPROTECT(1);
  }
}

/* -- cross-argument checks and keeping viewed vectors alive ------------------------------ */

/* pml reads as many labels / weights as the matrix has rows, so a shorter R vector is refused
 * here, before pml could read past its end. The SEXP names are the C parameter names. */
%exception pml_dataset_from_dense {
  pml_r_check_length(labels, arg4, "labels");
  pml_r_keep[0] = values;
  pml_r_keep[2] = labels;
  $action
}
%exception pml_dataset_from_csr {
  if (arg5 < 0) Rf_errorcall(R_NilValue, "n_rows must be >= 0, got %lld", (long long)arg5);
  if ((int64_t)XLENGTH(indptr) != arg5 + 1) {
    Rf_errorcall(R_NilValue, "indptr must have n_rows + 1 = %lld values, got %lld",
                 (long long)arg5 + 1, (long long)XLENGTH(indptr));
  }
  {
    const int64_t nnz = arg1[arg5];
    if (nnz < 0 || (int64_t)XLENGTH(indices) < nnz || (int64_t)XLENGTH(values) < nnz) {
      Rf_errorcall(R_NilValue,
                   "indptr[n_rows] = %lld entries, but indices has %lld and values %lld",
                   (long long)nnz, (long long)XLENGTH(indices), (long long)XLENGTH(values));
    }
  }
  pml_r_check_length(labels, arg5, "labels");
  pml_r_keep[0] = values;
  pml_r_keep[1] = copy1; /* the int64 copy of indptr (a local of its typemap) */
  pml_r_keep[2] = labels;
  pml_r_keep[3] = indices;
  $action
}
/* Weights are viewed too: the dataset's external pointer keeps them with its other vectors. */
%exception pml_dataset_set_weights {
  if (!Rf_isNull(weights)) {
    int64_t rows = 0;
    if (pml_dataset_shape(arg1, &rows, NULL) != PML_OK) pml_r_raise(PML_ERR_INVALID_ARGUMENT);
    pml_r_check_length(weights, rows, "weights");
  }
  $action
  if (result == PML_OK) {
    SEXP old = R_ExternalPtrProtected(d);
    SEXP keep = PROTECT(Rf_allocVector(VECSXP, 2));
    SET_VECTOR_ELT(keep, 0, old);
    SET_VECTOR_ELT(keep, 1, weights);
    R_SetExternalPtrProtected(d, keep);
    UNPROTECT(1);
  }
}

/* -- callbacks -------------------------------------------------------------------------- */

/* An R function(stage, done, total) returning TRUE to cancel, or NULL for none. Either way the
 * callback installed lets Ctrl-C cancel a training. The params handle keeps the function. */
%typemap(in) (pml_progress_fn fn, void *user_data) {
  if (!Rf_isNull($input) && !Rf_isFunction($input)) {
    Rf_errorcall(R_NilValue, "the progress callback must be a function or NULL");
  }
  $1 = pml_r_progress;
  $2 = Rf_isNull($input) ? NULL : (void *)$input;
}
%exception pml_params_set_progress {
  $action
  if (result == PML_OK) R_SetExternalPtrProtected(p, fn);
}

/* TRUE installs a handler that writes pml's log lines to standard error; FALSE or NULL restores
 * silence. (An R function cannot be the handler: pml logs from its worker threads.) */
%typemap(in) (pml_log_fn fn, void *user_data) {
  $1 = (!Rf_isNull($input) && Rf_asLogical($input) == TRUE) ? pml_r_log : NULL;
  $2 = NULL;
}

/* SWIG's R module frees pointer arguments it copied from R vectors; these typemaps copy
 * nothing. */
%typemap(freearg) int64_t *out, int64_t *n_out, double *out, int *rank, int *size, int *argc,
    char ***argv, const int64_t *indptr, const int32_t *indices, const char ** ""

/* -- freeing ---------------------------------------------------------------------------- */

/* Handles are freed by their finalizers, or at once by pml_handle_free(); the C free functions
 * would leave a dangling external pointer behind, and R never holds a pml_free buffer. */
%ignore pml_params_free;
%ignore pml_dataset_free;
%ignore pml_model_free;
%ignore pml_free;

%inline %{
/* Frees a pml_params, pml_dataset or pml_model handle now; NULL or a freed handle is ignored. */
static SEXP pml_handle_free(SEXP handle) {
  pml_r_release(handle);
  return R_NilValue;
}

/* TRUE if handle still holds a live pml object (FALSE after pml_handle_free or readRDS). */
static SEXP pml_handle_valid(SEXP handle) {
  return Rf_ScalarLogical(TYPEOF(handle) == EXTPTRSXP && R_ExternalPtrAddr(handle) != NULL);
}

/* Test hook: the address of the values array most recently handed to pml_dataset_from_dense
 * or _from_csr, and the address of an R double vector, as strings. */
static SEXP pml_debug_last_values_address(void) {
  char text[32];
  snprintf(text, sizeof text, "%p", pml_r_last_values);
  return Rf_mkString(text);
}
static SEXP pml_debug_address(SEXP x) {
  char text[32];
  snprintf(text, sizeof text, "%p", TYPEOF(x) == REALSXP ? (const void *)REAL(x) : NULL);
  return Rf_mkString(text);
}
%}

