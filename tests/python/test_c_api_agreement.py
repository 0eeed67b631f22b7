"""The binding trains the same model as the C API: same data, parameters and seed give the same
model bytes whichever way pml is called (the `pml` program, libpml through ctypes, the thin
layer, the scikit-learn estimators), and the same predictions."""

import importlib.util
import os
import subprocess

import numpy as np
import pytest

import pml
from conftest import REPO

ALGORITHMS = {
    "forest": {"n_trees": 8, "seed": 7},
    "boosting": {"n_rounds": 6, "seed": 7, "subsample": 0.8},
    "svm": {"C": 2, "gamma": 0.05, "seed": 7},
}


@pytest.fixture(scope="module")
def letter_part(letter, tmp_path_factory):
    """The first 3000 Letter rows, as arrays and as a CSV file the CLI reads."""
    X, y = letter
    X, y = X[:3000], y[:3000]
    path = tmp_path_factory.mktemp("data") / "letter3000.csv"
    np.savetxt(path, np.column_stack([y, X]), fmt="%d", delimiter=",")
    return X, y, str(path)


def cli(pml_cli, *args):
    return subprocess.run([pml_cli, *args], check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("algorithm", sorted(ALGORITHMS))
def test_same_model_bytes_and_predictions_as_the_cli(algorithm, letter_part, pml_cli, tmp_path):
    X, y, csv = letter_part
    params = ALGORITHMS[algorithm]
    model_path = tmp_path / "cli.pml"
    cli(pml_cli, "train", algorithm, csv, "-q", "-o", str(model_path),
        *[f"{k}={v}" for k, v in params.items()])
    with pml.Dataset(X, label=y) as d, pml.train(algorithm, dict(params, n_jobs=1), d) as m:
        assert m.to_bytes() == model_path.read_bytes()
        kind = "proba" if algorithm != "svm" else "raw"
        printed = cli(pml_cli, "predict", str(model_path), csv, "--kind", kind)
        from_cli = np.array([[float(v) for v in line.split()] for line in printed.splitlines()])
        np.testing.assert_array_equal(from_cli, m.predict(X, kind).reshape(len(X), -1))
        values = cli(pml_cli, "predict", str(model_path), csv)
        np.testing.assert_array_equal(np.array(values.split(), dtype=float), m.predict(X))


def load_pml_ctypes():
    spec = importlib.util.spec_from_file_location("pml_ctypes",
                                                  os.path.join(REPO, "bench", "pml_ctypes.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ESTIMATORS = [
    (pml.RandomForestClassifier, dict(n_estimators=8, max_features=0.5, random_state=11)),
    (pml.ExtraTreesClassifier, dict(n_estimators=8, random_state=11)),
    (pml.GradientBoostingClassifier, dict(n_estimators=5, subsample=0.7, random_state=11)),
    (pml.SVC, dict(C=3.0, gamma=0.05, probability=True, random_state=11)),
    (pml.LinearSVC, dict(C=0.5, random_state=11)),
    (pml.RandomForestRegressor, dict(n_estimators=5, random_state=11, oob_score=True)),
    (pml.GradientBoostingRegressor, dict(n_estimators=5, objective="huber", random_state=11)),
    (pml.SVR, dict(C=3.0, epsilon=0.5)),
]


@pytest.mark.parametrize("cls,kwargs", ESTIMATORS, ids=[c.__name__ for c, _ in ESTIMATORS])
def test_estimators_train_what_the_c_api_trains(cls, kwargs, letter_part, libpml_path):
    X, y, _ = letter_part
    X = X[:1500].astype(np.float32)
    y = y[:1500]
    if issubclass(cls, pml.estimators._PmlClassifier):
        y = (y - 1).astype(np.float64)  # 0..25: the estimator's encoding leaves it unchanged
    else:
        y = y / 26 + X[:, 0] / 10  # a regression target
    est = cls(n_jobs=2, **kwargs).fit(X, y)
    params = est._pml_params(len(X))
    params["n_jobs"] = 1  # not part of the model: the bytes are the same at any n_jobs
    ctypes_pml = load_pml_ctypes()
    lib = ctypes_pml.PmlLibrary(libpml_path)
    with lib.dataset_from_dense(X, y) as d, lib.train(est._algorithm, params, d) as m:
        assert est.pml_model_.to_bytes() == m.save_buffer()
        expected = m.predict(X)
    if issubclass(cls, pml.estimators._PmlClassifier):
        expected = est.classes_[expected.astype(int)]
    np.testing.assert_array_equal(est.predict(X), expected)


def test_string_labels_train_the_encoded_model(letter_part):
    X, y, _ = letter_part
    letters = np.array([chr(ord("A") + int(v) - 1) for v in y])
    a = pml.RandomForestClassifier(n_estimators=4, random_state=1).fit(X, letters)
    b = pml.RandomForestClassifier(n_estimators=4, random_state=1).fit(X, y - 1)
    assert a.pml_model_.to_bytes() == b.pml_model_.to_bytes()
    expected = np.array([chr(ord("A") + int(v)) for v in b.predict(X)])
    np.testing.assert_array_equal(a.predict(X), expected)
