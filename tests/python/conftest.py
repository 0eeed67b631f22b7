"""Shared fixtures of the Python binding's tests (run by ctest, see CMakeLists.txt here).

ctest sets PYTHONPATH to the build tree's package and passes the paths of the `pml` program
(PML_CLI), the shared library (PML_LIBRARY) and the bundled data (PML_TEST_DATA_DIR).
"""

import os

import numpy as np
import pytest

import pml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA_DIR = os.environ.get("PML_TEST_DATA_DIR", os.path.join(REPO, "data"))


def pytest_report_header(config):
    return f"pml {pml.version()} from {os.path.dirname(pml.__file__)}"


@pytest.fixture(scope="session")
def letter_path():
    return os.path.join(DATA_DIR, "letter.csv")


@pytest.fixture(scope="session")
def letter(letter_path):
    """The bundled Letter data: (X float64 (20000, 16), y float64 labels 1..26)."""
    table = np.loadtxt(letter_path, delimiter=",", skiprows=1)
    return np.ascontiguousarray(table[:, 1:]), np.ascontiguousarray(table[:, 0])


@pytest.fixture(scope="session")
def pml_cli():
    path = os.environ.get("PML_CLI")
    if not path or not os.path.exists(path):
        pytest.skip("PML_CLI (the pml program) not given")
    return path


@pytest.fixture(scope="session")
def libpml_path():
    path = os.environ.get("PML_LIBRARY")
    if not path or not os.path.exists(path):
        pytest.skip("PML_LIBRARY (libpml.so) not given")
    return path


def make_classification(n=600, d=8, classes=2, seed=0, dtype=np.float64):
    """A small separable-enough problem: class = bucket of a linear score, plus noise."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    score = X[:, 0] + 0.5 * X[:, 1] - 0.25 * X[:, 2] + 0.3 * rng.standard_normal(n)
    edges = np.quantile(score, np.linspace(0, 1, classes + 1)[1:-1])
    y = np.searchsorted(edges, score).astype(np.float64)
    return X.astype(dtype), y


def make_regression(n=600, d=8, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = X[:, 0] * 2 + np.sin(X[:, 1] * 2) + 0.1 * rng.standard_normal(n)
    return X.astype(dtype), y
