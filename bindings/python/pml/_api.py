"""The thin layer over the C ABI: Params, Dataset, train, Model.

Each class owns one pml handle and frees it exactly once: on free(), when a ``with`` block ends,
or when the object is garbage-collected. Every failing call raises pml.PmlError (or a subclass)
whose message is pml_last_error().

Arrays are handed to pml without copying when they already have a layout pml reads (a 2-D
float32/float64 array in C or Fortran order; CSR parts with int64 indptr, int32 indices and
float32/float64 values); anything else is converted once, here. A Dataset keeps every array it
views referenced until the dataset is freed, as pml.h requires.
"""

import json
import os
import re
import threading

import numpy as np

from . import capi

#: Prediction kinds (pml_predict_kind), also accepted as the strings "value", "proba", "raw".
PREDICT_VALUE = capi.PML_PREDICT_VALUE
PREDICT_PROBA = capi.PML_PREDICT_PROBA
PREDICT_RAW = capi.PML_PREDICT_RAW

_KINDS = {"value": PREDICT_VALUE, "proba": PREDICT_PROBA, "raw": PREDICT_RAW}


def version():
    """The version of the linked libpml, "MAJOR.MINOR.PATCH"."""
    return capi.pml_version_string()


class _Handle:
    """Owns one pml handle and guards it as pml.h's concurrency contract asks.

    A call that uses the handle holds a "use" (``_Using``); calls that only read may hold uses at
    the same time. A call that changes the handle (``_Changing``) needs it to itself: it is
    refused with RuntimeError while another call uses it, and a use is refused while a change
    runs. Refusing rather than waiting: a wait could last a whole training, or forever when the
    training's own progress callback makes the change. A handle in use is freed only when the
    last use ends, so free() from another thread can never pull it out from under pml."""

    _free_function = None  # the capi function that frees this kind of handle

    def __init__(self, ptr):
        self._ptr = ptr
        self._users = 0
        self._change = None  # the name of the changing call that holds the handle, if one does
        self._closing = False
        self._lock = threading.Lock()

    def _acquire(self, change=None):
        """Takes a use; with change (the changing call's name), takes the handle to itself."""
        with self._lock:
            if self._ptr is None or self._closing:
                raise ValueError(f"this {type(self).__name__} has been freed")
            kind = type(self).__name__
            if self._change is not None:
                raise RuntimeError(f"this {kind} is being changed by {self._change} on another "
                                   "thread; use it after that call returns")
            if change is not None and self._users:
                raise RuntimeError(f"{change}: the {kind} is in use by another call (a "
                                   "training or prediction on another thread, or the training "
                                   "whose progress callback this is); change it after that "
                                   "call returns")
            self._users += 1
            self._change = change
            return self._ptr

    def _release(self):
        with self._lock:
            self._users -= 1
            self._change = None  # a change holds the only use, so this ends it if there was one
            if self._users == 0 and self._closing:
                self._free_now()

    def _free_now(self):
        ptr, self._ptr = self._ptr, None
        if ptr is not None:
            type(self)._free_function(ptr)
            self._on_free()

    def _on_free(self):
        pass

    @property
    def freed(self):
        """True once the handle has been freed."""
        return self._ptr is None

    def free(self):
        """Frees the pml handle now (or, if a call is using it, as soon as that call returns).
        Calling it again does nothing."""
        lock = getattr(self, "_lock", None)
        if lock is None:  # __init__ failed before the handle existed
            return
        with lock:
            if self._ptr is None:
                return
            self._closing = True
            if self._users == 0:
                self._free_now()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.free()

    def __del__(self):
        try:
            self.free()
        except Exception:  # noqa: BLE001 -- interpreter shutdown: the module may be gone
            pass


class _Using:
    """``with _Using(a, b) as (pa, pb):`` holds handles for the duration of one call."""

    def __init__(self, *handles):
        self._handles = handles
        self._held = []

    def __enter__(self):
        try:
            for h in self._handles:
                self._held.append(h)
                h._acquire()
        except BaseException:
            self._held.pop()
            self.__exit__()
            raise
        return [h._ptr for h in self._handles]

    def __exit__(self, *exc):
        while self._held:
            self._held.pop()._release()


class _Changing:
    """``with _Changing(h, "Dataset.set_weight") as ptr:`` holds h to itself for one changing
    call, or raises RuntimeError if another call is using it (see _Handle)."""

    def __init__(self, handle, change):
        self._handle = handle
        self._change = change

    def __enter__(self):
        return self._handle._acquire(self._change)

    def __exit__(self, *exc):
        self._handle._release()


def _param_text(value):
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (list, tuple, np.ndarray)):
        return ",".join(_param_text(v) for v in value)
    return str(value)


# pml_params_parse splits on what C's isspace() calls space, which str.split() does not match.
_PARAMS_SEPARATORS = re.compile(r"[ \t\n\v\f\r]+")


class Params(_Handle):
    """pml_params: string key/value pairs, validated by pml_train.

    ``Params({"n_trees": 200, "bootstrap": True})``: values may be str, int, float (written so
    they read back exactly), bool ("true"/"false") or a sequence (comma-separated); a key whose
    value is None is left unset (pml's default). A string is parsed as "key=value key=value".

    pml.train() trains with a private copy made when it is called, so one Params may serve
    several trainings on several threads, and changing it does not reach a training already
    running. set() and set_progress() change the handle: they raise RuntimeError while another
    call uses it.
    """

    _free_function = staticmethod(capi.pml_params_free)

    def __init__(self, values=None):
        super().__init__(capi.pml_params_create())
        self._progress = None
        # Every pair set, as pml stores it: pml.h has no call that lists a handle's keys, and
        # train() copies them into a private handle.
        self._values = {}
        if isinstance(values, str):
            capi.pml_params_parse(self._ptr, values)
            for token in _PARAMS_SEPARATORS.split(values):
                if token:
                    key = token.split("=", 1)[0]
                    self._values[key] = capi.pml_params_get(self._ptr, key)
        elif values is not None:
            for key, value in dict(values).items():
                if value is not None:
                    self.set(key, value)

    def set(self, key, value):
        """Sets key to value (see the class); RuntimeError while another call uses this
        Params."""
        key, text = str(key), _param_text(value)
        with _Changing(self, "Params.set") as p:
            capi.pml_params_set(p, key, text)
            self._values[key] = text

    def get(self, key):
        """The stored string for key, or None."""
        with _Using(self) as (p,):
            return capi.pml_params_get(p, str(key))

    def set_progress(self, callback):
        """callback(stage, done, total) during pml_train; returning True or raising cancels it
        (the exception is re-raised by train). None removes it. RuntimeError while another call
        uses this Params."""
        with _Changing(self, "Params.set_progress") as p:
            capi.pml_params_set_progress(p, callback)
            self._progress = callback

    def _private_copy(self):
        """A new Params with the same pairs and progress callback, for one call to own."""
        with _Using(self):  # no change half done, and not freed meanwhile
            values, progress = dict(self._values), self._progress
        copy = Params(values)
        copy._progress = progress
        return copy


def _interrupt_check(stage, done, total):
    # Running any Python code lets a pending Ctrl-C raise KeyboardInterrupt here, which cancels
    # the training and is re-raised by train().
    return False


def _is_frame(X):
    return hasattr(X, "iloc") and hasattr(X, "dtypes")


def _split_categories(X):
    """(X', names) for a pandas DataFrame whose columns include ``category`` dtypes: X' is the
    frame with each such column replaced by its codes as float64 (NaN where the value is
    missing), names maps the column's position to its categories as str (code k means names[k]).
    Anything else, a frame without category columns included, is returned as it is with {}."""
    if not _is_frame(X):
        return X, {}
    positions = [i for i, dtype in enumerate(X.dtypes)
                 if getattr(dtype, "name", None) == "category"]
    if not positions:
        return X, {}
    X = X.copy(deep=False)
    names = {}
    for i in positions:
        column = X.iloc[:, i]
        codes = column.cat.codes.to_numpy()
        values = np.where(codes < 0, np.nan, codes.astype(np.float64))
        if hasattr(X, "isetitem"):  # pandas >= 1.5: by position, whatever the column names
            X.isetitem(i, values)
        else:
            X[X.columns[i]] = values
        names[i] = [str(c) for c in column.cat.categories]
    return X, names


def _float_matrix(X):
    """X as an array pml can view: float32/float64, 2-D, C- or F-contiguous (a copy only when X
    is not already one)."""
    if _is_frame(X):  # a pandas DataFrame
        dtypes = set(X.dtypes)
        if len(dtypes) == 1 and next(iter(dtypes)) in (np.dtype(np.float32), np.dtype(np.float64)):
            X = X.to_numpy()  # a view of the frame's single block when it has one
        else:
            X = X.to_numpy(dtype=np.float64, na_value=np.nan)
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"expected a 2-D array of features, got {X.ndim} dimension(s)")
    dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
    native = X.dtype.isnative and X.flags.aligned
    if X.dtype == dtype and native and (X.flags.c_contiguous or X.flags.f_contiguous):
        return X
    try:
        return np.ascontiguousarray(X, dtype=dtype)
    except (TypeError, ValueError) as e:
        raise ValueError(f"features must be numbers: {e}") from None


def _csr_parts(X):
    """(indptr int64, indices int32, values float32/64, n_rows, n_cols) of a scipy sparse matrix,
    with CSR float data viewed, not copied."""
    if X.format != "csr":
        X = X.tocsr()
    if not X.has_canonical_format:
        # pml refuses a column repeated within a row; scipy allows them (they add up).
        X = X.copy()
        X.sum_duplicates()
    values = X.data
    if values.dtype not in (np.float32, np.float64):
        values = values.astype(np.float64)
    indices = X.indices
    if indices.dtype != np.int32:
        if indices.size and int(indices.max()) > np.iinfo(np.int32).max:
            raise ValueError("pml takes at most 2^31 - 1 columns")
        indices = indices.astype(np.int32)
    indptr = np.ascontiguousarray(X.indptr, dtype=np.int64)
    return (indptr, np.ascontiguousarray(indices), np.ascontiguousarray(values), X.shape[0],
            X.shape[1])


def _float_vector(v, name):
    if v is None:
        return None
    if hasattr(v, "to_numpy"):
        v = v.to_numpy()
    a = np.ascontiguousarray(v, dtype=np.float64)
    if a.ndim == 2 and 1 in a.shape:
        a = a.reshape(-1)
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {a.shape}")
    return a


def _is_sparse(X):
    return hasattr(X, "tocsr") and hasattr(X, "format") and hasattr(X, "nnz")


class Dataset(_Handle):
    """pml_dataset: a matrix of features with optional labels and sample weights.

    ``Dataset(X, label=None, weight=None)`` views X: a numpy array (float32/float64 in C or
    Fortran order is viewed as is; other arrays are converted once), a pandas DataFrame or a
    scipy.sparse matrix (CSR viewed; other formats converted to CSR). label and weight are 1-D,
    one value per row (converted to float64 if needed). The dataset keeps these arrays alive
    until it is freed. ``Dataset.load(path)`` reads a CSV or LIBSVM file instead.

    A DataFrame's ``category`` columns are categorical: each becomes its codes (float64, NaN
    for missing values) and its categories, as str, become the column's names
    (set_category_names), so a model trained on it matches later data by name.
    """

    _free_function = staticmethod(capi.pml_dataset_free)

    def __init__(self, data, label=None, weight=None):
        _Handle.__init__(self, None)
        label = _float_vector(label, "label")
        names = {}
        if _is_sparse(data):
            indptr, indices, values, n_rows, n_cols = _csr_parts(data)
            self._arrays = [indptr, indices, values]
            ptr = capi.pml_dataset_from_csr(indptr, indices, values, n_rows, n_cols, label)
        else:
            data, names = _split_categories(data)
            values = _float_matrix(data)
            self._arrays = [values]
            ptr = capi.pml_dataset_from_dense(values, label)
        self._ptr = ptr
        self._arrays.append(label)
        self._weight = None
        for column, column_names in names.items():
            self.set_category_names(column, column_names)
        if weight is not None:
            self.set_weight(weight)

    @classmethod
    def load(cls, path, format=None, **options):
        """Reads a CSV or LIBSVM file (pml_dataset_load_with). format: "csv", "libsvm" or None
        (by extension); options: label_column, header, delimiter, n_features (README)."""
        self = cls.__new__(cls)
        _Handle.__init__(self, None)
        self._arrays = []
        self._weight = None
        path = os.fsdecode(os.fspath(path))
        if format is None and not options:
            self._ptr = capi.pml_dataset_load(path, None)
        else:
            with Params(dict(options, format=format)) as opts:
                self._ptr = capi.pml_dataset_load_with(path, opts._ptr)
        return self

    def set_weight(self, weight):
        """Attaches sample weights (finite, >= 0, not all 0); None removes them. RuntimeError
        while another call (a training or prediction on another thread) uses this Dataset."""
        w = _float_vector(weight, "weight")
        with _Changing(self, "Dataset.set_weight") as d:
            capi.pml_dataset_set_weights(d, w)
            self._weight = w

    def set_category_names(self, column, names):
        """Names the categories of a column (0-based): its value k means names[k] (a sequence
        of distinct str, at most 65,535; None or [] removes the names). The column becomes
        categorical for the forest and boosting, whether or not categorical_features lists it,
        and its values must be NaN (missing) or codes 0 .. len(names) - 1. A model trained on
        named columns keeps the names and matches data that names its codes by name: another
        order of the same names predicts the same, a name it never saw goes where missing
        values go. Names on a column the model knows as numbers are InvalidArgumentError; the
        SVM refuses named columns (UnsupportedError). RuntimeError while another call uses
        this Dataset."""
        with _Changing(self, "Dataset.set_category_names") as d:
            capi.pml_dataset_set_category_names(d, int(column), names)

    @property
    def shape(self):
        with _Using(self) as (d,):
            n_rows, n_cols = capi.pml_dataset_shape(d)
        return (n_rows, n_cols)

    @property
    def n_rows(self):
        return self.shape[0]

    @property
    def n_cols(self):
        return self.shape[1]

    def get_label(self):
        """A copy of the labels (float64); InvalidArgumentError if there are none."""
        out = np.empty(self.n_rows, dtype=np.float64)
        with _Using(self) as (d,):
            capi.pml_dataset_get_labels(d, out)
        return out

    def to_numpy(self):
        """The features as a new dense float64 array (missing values NaN)."""
        n_rows, n_cols = self.shape
        out = np.empty((n_rows, n_cols), dtype=np.float64)
        with _Using(self) as (d,):
            capi.pml_dataset_get_dense(d, out)
        return out

    def _on_free(self):
        self._arrays = []
        self._weight = None


def _as_dataset(data, label=None):
    """(dataset, owned): data itself if it is a Dataset, else a temporary one."""
    if isinstance(data, Dataset):
        if label is not None:
            raise ValueError("label= goes with an array, not with a Dataset (it has its own)")
        return data, False
    return Dataset(data, label=label), True


def train(algorithm, params, train, valid=None, *, progress=None):
    """pml_train: trains "forest", "boosting" or "svm" and returns a Model.

    params: a dict (see Params), a Params, a "key=value ..." string or None (all defaults). A
    Params is copied, never changed: another thread may train with it at the same time.
    train / valid: Datasets with labels (valid, for early stopping, may be None).
    progress: callback(stage, done, total) as Params.set_progress; by default the Params'
    own, else a check that lets Ctrl-C (KeyboardInterrupt) stop a long training.
    While the training runs it uses train and valid: changing them (Dataset.set_weight) raises
    RuntimeError until it returns.
    """
    if not isinstance(train, Dataset) or (valid is not None and not isinstance(valid, Dataset)):
        raise TypeError("train and valid must be pml.Dataset objects")
    # A private copy: the callback is set on it, not on the caller's Params, which another
    # thread may be training with at this moment (pml.h allows shared params).
    p = params._private_copy() if isinstance(params, Params) else Params(params)
    try:
        p.set_progress(progress if progress is not None else (p._progress or _interrupt_check))
        handles = [p, train] + ([valid] if valid is not None else [])
        with _Using(*handles) as ptrs:
            ptr = capi.pml_train(str(algorithm), ptrs[0], ptrs[1],
                                 ptrs[2] if valid is not None else None)
        return Model(ptr)
    finally:
        p.free()


def _kind(kind):
    if isinstance(kind, str):
        try:
            return _KINDS[kind]
        except KeyError:
            raise ValueError(f"kind must be one of {sorted(_KINDS)}, got {kind!r}") from None
    return int(kind)


class Model(_Handle):
    """pml_model: a trained model. Safe to predict with from several threads at once.

    Pickles through pml's model buffer (the bytes pml_model_save writes), so a pickled model
    loads in any pml binding of the same or a newer format version.
    """

    _free_function = staticmethod(capi.pml_model_free)

    def __init__(self, ptr):
        super().__init__(ptr)

    # -- persistence ---------------------------------------------------------------------

    @classmethod
    def load(cls, path):
        """pml_model_load: PmlIOError (an OSError) if unreadable, FormatError if not a model."""
        return cls(capi.pml_model_load(os.fsdecode(os.fspath(path))))

    @classmethod
    def from_bytes(cls, data):
        """pml_model_load_buffer from any bytes-like object."""
        return cls(capi.pml_model_load_buffer(data))

    def save(self, path):
        """pml_model_save (written to a temporary file, then renamed)."""
        with _Using(self) as (m,):
            capi.pml_model_save(m, os.fsdecode(os.fspath(path)))

    def to_bytes(self):
        """pml_model_save_buffer: the model's serialised bytes."""
        with _Using(self) as (m,):
            return capi.pml_model_save_buffer(m)

    def __reduce__(self):
        return (Model.from_bytes, (self.to_bytes(),))

    # -- prediction ----------------------------------------------------------------------

    def predict(self, data, kind="value", n_rounds=None):
        """Predicts for a Dataset or an array-like (viewed for the call only).

        kind: "value" (labels or values, shape (n,)), "proba" ((n, n_classes), columns in
        ascending label order) or "raw" (margins / decision values: (n,) when there is one
        column, else (n, columns)). n_rounds: boosting only, predict with the first rounds."""
        k = _kind(kind)
        dataset, owned = _as_dataset(data)
        try:
            with _Using(self, dataset) as (m, d):
                n_rows = capi.pml_dataset_shape(d)[0]
                n_out = capi.pml_model_output_size(m, k, n_rows)
                out = np.empty(n_out, dtype=np.float64)
                if n_rounds is None:
                    capi.pml_model_predict(m, d, k, out)
                else:
                    capi.pml_model_predict_rounds(m, d, k, int(n_rounds), out)
        finally:
            if owned:
                dataset.free()
        if k == PREDICT_VALUE or n_out == n_rows:
            return out
        return out.reshape(n_rows, n_out // n_rows)

    def evaluate(self, data, metric, label=None):
        """pml_model_evaluate on a labelled Dataset (or an array with label=): accuracy,
        error, logloss, auc, rmse, mae, r2."""
        dataset, owned = _as_dataset(data, label)
        try:
            with _Using(self, dataset) as (m, d):
                return capi.pml_model_evaluate(m, d, str(metric))
        finally:
            if owned:
                dataset.free()

    # -- facts ---------------------------------------------------------------------------

    def _call(self, function, *args):
        with _Using(self) as (m,):
            return function(m, *args)

    @property
    def algorithm(self):
        return self._call(capi.pml_model_algorithm)

    @property
    def n_features(self):
        return self._call(capi.pml_model_n_features)

    @property
    def n_classes(self):
        """Number of classes; 0 for regression."""
        return self._call(capi.pml_model_n_classes)

    @property
    def classes(self):
        """The class labels in ascending order (float64); empty for regression."""
        out = np.empty(self.n_classes, dtype=np.float64)
        if out.size:
            self._call(capi.pml_model_classes, out)
        return out

    def info(self):
        """pml_model_info_json, parsed: algorithm, classes, parameters, summary, ..."""
        return json.loads(self._call(capi.pml_model_info_json))

    def feature_importances(self, kind=None):
        """Importances per feature; kind for boosting: "gain" (default), "total_gain", "split".
        UnsupportedError for a model that has none (svm)."""
        out = np.empty(self.n_features, dtype=np.float64)
        self._call(capi.pml_model_feature_importances_by, kind, out)
        return out

    @property
    def oob_score(self):
        """The out-of-bag score of a forest trained with oob_score=true."""
        return self._call(capi.pml_model_oob_score)

    @property
    def n_rounds(self):
        """Boosting: the rounds the model predicts with (the best one with early stopping)."""
        return self._call(capi.pml_model_n_rounds)

    def eval_history(self):
        """Boosting trained with valid data: the validation metric after every round."""
        n = self._call(capi.pml_model_eval_history, None)
        out = np.empty(n, dtype=np.float64)
        if n:
            self._call(capi.pml_model_eval_history, out)
        return out

    @property
    def eval_metric(self):
        """Boosting trained with valid data: the name of the eval_history metric."""
        return self._call(capi.pml_model_eval_metric)


def load_model(path):
    """Same as Model.load(path)."""
    return Model.load(path)


_log_handler = None


def set_log_handler(handler):
    """Sends pml's log lines to handler(level, message) (level: 0 error, 1 warning, 2 info,
    3 debug; training parameter verbose=1 or 2 enables info and debug lines). None restores
    silence. Process-wide: set it before training starts. ``pml.log_to_logging()`` routes them
    to the logging module instead."""
    global _log_handler
    capi.pml_set_log_handler(handler)
    _log_handler = handler


def log_to_logging(logger_name="pml"):
    """Routes pml's log lines to logging.getLogger(logger_name)."""
    import logging

    logger = logging.getLogger(logger_name)
    levels = {0: logging.ERROR, 1: logging.WARNING, 2: logging.INFO, 3: logging.DEBUG}

    def handler(level, message):
        logger.log(levels.get(level, logging.INFO), message)

    set_log_handler(handler)
