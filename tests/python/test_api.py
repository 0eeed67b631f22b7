"""The thin layer over pml.h: Params, Dataset, train, Model, handles, threads, persistence."""

import json
import pickle
import threading
import time

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import pml
from conftest import make_classification, make_regression


@pytest.fixture(scope="module")
def forest():
    X, y = make_classification(n=500, d=6, classes=3)
    with pml.Dataset(X, label=y) as d:
        model = pml.train("forest", {"n_trees": 10, "seed": 3}, d)
    yield X, y, model
    model.free()


def test_version():
    assert pml.version() == pml.__version__
    assert pml.version().count(".") == 2


def test_params_text_forms():
    with pml.Params({"n_trees": 5, "bootstrap": False, "max_samples": 0.5, "max_depth": None,
                     "monotone_constraints": [1, 0, -1], "learning_rate": 1e-4}) as p:
        assert p.get("n_trees") == "5"
        assert p.get("bootstrap") == "false"
        assert p.get("max_samples") == "0.5"
        assert p.get("max_depth") is None  # None leaves pml's default
        assert p.get("monotone_constraints") == "1,0,-1"
        assert float(p.get("learning_rate")) == 1e-4
    with pml.Params("n_trees=7 seed=2") as p:
        assert p.get("n_trees") == "7" and p.get("seed") == "2"
    with pytest.raises(pml.InvalidArgumentError):
        pml.Params({"Bad Key": 1})


def inputs_of(X):
    """The same matrix in every form Dataset takes."""
    X32 = X.astype(np.float32)
    yield "float32 C", X32
    yield "float32 F", np.asfortranarray(X32)
    yield "float64 C", X32.astype(np.float64)
    yield "strided", np.repeat(X32, 2, axis=1)[:, ::2]
    yield "DataFrame", pd.DataFrame(X32, columns=[f"f{i}" for i in range(X.shape[1])])
    yield "CSR float32", sp.csr_matrix(X32)
    yield "CSR float64 (int64 indices)", sp.csr_matrix(
        (X32.astype(np.float64).ravel(), np.tile(np.arange(X.shape[1], dtype=np.int64),
                                                  X.shape[0]),
         np.arange(0, X.size + 1, X.shape[1], dtype=np.int64)), shape=X.shape)
    yield "CSC", sp.csc_matrix(X32)
    yield "list", X32.tolist()


def test_every_input_form_predicts_the_same(forest):
    X, _, model = forest
    X = X.astype(np.float32)
    expected = model.predict(X, "proba")
    for name, form in inputs_of(X):
        np.testing.assert_array_equal(model.predict(form, "proba"), expected, err_msg=name)


def test_dataset_reads_back_what_it_views():
    X, y = make_classification(n=40, d=3)
    X[1, 2] = np.nan
    with pml.Dataset(np.asfortranarray(X), label=y) as d:
        assert d.shape == (40, 3) and d.n_rows == 40 and d.n_cols == 3
        np.testing.assert_array_equal(d.get_label(), y)
        np.testing.assert_array_equal(d.to_numpy(), X)
    with pml.Dataset(sp.csr_matrix(np.eye(3))) as d:
        np.testing.assert_array_equal(d.to_numpy(), np.eye(3))
        with pytest.raises(pml.InvalidArgumentError, match="no labels"):
            d.get_label()


def test_csr_with_repeated_columns_is_summed_as_scipy_does():
    m = sp.csr_matrix((np.array([1.0, 2.0, 5.0]), np.array([1, 1, 0]), np.array([0, 2, 3])),
                      shape=(2, 2))
    with pml.Dataset(m) as d:
        np.testing.assert_array_equal(d.to_numpy(), [[0, 3], [5, 0]])


def test_load_files(letter_path, letter, tmp_path):
    X, y = letter
    with pml.Dataset.load(letter_path) as d:
        assert d.shape == X.shape
        np.testing.assert_array_equal(d.get_label(), y)
    svm_file = tmp_path / "tiny.svm"
    svm_file.write_text("1 1:0.5 3:2\n0 2:1\n")
    with pml.Dataset.load(svm_file, format="libsvm", n_features=5) as d:
        np.testing.assert_array_equal(d.to_numpy(), [[0.5, 0, 2, 0, 0], [0, 1, 0, 0, 0]])
    tsv = tmp_path / "t.tsv"
    tsv.write_text("a\tb\tlabel\n1\t2\t0\n3\t4\t1\n")
    with pml.Dataset.load(tsv, format="csv", delimiter="tab", label_column="label") as d:
        np.testing.assert_array_equal(d.to_numpy(), [[1, 2], [3, 4]])
        np.testing.assert_array_equal(d.get_label(), [0, 1])


def test_model_facts(forest):
    X, y, model = forest
    assert model.algorithm == "forest"
    assert model.n_features == 6 and model.n_classes == 3
    np.testing.assert_array_equal(model.classes, [0, 1, 2])
    info = model.info()
    assert info["algorithm"] == "forest" and info["params"]["n_trees"] == "10"
    imp = model.feature_importances()
    assert imp.shape == (6,) and abs(imp.sum() - 1) < 1e-9 and imp[0] == imp.max()
    assert model.evaluate(X, "accuracy", label=y) > 0.9
    with pml.Dataset(X, label=y) as d:
        assert model.evaluate(d, "accuracy") == model.evaluate(X, "accuracy", label=y)


def test_prediction_kinds_and_shapes():
    X, y = make_classification(n=300, d=4, classes=2)
    with pml.Dataset(X, label=y) as d, pml.train("boosting", {"n_rounds": 5}, d) as m:
        assert m.predict(X).shape == (300,)
        assert m.predict(X, "proba").shape == (300, 2)
        raw = m.predict(X, pml.PREDICT_RAW)
        assert raw.shape == (300,)
        np.testing.assert_allclose(1 / (1 + np.exp(-raw)), m.predict(X, "proba")[:, 1])
        assert m.n_rounds == 5
        first = m.predict(X, "raw", n_rounds=2)
        assert not np.array_equal(first, raw)
    X, y = make_classification(n=300, d=4, classes=4)
    with pml.Dataset(X, label=y) as d, pml.train("boosting", {"n_rounds": 3}, d) as m:
        assert m.predict(X, "raw").shape == (300, 4)
        np.testing.assert_allclose(m.predict(X, "proba").sum(axis=1), 1)
    X, y = make_regression(n=300, d=4)
    with pml.Dataset(X, label=y) as d, pml.train("svm", None, d) as m:
        assert m.n_classes == 0 and m.classes.shape == (0,)
        assert m.predict(X).shape == (300,)


def test_early_stopping_with_a_validation_set():
    X, y = make_classification(n=2000, d=8, seed=1)
    flip = np.random.default_rng(2).random(len(y)) < 0.3  # noise, so the metric turns
    y = np.where(flip, 1 - y, y)
    with pml.Dataset(X[:1500], label=y[:1500]) as train, \
            pml.Dataset(X[1500:], label=y[1500:]) as valid, \
            pml.train("boosting", {"n_rounds": 500, "early_stopping_rounds": 5,
                                   "learning_rate": 0.3}, train, valid) as m:
        assert m.eval_metric == "logloss"
        history = m.eval_history()
        assert m.n_rounds < 500
        assert len(history) == m.n_rounds + 5
        assert history[m.n_rounds - 1] == history.min()


def test_sample_weights_change_the_model():
    X, y = make_classification(n=300, d=4)
    w = np.where(y == 1, 5.0, 1.0)
    with pml.Dataset(X, label=y) as plain, pml.Dataset(X, label=y, weight=w) as weighted:
        with pml.train("forest", {"n_trees": 5}, plain) as a, \
                pml.train("forest", {"n_trees": 5}, weighted) as b:
            assert a.to_bytes() != b.to_bytes()
        weighted.set_weight(None)
        with pml.train("forest", {"n_trees": 5}, weighted) as c, \
                pml.train("forest", {"n_trees": 5}, plain) as a:
            assert a.to_bytes() == c.to_bytes()


def test_persistence_round_trips(forest, tmp_path):
    X, _, model = forest
    blob = model.to_bytes()
    path = tmp_path / "forest.pml"
    model.save(path)
    assert path.read_bytes() == blob
    for copy in (pml.Model.load(path), pml.load_model(str(path)), pml.Model.from_bytes(blob),
                 pml.Model.from_bytes(bytearray(blob)), pickle.loads(pickle.dumps(model))):
        with copy:
            assert copy.to_bytes() == blob
            np.testing.assert_array_equal(copy.predict(X, "proba"), model.predict(X, "proba"))


def test_handles_free_deterministically():
    X, y = make_classification(n=50, d=3)
    with pml.Dataset(X, label=y) as d:
        m = pml.train("forest", {"n_trees": 2}, d)
    assert d.freed
    assert not m.freed
    m.free()
    assert m.freed
    d = pml.Dataset(X, label=y)
    assert sum(a is not None for a in d._arrays) == 2  # X and the labels, kept alive
    del d  # __del__ frees it


def test_dataset_keeps_its_arrays_alive():
    X, y = make_classification(n=200, d=4)
    d = pml.Dataset(X.astype(np.float32), label=list(y))  # both converted: only d holds them
    del X, y
    import gc

    gc.collect()
    np.random.default_rng(0).random((2000, 2000))  # reuse freed memory if it had been freed
    X, y = make_classification(n=200, d=4)
    with d, pml.train("forest", {"n_trees": 3, "seed": 1}, d) as a:
        with pml.Dataset(X.astype(np.float32), label=y) as d2, \
                pml.train("forest", {"n_trees": 3, "seed": 1}, d2) as b:
            assert a.to_bytes() == b.to_bytes()


def _count_while(fn):
    """Runs fn() while a Python thread counts; returns (count during fn, fn's seconds)."""
    stop = threading.Event()
    count = [0]

    def counter():
        while not stop.is_set():
            count[0] += 1

    t = threading.Thread(target=counter)
    t.start()
    time.sleep(0.05)
    before = count[0]
    start = time.monotonic()
    fn()
    elapsed = time.monotonic() - start
    during = count[0] - before
    stop.set()
    t.join()
    return during, elapsed


def test_training_and_prediction_release_the_gil():
    X, y = make_classification(n=20000, d=10)
    with pml.Dataset(X, label=y) as d:
        during, elapsed = _count_while(
            lambda: pml.train("forest", {"n_trees": 40, "n_jobs": 1}, d).free())
        assert elapsed > 0.1
        assert during > 20000  # a held GIL would leave the counter at (almost) zero
        with pml.train("forest", {"n_trees": 40}, d) as m:
            def predict_many():
                for _ in range(5):
                    m.predict(d)

            during, elapsed = _count_while(predict_many)
            assert during > 20000


def test_concurrent_predictions_agree(forest):
    X, _, model = forest
    expected = model.predict(X, "proba")
    results = [None] * 8

    def work(i):
        results[i] = model.predict(X, "proba")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        np.testing.assert_array_equal(r, expected)


def test_free_while_another_thread_predicts_waits_for_it():
    X, y = make_classification(n=50000, d=10)
    with pml.Dataset(X, label=y) as d:
        m = pml.train("forest", {"n_trees": 30}, d)
    errors = []

    def predict():
        try:
            for _ in range(3):
                m.predict(X)
        except ValueError as e:  # freed between calls: the wrapper says so
            errors.append(e)

    t = threading.Thread(target=predict)
    t.start()
    time.sleep(0.05)
    m.free()  # deferred while a prediction runs; never a crash
    t.join()
    assert m.freed
    assert all("freed" in str(e) for e in errors)


def test_log_handler_receives_training_lines():
    X, y = make_classification(n=200, d=4)
    lines = []
    pml.set_log_handler(lambda level, message: lines.append((level, message)))
    try:
        with pml.Dataset(X, label=y) as d, pml.train("forest", {"n_trees": 3, "verbose": 1}, d):
            pass
    finally:
        pml.set_log_handler(None)
    assert any(level == 2 and "forest" in message for level, message in lines)
    lines.clear()
    with pml.Dataset(X, label=y) as d, pml.train("forest", {"n_trees": 3, "verbose": 1}, d):
        pass
    assert not lines


def test_info_is_json(forest):
    _, _, model = forest
    assert json.loads(pml.capi.pml_model_info_json(model._ptr))["n_features"] == 6


def test_example_program_runs(letter, tmp_path):
    import os
    import subprocess
    import sys

    from conftest import REPO

    X, y = letter
    csv = tmp_path / "letter2000.csv"
    np.savetxt(csv, np.column_stack([y[:2000], X[:2000]]), fmt="%d", delimiter=",")
    out = subprocess.run([sys.executable, os.path.join(REPO, "examples", "python", "main.py"),
                          str(csv), "boosting"], check=True, capture_output=True, text=True,
                         env=dict(os.environ)).stdout
    assert "same predictions" in out and "3-fold accuracy" in out, out
