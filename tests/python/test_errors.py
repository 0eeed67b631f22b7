"""Every failure reaches Python as an exception of the right class, carrying pml's message."""

import os
import signal
import threading
import time

import numpy as np
import pytest

import pml
from conftest import make_classification


@pytest.fixture()
def data():
    X, y = make_classification(n=200, d=4)
    with pml.Dataset(X, label=y) as d:
        yield X, y, d


def test_exception_classes_derive_from_the_builtin_ones():
    assert issubclass(pml.InvalidArgumentError, pml.PmlError)
    assert issubclass(pml.InvalidArgumentError, ValueError)
    assert issubclass(pml.FormatError, ValueError)
    assert issubclass(pml.PmlIOError, OSError)
    assert issubclass(pml.OutOfMemoryError, MemoryError)
    for cls in (pml.UnsupportedError, pml.DistributedError, pml.CancelledError,
                pml.InternalError):
        assert issubclass(cls, pml.PmlError)
    assert pml.PmlError.__module__ == "pml"


def test_bad_parameter_value_names_key_and_value(data):
    _, _, d = data
    with pytest.raises(ValueError, match=r"n_trees=0 is invalid") as info:
        pml.train("forest", {"n_trees": 0}, d)
    assert isinstance(info.value, pml.InvalidArgumentError)
    assert info.value.status == 1
    assert str(info.value).startswith("pml_train: forest:")


def test_unknown_key_lists_the_valid_ones(data):
    _, _, d = data
    with pytest.raises(pml.InvalidArgumentError, match=r"unknown parameter 'n_treez'.*n_trees"):
        pml.train("forest", {"n_treez": 3}, d)


def test_unknown_algorithm(data):
    _, _, d = data
    with pytest.raises(pml.InvalidArgumentError, match="available algorithms: forest"):
        pml.train("bagging", None, d)


def test_unsupported_request(data):
    _, _, d = data
    with pytest.raises(pml.UnsupportedError, match="distributed=mpi"):
        pml.train("forest", {"distributed": "mpi"}, d)


def test_wrong_shapes():
    X, y = make_classification(n=50, d=3)
    with pytest.raises(ValueError, match="labels has 49 values but the data has 50 rows"):
        pml.Dataset(X, label=y[:-1])
    with pytest.raises(ValueError, match="2-D"):
        pml.Dataset(X[:, 0], label=y)
    with pytest.raises(ValueError, match="2-D"):
        pml.Dataset(X.reshape(50, 3, 1))
    with pml.Dataset(X, label=y) as d, pml.train("forest", {"n_trees": 2}, d) as m:
        with pytest.raises(pml.InvalidArgumentError, match="2 columns but the model was trained on 3"):
            m.predict(X[:, :2])
    with pml.Dataset(X) as d, pytest.raises(ValueError, match="weights has 10 values"):
        d.set_weight(np.ones(10))


def test_nan_where_refused():
    X, y = make_classification(n=50, d=3)
    X[3, 1] = np.nan
    with pml.Dataset(X, label=y) as d:
        with pytest.raises(pml.InvalidArgumentError, match=r"row 3 column 1 is missing"):
            pml.train("svm", None, d)
        with pml.train("forest", {"n_trees": 2}, d):  # trees take NaN as missing
            pass
    y[2] = np.nan
    with pytest.raises(pml.InvalidArgumentError, match=r"labels\[2\] is not finite"):
        pml.Dataset(X, label=y)
    with pytest.raises(pml.InvalidArgumentError, match=r"weights\[0\] must be finite and >= 0"):
        pml.Dataset(X, weight=-np.ones(50))


def test_missing_file_is_an_oserror(tmp_path):
    missing = tmp_path / "no-such.csv"
    with pytest.raises(OSError, match="cannot open .*no-such.csv") as info:
        pml.Dataset.load(missing)
    assert isinstance(info.value, pml.PmlIOError)
    with pytest.raises(OSError, match="no-such.pml"):
        pml.Model.load(tmp_path / "no-such.pml")
    X, y = make_classification(n=50, d=3)
    with pml.Dataset(X, label=y) as d, pml.train("forest", {"n_trees": 2}, d) as m:
        with pytest.raises(pml.PmlIOError):
            m.save(tmp_path / "no-dir" / "model.pml")


def test_malformed_files_and_buffers(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2,3\n4,x,6\n")
    with pytest.raises(pml.FormatError, match=r"bad.csv:2: column 2: .x. is not a number"):
        pml.Dataset.load(bad)
    with pytest.raises(pml.FormatError, match="not a pml model"):
        pml.Model.from_bytes(b"garbage" * 10)
    X, y = make_classification(n=50, d=3)
    with pml.Dataset(X, label=y) as d, pml.train("forest", {"n_trees": 2}, d) as m:
        blob = m.to_bytes()
    with pytest.raises(pml.FormatError, match="corrupt or truncated"):
        pml.Model.from_bytes(blob[:-3])


def test_kind_not_available(data):
    X, y, _ = data
    with pml.Dataset(X, label=y) as d, pml.train("forest", {"task": "regression",
                                                             "n_trees": 2}, d) as m:
        with pytest.raises(pml.InvalidArgumentError, match="PML_PREDICT_PROBA needs a classification"):
            m.predict(X, "proba")
        with pytest.raises(pml.InvalidArgumentError, match="no out-of-bag score"):
            m.oob_score
        with pytest.raises(ValueError, match="kind must be one of"):
            m.predict(X, "probability")


def test_raw_module_refuses_bad_arrays():
    capi = pml.capi
    with pytest.raises(TypeError, match="float32 or float64"):
        capi.pml_dataset_from_dense(np.zeros((3, 2), dtype=np.int32), None)
    with pytest.raises(ValueError, match="C- or F-contiguous"):
        capi.pml_dataset_from_dense(np.zeros((4, 4))[:, ::2], None)
    with pytest.raises(TypeError, match="buffer protocol"):
        capi.pml_dataset_from_dense([[1.0, 2.0]], None)
    indptr = np.array([0, 1, 5], dtype=np.int64)  # claims 5 entries, arrays hold 2
    with pytest.raises(ValueError, match="indptr\\[n_rows\\] = 5 entries"):
        capi.pml_dataset_from_csr(indptr, np.zeros(2, np.int32), np.zeros(2), 2, 3, None)
    with pytest.raises(ValueError, match="indptr must have n_rows \\+ 1"):
        capi.pml_dataset_from_csr(indptr, np.zeros(5, np.int32), np.zeros(5), 3, 3, None)
    with pytest.raises(TypeError, match="writable contiguous float64"):
        capi.pml_dataset_get_labels(None, np.zeros(3, dtype=np.float32))


def test_use_after_free_is_an_error_not_a_crash(data):
    X, y, _ = data
    d = pml.Dataset(X, label=y)
    m = pml.train("forest", {"n_trees": 2}, d)
    d.free()
    d.free()  # twice is fine
    assert d.freed
    with pytest.raises(ValueError, match="Dataset has been freed"):
        pml.train("forest", None, d)
    with m:
        pass
    with pytest.raises(ValueError, match="Model has been freed"):
        m.predict(X)


def test_estimator_errors_carry_pml_messages():
    X, y = make_classification(n=100, d=4)
    with pytest.raises(ValueError, match="n_trees=0 is invalid"):
        pml.RandomForestClassifier(n_estimators=0).fit(X, y)
    with pytest.raises(ValueError, match="kernel"):
        pml.SVC(kernel="laplace").fit(X, y)
    with pytest.raises(ValueError, match="NaN"):
        Xn = X.copy()
        Xn[0, 0] = np.nan
        pml.SVC().fit(Xn, y)
    clf = pml.GradientBoostingClassifier(n_estimators=3).fit(X, y)
    with pytest.raises(ValueError, match="3 features, but GradientBoostingClassifier is expecting 4"):
        clf.predict(X[:, :3])
    with pytest.raises(ValueError, match="only one class"):
        pml.SVC().fit(X, np.zeros(len(y)))
    with pytest.raises(ValueError, match="early_stopping_rounds"):
        pml.GradientBoostingRegressor(early_stopping_rounds=3).fit(X, y)


# -- callbacks ----------------------------------------------------------------------------


class Stop(Exception):
    pass


def test_progress_callback_exception_cancels_and_is_reraised(data):
    _, _, d = data
    calls = []

    def progress(stage, done, total):
        calls.append((stage, done, total))
        raise Stop("enough")

    with pytest.raises(Stop, match="enough"):
        pml.train("forest", {"n_trees": 100000, "n_jobs": 1}, d, progress=progress)
    assert calls and calls[0][0] == "forest" and calls[0][2] == 100000


def test_progress_callback_returning_true_cancels(data):
    _, _, d = data
    with pytest.raises(pml.CancelledError, match="cancelled by the progress callback"):
        pml.train("forest", {"n_trees": 100000, "n_jobs": 1}, d, progress=lambda *a: True)
    # The params object keeps no stale exception or callback: the next call trains.
    with pml.train("forest", {"n_trees": 2}, d):
        pass


def test_ctrl_c_stops_training():
    X, y = make_classification(n=3000, d=8)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    try:
        with pml.Dataset(X, label=y) as d, pytest.raises(KeyboardInterrupt):
            pml.train("forest", {"n_trees": 1000000, "n_jobs": 1}, d)  # hours if not stopped
    finally:
        timer.cancel()
    assert time.monotonic() - start < 30
