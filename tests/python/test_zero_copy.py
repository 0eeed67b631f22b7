"""Contiguous float arrays reach pml without a copy, through both layers.

Two independent witnesses, each shown to catch a copy where one must happen:
  - the binding's test hook returns the address of the last values array it handed to
    pml_dataset_from_dense / pml_dataset_from_csr; it must equal the array's own address;
  - tracemalloc sees every numpy allocation (but not pml's own, made in C++): fitting and
    predicting must allocate far less than the matrix.
"""

import tracemalloc

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import pml
from conftest import make_classification

hook = pml.capi._debug_last_values_address


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("order", ["C", "F"])
def test_dense_arrays_are_viewed(dtype, order):
    X, y = make_classification(n=100, d=5, dtype=dtype)
    X = np.asarray(X, order=order)
    with pml.Dataset(X, label=y):
        assert hook() == X.ctypes.data


def test_converted_arrays_are_not_the_input():
    # The control: an int matrix must be converted, and the hook sees the copy.
    X = np.arange(20, dtype=np.int64).reshape(4, 5)
    with pml.Dataset(X):
        assert hook() != X.ctypes.data
    X32 = np.zeros((4, 10), dtype=np.float32)[:, ::2]  # strided: copied
    with pml.Dataset(X32):
        assert hook() != X32.ctypes.data


def test_dataframe_and_csr_are_viewed():
    X, _ = make_classification(n=100, d=5, dtype=np.float32)
    frame = pd.DataFrame(X)
    with pml.Dataset(frame):
        assert hook() == X.ctypes.data  # the frame's block is X itself
    csr = sp.random(100, 50, density=0.1, format="csr", dtype=np.float32, random_state=0)
    with pml.Dataset(csr):
        assert hook() == csr.data.ctypes.data


def test_estimators_hand_the_callers_array_to_pml():
    X, y = make_classification(n=300, d=5, dtype=np.float32)
    clf = pml.RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    assert hook() == X.ctypes.data
    X_test = np.asfortranarray(X[:100])
    clf.predict(X_test)
    assert hook() == X_test.ctypes.data
    reg = pml.GradientBoostingRegressor(n_estimators=3).fit(X, y.astype(np.float32))
    assert hook() == X.ctypes.data
    reg.predict(X)
    assert hook() == X.ctypes.data


def peak_numpy_bytes(fn):
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def big():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100_000, 50), dtype=np.float32)  # 20 MB
    y = (X[:, 0] > 0).astype(np.float64)
    return X, y


def test_fit_and_predict_allocate_no_copy_of_the_matrix(big):
    X, y = big
    clf = pml.RandomForestClassifier(n_estimators=2, max_depth=4, random_state=0)
    fit_peak = peak_numpy_bytes(lambda: clf.fit(X, y))
    predict_peak = peak_numpy_bytes(lambda: clf.predict(X))
    # Labels, their encoding (np.unique) and the predictions take about 40 bytes per row (20%
    # of this X); a copy of X would be X.nbytes (float32) or 2 * X.nbytes (float64).
    assert fit_peak < 0.5 * X.nbytes, fit_peak
    assert predict_peak < 0.5 * X.nbytes, predict_peak
    with pml.Dataset(X, label=y) as d:
        thin_peak = peak_numpy_bytes(lambda: pml.train("forest", {"n_trees": 2, "max_depth": 4},
                                                       d).free())
    assert thin_peak < 0.05 * X.nbytes, thin_peak


def test_the_measurement_sees_a_copy(big):
    X, y = big
    strided = np.repeat(X[:20_000], 2, axis=1)[:, ::2]  # not contiguous: must be copied once
    clf = pml.RandomForestClassifier(n_estimators=2, max_depth=4, random_state=0)
    assert peak_numpy_bytes(lambda: clf.fit(strided, y[:20_000])) >= strided.nbytes // 2
