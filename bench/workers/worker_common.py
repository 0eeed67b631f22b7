"""What every Python worker shares: the command line, reading a cached dataset, writing results.

A worker is one process that trains one learner once on one dataset and reports, as JSON in the
file --out: fit_s, predict_s (wall clock around fit / predict only), memory per phase (see
memory_probe), n_train, and versions; predictions go to --pred as raw float64, one per test row,
in the original label values, so the runner scores every learner with the same code. With
--proba, a classifier also writes its class probabilities there (raw float64, n_test x n_classes,
row-major, classes in ascending label order), predicted after the timed phases and after the peak
memory is read, so neither time nor memory includes them; the runner scores AUC from them.
"""

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from memory_probe import PhaseMeter  # noqa: E402


def parse_args(extra=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="dataset cache directory")
    ap.add_argument("--task", required=True, choices=["classification", "regression"])
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--max-train-rows", type=int, default=0, help="0 = all; else the first N")
    ap.add_argument("--params", default="{}", help="learner parameters as JSON")
    ap.add_argument("--out", required=True)
    ap.add_argument("--pred", required=True)
    ap.add_argument("--proba", default="",
                    help="also write class probabilities here (classification; untimed)")
    if extra:
        extra(ap)
    args = ap.parse_args()
    args.params = json.loads(args.params)
    return args


def load_matrix(directory, part):
    """X_<part> of a cached dataset: a float32 C-order array, or for a sparse dataset a float32
    scipy CSR matrix (X_<part>.npz), which every worker passes on as CSR."""
    path = os.path.join(directory, f"X_{part}.npz")
    if os.path.exists(path):
        import scipy.sparse as sp
        return sp.load_npz(path).tocsr()
    return np.load(os.path.join(directory, f"X_{part}.npy"))


def load(args):
    X_train = load_matrix(args.data, "train")
    y_train = np.load(os.path.join(args.data, "y_train.npy"))
    if 0 < args.max_train_rows < X_train.shape[0]:
        # The rows are in random order, so a prefix is a uniform subsample (a C-order view; a
        # copy of the rows for CSR).
        X_train, y_train = X_train[: args.max_train_rows], y_train[: args.max_train_rows]
    X_test = load_matrix(args.data, "test")
    return X_train, y_train, X_test


def run(args, fit, predict, versions, describe=None, proba=None):
    """fit(X, y) -> model; predict(model, X) -> float64 array in original label values;
    describe(model) -> dict of extra facts (e.g. model size), called outside the timed phases;
    proba(model, X) -> (n, n_classes) probabilities, called last and only with --proba."""
    meter = PhaseMeter()
    X_train, y_train, X_test = meter.run("load", lambda: load(args))
    model = meter.run("fit", lambda: fit(X_train, y_train))
    pred = meter.run("predict", lambda: predict(model, X_test))
    result = meter.finish()
    result["n_train"] = int(X_train.shape[0])
    result["versions"] = versions() if callable(versions) else versions
    if describe:
        result.update(describe(model))
    np.asarray(pred, dtype="<f8").tofile(args.pred)
    if args.proba and proba and args.task == "classification":
        # A learner without probabilities loses its AUC, not its timings.
        try:
            p = np.asarray(proba(model, X_test), dtype="<f8")
            p = p.reshape(X_test.shape[0], -1)
            p.tofile(args.proba)
            result["proba_cols"] = int(p.shape[1])
        except Exception as e:  # noqa: BLE001 -- reported, not fatal
            result["proba_error"] = f"{type(e).__name__}: {e}"
    with open(args.out, "w") as f:
        json.dump(result, f)
