/* pml_python.i - Python typemaps for bindings/pml.i (included only when SWIG targets Python).
 *
 * The generated module pml.capi mirrors pml.h function for function; these typemaps make each
 * call Pythonic at the boundary and nothing more:
 *   - arrays cross through the buffer protocol (numpy arrays, memoryviews, bytes), never copied:
 *     a 2-D float32/float64 array that is C- or F-contiguous is handed to pml as is, with
 *     PML_ROW_MAJOR or PML_COL_MAJOR and its dtype; anything else is refused (the pml package
 *     converts it once, and keeps the arrays a dataset views alive);
 *   - output arrays (double *out, int64_t out_len) are caller-allocated writable float64 buffers;
 *   - category names (const char *const *names, int64_t n_names) are a sequence of str;
 *   - output handles and scalars become return values;
 *   - a status other than PML_OK raises pml.PmlError or one of its subclasses, with
 *     pml_last_error() as the message (InvalidArgumentError and FormatError are also ValueError,
 *     PmlIOError is an OSError, OutOfMemoryError a MemoryError);
 *   - the calls whose cost grows with the data release the GIL;
 *   - a Python callable can be the progress callback (an exception it raises, such as
 *     KeyboardInterrupt, cancels training and is re-raised by the cancelled call) or the log
 *     handler.
 * Handles are plain pointers here; the pml package wraps them in classes that free them.
 */

%{
#define PY_SSIZE_T_CLEAN
#include <string.h>

/* -- errors ----------------------------------------------------------------------------- */

/* Exception class per pml_status, created at module initialisation. */
#define PML_PY_N_STATUS 9
static PyObject *pml_py_error_classes[PML_PY_N_STATUS];

/* An exception raised by a Python progress callback, kept (per thread: the callback runs in the
 * thread that called pml_train) until the cancelled call returns and re-raises it. */
#if defined(_MSC_VER)
#define PML_PY_THREAD_LOCAL __declspec(thread)
#else
#define PML_PY_THREAD_LOCAL _Thread_local
#endif
static PML_PY_THREAD_LOCAL PyObject *pml_py_pending_type;
static PML_PY_THREAD_LOCAL PyObject *pml_py_pending_value;
static PML_PY_THREAD_LOCAL PyObject *pml_py_pending_traceback;

static void pml_py_stash_exception(void) {
  Py_CLEAR(pml_py_pending_type);
  Py_CLEAR(pml_py_pending_value);
  Py_CLEAR(pml_py_pending_traceback);
  PyErr_Fetch(&pml_py_pending_type, &pml_py_pending_value, &pml_py_pending_traceback);
}

/* Re-raises the stashed exception; returns 0 if there was none. */
static int pml_py_restore_exception(void) {
  if (!pml_py_pending_type) return 0;
  PyErr_Restore(pml_py_pending_type, pml_py_pending_value, pml_py_pending_traceback);
  pml_py_pending_type = pml_py_pending_value = pml_py_pending_traceback = NULL;
  return 1;
}

/* Sets the Python exception for a failed status (called with the GIL held, in the thread that
 * made the failing call, so pml_last_error() is that call's message). */
static void pml_py_raise(pml_status status) {
  if (status == PML_ERR_CANCELLED && pml_py_restore_exception()) return;
  Py_CLEAR(pml_py_pending_type); /* a stale stash must not surface in a later call */
  Py_CLEAR(pml_py_pending_value);
  Py_CLEAR(pml_py_pending_traceback);
  int index = (int)status;
  if (index <= 0 || index >= PML_PY_N_STATUS) index = (int)PML_ERR_INTERNAL;
  PyObject *cls = pml_py_error_classes[index];
  const char *text = pml_last_error();
  PyObject *message = PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "replace");
  if (!message) return;
  PyObject *error = PyObject_CallOneArg(cls, message);
  Py_DECREF(message);
  if (!error) return;
  PyObject *code = PyLong_FromLong((long)status);
  if (code) {
    PyObject_SetAttrString(error, "status", code);
    Py_DECREF(code);
  }
  PyErr_SetObject(cls, error);
  Py_DECREF(error);
}

/* Creates pml.PmlError and its subclasses and adds them to the module dictionary. */
static int pml_py_init_errors(PyObject *module_dict) {
  struct {
    pml_status status;
    const char *name;
    PyObject *also; /* a built-in exception the class also derives from, or NULL */
    const char *doc;
  } table[] = {
      {PML_ERR_INVALID_ARGUMENT, "InvalidArgumentError", PyExc_ValueError,
       "A bad argument or parameter (PML_ERR_INVALID_ARGUMENT); also a ValueError."},
      {PML_ERR_OUT_OF_MEMORY, "OutOfMemoryError", PyExc_MemoryError,
       "An allocation failed (PML_ERR_OUT_OF_MEMORY); also a MemoryError."},
      {PML_ERR_IO, "PmlIOError", PyExc_OSError,
       "A file could not be opened, read or written (PML_ERR_IO); also an OSError."},
      {PML_ERR_FORMAT, "FormatError", PyExc_ValueError,
       "A malformed, truncated or corrupt data or model file (PML_ERR_FORMAT); also a ValueError."},
      {PML_ERR_UNSUPPORTED, "UnsupportedError", NULL,
       "A valid request this build cannot do (PML_ERR_UNSUPPORTED)."},
      {PML_ERR_DISTRIBUTED, "DistributedError", NULL,
       "A cluster-mode failure (PML_ERR_DISTRIBUTED)."},
      {PML_ERR_CANCELLED, "CancelledError", NULL,
       "The progress callback asked to stop (PML_ERR_CANCELLED)."},
      {PML_ERR_INTERNAL, "InternalError", NULL, "A bug in pml (PML_ERR_INTERNAL)."},
  };
  PyObject *base = PyErr_NewExceptionWithDoc(
      "pml.PmlError",
      "A pml call failed. str(error) is pml_last_error(); error.status is the pml_status.", NULL,
      NULL);
  if (!base || PyDict_SetItemString(module_dict, "PmlError", base) < 0) return -1;
  pml_py_error_classes[0] = base;
  for (size_t i = 0; i < sizeof table / sizeof table[0]; ++i) {
    char qualified[64];
    PyOS_snprintf(qualified, sizeof qualified, "pml.%s", table[i].name);
    PyObject *bases = table[i].also ? PyTuple_Pack(2, base, table[i].also) : PyTuple_Pack(1, base);
    if (!bases) return -1;
    PyObject *cls = PyErr_NewExceptionWithDoc(qualified, table[i].doc, bases, NULL);
    Py_DECREF(bases);
    if (!cls || PyDict_SetItemString(module_dict, table[i].name, cls) < 0) return -1;
    pml_py_error_classes[table[i].status] = cls; /* the module dict and this table own it */
  }
  return 0;
}

/* -- arrays ----------------------------------------------------------------------------- */

/* The element type of a buffer ('f', 'd', 'i', 'l', 'q', ...) if it is a single native-order
 * item, else 0. */
static char pml_py_item_code(const Py_buffer *view) {
  const char *f = view->format ? view->format : "B";
  const unsigned one = 1;
  const int little = *(const unsigned char *)&one == 1;
  if (*f == '@' || *f == '=') {
    ++f;
  } else if (*f == '<' || *f == '>' || *f == '!') {
    if ((*f == '<') != little) return 0; /* byte-swapped: pml reads native numbers only */
    ++f;
  }
  return (f[0] && !f[1]) ? f[0] : 0;
}

/* Gets a read-only view of obj and checks its element type; sets a Python error and returns -1
 * on failure. name is the argument's name for messages. */
static int pml_py_get_view(PyObject *obj, Py_buffer *view, int flags, const char *name) {
  if (PyObject_GetBuffer(obj, view, flags) != 0) {
    PyErr_Format(PyExc_TypeError, "%s must be an array supporting the buffer protocol, got %s",
                 name, Py_TYPE(obj)->tp_name);
    return -1;
  }
  return 0;
}

static int pml_py_is_float(const Py_buffer *v, pml_dtype *dtype) {
  char c = pml_py_item_code(v);
  if (c == 'f' && v->itemsize == 4) {
    *dtype = PML_FLOAT32;
    return 1;
  }
  if (c == 'd' && v->itemsize == 8) {
    *dtype = PML_FLOAT64;
    return 1;
  }
  return 0;
}

/* A 1-D contiguous buffer of doubles (labels, weights) or None; sets *len (-1 for None). */
static int pml_py_double_vector(PyObject *obj, Py_buffer *view, int *have, const double **ptr,
                                Py_ssize_t *len, const char *name) {
  *ptr = NULL;
  *len = -1;
  if (obj == Py_None) return 0;
  if (pml_py_get_view(obj, view, PyBUF_ND | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS, name) < 0) return -1;
  *have = 1;
  if (view->ndim != 1 || pml_py_item_code(view) != 'd' || view->itemsize != 8) {
    PyErr_Format(PyExc_TypeError, "%s must be a 1-D contiguous float64 array or None", name);
    return -1;
  }
  *ptr = (const double *)view->buf;
  *len = view->shape[0];
  return 0;
}

static int pml_py_check_length(Py_ssize_t len, int64_t n_rows, const char *name) {
  if (len >= 0 && (int64_t)len != n_rows) {
    PyErr_Format(PyExc_ValueError, "%s has %zd values but the data has %lld rows", name, len,
                 (long long)n_rows);
    return -1;
  }
  return 0;
}

/* The data pointer of the last dense or CSR values array handed to pml_dataset_from_dense or
 * pml_dataset_from_csr: tests compare it with the array's own address to prove nothing was
 * copied on the way. */
static const void *pml_py_last_values;

/* -- callbacks -------------------------------------------------------------------------- */

/* pml_progress_fn calling a Python callable(stage, done, total); a true result or an exception
 * cancels (the exception is re-raised when the cancelled call returns). pml calls it from the
 * thread that called pml_train, which released the GIL. Signal handlers run first, so Ctrl-C
 * (KeyboardInterrupt) stops a training within the callback's throttle interval. */
static int pml_py_progress(void *user_data, const char *stage, int64_t done, int64_t total) {
  PyGILState_STATE gil = PyGILState_Ensure();
  int cancel = 0;
  PyObject *callable = (PyObject *)user_data;
  if (PyErr_CheckSignals() < 0) { /* Ctrl-C while training: KeyboardInterrupt, cancel */
    pml_py_stash_exception();
    PyGILState_Release(gil);
    return 1;
  }
  Py_INCREF(callable); /* it may replace itself while it runs */
  PyObject *r = PyObject_CallFunction(callable, "sLL", stage, (long long)done, (long long)total);
  Py_DECREF(callable);
  if (!r) {
    pml_py_stash_exception();
    cancel = 1;
  } else {
    int truth = PyObject_IsTrue(r);
    Py_DECREF(r);
    if (truth < 0) pml_py_stash_exception();
    cancel = truth != 0;
  }
  PyGILState_Release(gil);
  return cancel;
}

/* The progress callables of live params handles, keyed by handle address: a callable must live
 * as long as pml may call it, whatever the Python code does with its own references. */
static PyObject *pml_py_progress_refs;

/* Keeps callable (NULL: forgets) for params p; returns -1 with a Python error on failure. */
static int pml_py_keep_progress(const void *p, PyObject *callable) {
  if (!p) return 0;
  if (!pml_py_progress_refs && !(pml_py_progress_refs = PyDict_New())) return -1;
  PyObject *key = PyLong_FromVoidPtr((void *)p);
  if (!key) return -1;
  int rc = 0;
  if (callable) {
    rc = PyDict_SetItem(pml_py_progress_refs, key, callable);
  } else if (PyDict_DelItem(pml_py_progress_refs, key) < 0) {
    PyErr_Clear(); /* it had none */
  }
  Py_DECREF(key);
  return rc;
}

/* The Python log handler (a callable(level, message)), owned here. */
static PyObject *pml_py_log_callable;

static void pml_py_log(void *user_data, pml_log_level level, const char *message) {
  (void)user_data;
  PyGILState_STATE gil = PyGILState_Ensure();
  if (pml_py_log_callable) {
    PyObject *r = PyObject_CallFunction(pml_py_log_callable, "is", (int)level, message);
    if (r) {
      Py_DECREF(r);
    } else {
      PyErr_WriteUnraisable(pml_py_log_callable); /* a log line cannot fail the work */
    }
  }
  PyGILState_Release(gil);
}
%}

%init %{
  if (pml_py_init_errors(d) < 0) return NULL;
%}

/* -- statuses --------------------------------------------------------------------------- */

%typemap(out) pml_status {
  if ($1 != PML_OK) {
    pml_py_raise($1);
    SWIG_fail;
  }
  $result = SWIG_Py_Void();
}

/* -- output handles and scalars --------------------------------------------------------- */

%define PML_PY_OUTPUT_HANDLE(TYPE)
%typemap(in, numinputs=0) TYPE ** (TYPE *temp = NULL) { $1 = &temp; }
%typemap(argout) TYPE ** {
  $result = SWIG_Python_AppendOutput($result, SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $*1_descriptor, 0));
}
%enddef
PML_PY_OUTPUT_HANDLE(pml_params)
PML_PY_OUTPUT_HANDLE(pml_dataset)
PML_PY_OUTPUT_HANDLE(pml_model)

/* Named, so that no input array (const int64_t *indptr) is mistaken for an output. */
%typemap(in, numinputs=0) int64_t *out (int64_t temp = 0), int64_t *n_out (int64_t temp = 0),
    int64_t *n_rows (int64_t temp = 0), int64_t *n_cols (int64_t temp = 0),
    int64_t *n_rounds (int64_t temp = 0) { $1 = &temp; }
%typemap(argout) int64_t *out, int64_t *n_out, int64_t *n_rows, int64_t *n_cols, int64_t *n_rounds {
  $result = SWIG_Python_AppendOutput($result, PyLong_FromLongLong((long long)*$1));
}
%typemap(in, numinputs=0) int *rank (int temp = 0), int *size (int temp = 0) { $1 = &temp; }
%typemap(argout) int *rank, int *size { $result = SWIG_Python_AppendOutput($result, PyLong_FromLong(*$1)); }
%typemap(in, numinputs=0) double *out (double temp = 0) { $1 = &temp; }
%typemap(argout) double *out { $result = SWIG_Python_AppendOutput($result, PyFloat_FromDouble(*$1)); }

/* Static or handle-owned strings (NULL -> None). */
%typemap(in, numinputs=0) const char ** (const char *temp = NULL) { $1 = ($1_ltype)&temp; }
%typemap(argout) const char ** {
  PyObject *s = *$1 ? PyUnicode_DecodeUTF8(*$1, (Py_ssize_t)strlen(*$1), "replace") : SWIG_Py_Void();
  $result = SWIG_Python_AppendOutput($result, s);
}

/* Strings and buffers pml allocated for the caller: copied into Python objects, then freed. */
%typemap(in, numinputs=0) char **json (char *temp = NULL) { $1 = &temp; }
%typemap(argout) char **json {
  $result = SWIG_Python_AppendOutput($result, PyUnicode_DecodeUTF8(*$1, (Py_ssize_t)strlen(*$1), "replace"));
}
%typemap(freearg) char **json { pml_free(temp$argnum); }

%typemap(in, numinputs=0) (void **buf, int64_t *len) (void *temp = NULL, int64_t n = 0) {
  $1 = &temp;
  $2 = &n;
}
%typemap(argout) (void **buf, int64_t *len) {
  $result = SWIG_Python_AppendOutput($result, PyBytes_FromStringAndSize((const char *)*$1, (Py_ssize_t)*$2));
}
%typemap(freearg) (void **buf, int64_t *len) { pml_free(temp$argnum); }

/* pml_mpi_init: the Python process has no argc/argv to hand over. */
%typemap(in, numinputs=0) int *argc { $1 = NULL; }
%typemap(in, numinputs=0) char ***argv { $1 = NULL; }

/* -- input arrays ----------------------------------------------------------------------- */

/* A dense matrix: one 2-D float32/float64 buffer, C- or F-contiguous, viewed in place. */
%typemap(in) (const void *values, pml_dtype dtype, pml_layout layout, int64_t n_rows, int64_t n_cols)
    (Py_buffer view, int have_view = 0) {
  if (pml_py_get_view($input, &view, PyBUF_RECORDS_RO, "values") < 0) SWIG_fail;
  have_view = 1;
  if (view.ndim != 2) {
    PyErr_Format(PyExc_ValueError, "values must be a 2-D array, got %d dimension(s)", view.ndim);
    SWIG_fail;
  }
  if (!pml_py_is_float(&view, &$2)) {
    PyErr_Format(PyExc_TypeError, "values must hold float32 or float64, got format '%s'",
                 view.format ? view.format : "B");
    SWIG_fail;
  }
  if (PyBuffer_IsContiguous(&view, 'C')) {
    $3 = PML_ROW_MAJOR;
  } else if (PyBuffer_IsContiguous(&view, 'F')) {
    $3 = PML_COL_MAJOR;
  } else {
    PyErr_SetString(PyExc_ValueError, "values must be C- or F-contiguous (no strided views)");
    SWIG_fail;
  }
  $1 = view.buf;
  $4 = (int64_t)view.shape[0];
  $5 = (int64_t)view.shape[1];
  pml_py_last_values = view.buf;
}
%typemap(freearg) (const void *values, pml_dtype dtype, pml_layout layout, int64_t n_rows, int64_t n_cols) {
  if (have_view$argnum) PyBuffer_Release(&view$argnum);
}

/* CSR parts, each a 1-D contiguous buffer: indptr int64, indices int32, values float32/64. */
%typemap(in) const int64_t *indptr (Py_buffer view, int have_view = 0, Py_ssize_t len = 0) {
  if (pml_py_get_view($input, &view, PyBUF_ND | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS, "indptr") < 0) SWIG_fail;
  have_view = 1;
  char c = pml_py_item_code(&view);
  if (view.ndim != 1 || view.itemsize != 8 || (c != 'l' && c != 'q')) {
    PyErr_SetString(PyExc_TypeError, "indptr must be a 1-D contiguous int64 array");
    SWIG_fail;
  }
  $1 = ($1_ltype)view.buf;
  len = view.shape[0];
}
%typemap(freearg) const int64_t *indptr { if (have_view$argnum) PyBuffer_Release(&view$argnum); }

%typemap(in) const int32_t *indices (Py_buffer view, int have_view = 0, Py_ssize_t len = 0) {
  if (pml_py_get_view($input, &view, PyBUF_ND | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS, "indices") < 0) SWIG_fail;
  have_view = 1;
  char c = pml_py_item_code(&view);
  if (view.ndim != 1 || view.itemsize != 4 || (c != 'i' && c != 'l')) {
    PyErr_SetString(PyExc_TypeError, "indices must be a 1-D contiguous int32 array");
    SWIG_fail;
  }
  $1 = ($1_ltype)view.buf;
  len = view.shape[0];
}
%typemap(freearg) const int32_t *indices { if (have_view$argnum) PyBuffer_Release(&view$argnum); }

%typemap(in) (const void *values, pml_dtype dtype) (Py_buffer view, int have_view = 0, Py_ssize_t len = 0) {
  if (pml_py_get_view($input, &view, PyBUF_ND | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS, "values") < 0) SWIG_fail;
  have_view = 1;
  if (view.ndim != 1 || !pml_py_is_float(&view, &$2)) {
    PyErr_SetString(PyExc_TypeError, "values must be a 1-D contiguous float32 or float64 array");
    SWIG_fail;
  }
  $1 = view.buf;
  len = view.shape[0];
  pml_py_last_values = view.buf;
}
%typemap(freearg) (const void *values, pml_dtype dtype) { if (have_view$argnum) PyBuffer_Release(&view$argnum); }

/* Labels and weights: a 1-D contiguous float64 buffer with one value per row, or None. The row
 * count is only known to the whole call, so each function checks it below. */
%typemap(in) const double *labels (Py_buffer view, int have_view = 0, Py_ssize_t len = -1),
             const double *weights (Py_buffer view, int have_view = 0, Py_ssize_t len = -1) {
  const double *p = NULL;
  if (pml_py_double_vector($input, &view, &have_view, &p, &len, "$1_name") < 0) SWIG_fail;
  $1 = ($1_ltype)p;
}
%typemap(freearg) const double *labels, const double *weights {
  if (have_view$argnum) PyBuffer_Release(&view$argnum);
}

/* Category names: a sequence of str (a list, a tuple, a numpy array of str, ...), each passed
 * as UTF-8; None or an empty sequence -> (NULL, 0), which removes a column's names. A single str
 * is refused rather than taken as a sequence of one-letter names. The UTF-8 bytes belong to the
 * str objects, which the sequence keeps alive until the call returns (pml copies them). */
%typemap(in) (const char *const *names, int64_t n_names) (PyObject *seq = NULL, const char **ptrs = NULL) {
  if ($input == Py_None) {
    $1 = NULL;
    $2 = 0;
  } else {
    if (PyUnicode_Check($input) || PyBytes_Check($input)) {
      PyErr_SetString(PyExc_TypeError, "names must be a sequence of str, not a single string");
      SWIG_fail;
    }
    seq = PySequence_Fast($input, "names must be a sequence of str");
    if (!seq) SWIG_fail;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    ptrs = (const char **)PyMem_Malloc((size_t)(n > 0 ? n : 1) * sizeof(const char *));
    if (!ptrs) {
      PyErr_NoMemory();
      SWIG_fail;
    }
    for (Py_ssize_t i = 0; i < n; ++i) {
      PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
      if (!PyUnicode_Check(item)) {
        PyErr_Format(PyExc_TypeError, "names[%zd] must be a str, got %s", i, Py_TYPE(item)->tp_name);
        SWIG_fail;
      }
      Py_ssize_t size = 0;
      const char *utf8 = PyUnicode_AsUTF8AndSize(item, &size);
      if (!utf8) SWIG_fail;
      if ((size_t)size != strlen(utf8)) {
        PyErr_Format(PyExc_ValueError, "names[%zd] contains a NUL character", i);
        SWIG_fail;
      }
      ptrs[i] = utf8;
    }
    $1 = ($1_ltype)ptrs; /* SWIG drops the inner const; the call casts it back */
    $2 = (int64_t)n;
  }
}
%typemap(freearg) (const char *const *names, int64_t n_names) {
  PyMem_Free(ptrs$argnum);
  Py_XDECREF(seq$argnum);
}

/* A model buffer: any bytes-like object. */
%typemap(in) (const void *buf, int64_t len) (Py_buffer view, int have_view = 0) {
  if (PyObject_GetBuffer($input, &view, PyBUF_SIMPLE) != 0) SWIG_fail;
  have_view = 1;
  $1 = view.buf;
  $2 = (int64_t)view.len;
}
%typemap(freearg) (const void *buf, int64_t len) { if (have_view$argnum) PyBuffer_Release(&view$argnum); }

/* -- output arrays ---------------------------------------------------------------------- */

/* A writable C-contiguous float64 buffer of any shape that pml fills; None -> (NULL, 0). */
%typemap(in) (double *out, int64_t out_len) (Py_buffer view, int have_view = 0) {
  if ($input == Py_None) {
    $1 = NULL;
    $2 = 0;
  } else {
    if (PyObject_GetBuffer($input, &view, PyBUF_WRITABLE | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) != 0) SWIG_fail;
    have_view = 1;
    if (pml_py_item_code(&view) != 'd' || view.itemsize != 8) {
      PyErr_SetString(PyExc_TypeError, "out must be a writable contiguous float64 array");
      SWIG_fail;
    }
    $1 = (double *)view.buf;
    $2 = (int64_t)(view.len / 8);
  }
}
%typemap(freearg) (double *out, int64_t out_len) { if (have_view$argnum) PyBuffer_Release(&view$argnum); }
/* Filled in place: no return value (and not the scalar `double *out` typemap above). */
%typemap(argout) (double *out, int64_t out_len) ""

/* -- cross-argument checks ------------------------------------------------------------- */

/* pml reads as many labels / weights / CSR entries as the matrix says, so a shorter Python
 * array is refused here, before pml could read past its end. */
%exception pml_dataset_from_dense {
  if (pml_py_check_length(len6, arg4, "labels") < 0) SWIG_fail;
  $action
}
%exception pml_dataset_from_csr {
  if (arg5 < 0) {
    PyErr_Format(PyExc_ValueError, "n_rows must be >= 0, got %lld", (long long)arg5);
    SWIG_fail;
  }
  if (len1 != (Py_ssize_t)arg5 + 1) {
    PyErr_Format(PyExc_ValueError, "indptr must have n_rows + 1 = %lld values, got %zd",
                 (long long)arg5 + 1, len1);
    SWIG_fail;
  }
  {
    const int64_t nnz = arg1[arg5];
    if (nnz < 0 || (int64_t)len2 < nnz || (int64_t)len3 < nnz) {
      PyErr_Format(PyExc_ValueError,
                   "indptr[n_rows] = %lld entries, but indices has %zd and values %zd",
                   (long long)nnz, len2, len3);
      SWIG_fail;
    }
  }
  if (pml_py_check_length(len7, arg5, "labels") < 0) SWIG_fail;
  $action
}
%exception pml_dataset_set_weights {
  if (len2 >= 0) {
    int64_t rows = 0;
    if (pml_dataset_shape(arg1, &rows, NULL) != PML_OK) {
      pml_py_raise(PML_ERR_INVALID_ARGUMENT);
      SWIG_fail;
    }
    if (pml_py_check_length(len2, rows, "weights") < 0) SWIG_fail;
  }
  $action
}

/* -- callbacks -------------------------------------------------------------------------- */

/* A Python callable(stage, done, total) or None. The module keeps a reference per params handle
 * (pml_py_progress_refs) until the callback is replaced or the params freed. */
%typemap(in) (pml_progress_fn fn, void *user_data) {
  if ($input == Py_None) {
    $1 = NULL;
    $2 = NULL;
  } else if (PyCallable_Check($input)) {
    $1 = pml_py_progress;
    $2 = (void *)$input;
  } else {
    PyErr_SetString(PyExc_TypeError, "the progress callback must be callable or None");
    SWIG_fail;
  }
}
%exception pml_params_set_progress {
  $action
  if (result == PML_OK && pml_py_keep_progress(arg1, arg2 ? (PyObject *)arg3 : NULL) < 0) SWIG_fail;
}
%exception pml_params_free {
  pml_py_keep_progress(arg1, NULL);
  $action
}

/* A Python callable(level, message) or None; kept by the module until replaced. */
%typemap(in) (pml_log_fn fn, void *user_data) {
  if ($input != Py_None && !PyCallable_Check($input)) {
    PyErr_SetString(PyExc_TypeError, "the log handler must be callable or None");
    SWIG_fail;
  }
  if ($input == Py_None) {
    $1 = NULL;
  } else {
    $1 = pml_py_log;
  }
  $2 = NULL;
  Py_XINCREF($input == Py_None ? NULL : $input);
  {
    PyObject *old = pml_py_log_callable;
    pml_py_log_callable = $input == Py_None ? NULL : $input;
    Py_XDECREF(old);
  }
}

/* -- the GIL ---------------------------------------------------------------------------- */

/* Released by the calls whose cost grows with the data (they touch no Python object while
 * running; the arrays they read are pinned by buffer views or by the pml package). Training must
 * release it: pml's worker threads call the log handler, which takes the GIL. */
%nothread;
%thread pml_train;
%thread pml_model_predict;
%thread pml_model_predict_rounds;
%thread pml_model_evaluate;
%thread pml_dataset_load;
%thread pml_dataset_load_with;
%thread pml_dataset_get_dense;
%thread pml_model_save;
%thread pml_model_load;
%thread pml_model_save_buffer;
%thread pml_model_load_buffer;
%thread pml_model_info_json;

/* -- test hook -------------------------------------------------------------------------- */

%inline %{
/* Address of the values array most recently handed to pml_dataset_from_dense/_from_csr. */
static unsigned long long _debug_last_values_address(void) {
  return (unsigned long long)(uintptr_t)pml_py_last_values;
}
%}

/* The exception classes live in the extension module; the shadow module re-exports them. */
%pythoncode %{
PmlError = _capi.PmlError
InvalidArgumentError = _capi.InvalidArgumentError
OutOfMemoryError = _capi.OutOfMemoryError
PmlIOError = _capi.PmlIOError
FormatError = _capi.FormatError
UnsupportedError = _capi.UnsupportedError
DistributedError = _capi.DistributedError
CancelledError = _capi.CancelledError
InternalError = _capi.InternalError
%}

