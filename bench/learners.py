"""The registry of learners and their peers: what the benchmark runs.

A Learner is one pml algorithm (the name given to pml_train) with the parameters the benchmark
trains it with, the peers it is compared against, and the targets it must meet. A Peer is another
library doing the same job, run by one of the generic workers in bench/workers/:

    estimator  any scikit-learn-compatible estimator, by import path (scikit-learn, xgboost, ...)
    rscript    an R script that takes key=value arguments (ranger_worker.R is the model to copy)
    libsvm     libsvm's command-line tools svm-train / svm-predict on LIBSVM text files
               (libsvm_worker.py; params are svm-train's options, {"-c": 10, ...})

Parameter functions receive the dataset's metadata (task, n_cols, n_classes, ...) and return a
dict; `threads` and `seed` are passed to every worker separately, and the peer's params add them
under its own names (n_jobs / random_state for scikit-learn, num.threads / seed for ranger).

Adding a learner is adding an entry to LEARNERS (the forest, boosting and svm entries are the
models). A learner runs on datasets.DEFAULT_DATASETS unless it names its own (the SVM does: kernel
SVMs cannot train on a million rows). One pml algorithm can be several learners with different
parameters, peers and datasets: svm_linear is pml's "svm" (its `algorithm`) with the linear dual
coordinate descent solver, on a large sparse set, against LIBLINEAR. Until pml trains an
algorithm, the runner finds out with a tiny training call and runs only its peers.
"""

import importlib.util
import math
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

import datasets


@dataclass
class Peer:
    name: str  # short id used in run ids and on the command line
    label: str  # what the report calls it
    kind: str  # "estimator" | "rscript" | "libsvm"
    # estimator: import path per task; rscript: the script path relative to bench/workers;
    # libsvm: the svm-train program (svm-predict is looked up next to it)
    target: Dict[str, str]
    params: Callable[[dict, int, int], dict]  # (meta, threads, seed) -> parameters
    # Train on at most this many rows of a dataset (the first N of its shuffled training rows)
    # when the full set would take too long; the runner then also trains pml on the same rows,
    # so accuracy and time are compared like for like. Ignored with --no-subsample.
    max_train_rows: Dict[str, int] = field(default_factory=dict)
    requires: Callable[[], Optional[str]] = lambda: None  # None if usable, else why not
    note: str = ""  # printed under every table the peer appears in
    # A peer that cannot use several threads (libsvm) runs with this many, whatever --threads;
    # None = --threads.
    threads: Optional[int] = None


@dataclass
class Target:
    """One promise of the issue, checked after the run (see report.check_targets).
    kind: accuracy   pml's metric >= peer's - tolerance (clf: points of accuracy; reg: R^2)
          score      pml's `metric` (auc, accuracy, r2: higher is better; rmse: lower is better)
                     no worse than the peer's by more than `limit`, absolute, or with
                     relative=True a fraction of the peer's value (0.01 = within 1%)
          match      pml's `metric` (n_support_vectors, objective, or a score) differs from the
                     peer's, either way, by at most `limit` (absolute, or relative=True)
          train      pml train time / peer's <= limit (pml_run="pml-1t": pml at 1 thread)
          predict    peer predict time / pml's >= limit (throughput ratio)
          speedup    pml train time at 1 thread / at --threads >= limit
          memory     pml's peak memory during training above the caller's data <= limit x the
                     float32 size of the training matrix"""
    kind: str
    limit: float
    peer: Optional[str] = None
    datasets: Optional[List[str]] = None  # None = every dataset
    text: str = ""
    limit_regression: Optional[float] = None  # accuracy: the R^2 tolerance, if different
    metric: Optional[str] = None  # score: "auc" | "accuracy" | "r2" | "rmse"; match: any measure
    relative: bool = False  # score, match: limit is a fraction of the peer's value
    pml_run: str = "pml"  # train: which pml run is timed ("pml" at --threads, "pml-1t")


@dataclass
class Learner:
    name: str  # the registry key (--learners, the report's tables); pml_train's algorithm too
    pml_params: Callable[[dict], dict]
    peers: List[Peer]
    targets: List[Target]
    # pml_train's algorithm when it is not `name`: two learners may be one algorithm with
    # different parameters (svm and svm_linear are both "svm").
    algorithm: Optional[str] = None
    # Classifiers also write class probabilities (after the timed predict, outside the measured
    # memory), so the runner can score the test AUC of binary classification.
    proba: bool = False
    # The datasets (datasets.DATASETS names) this learner is benchmarked on; None = the default
    # ones (datasets.DEFAULT_DATASETS). --datasets selects among them.
    datasets: Optional[List[str]] = None

    def pml_algorithm(self):
        return self.algorithm or self.name

    def dataset_names(self):
        return list(self.datasets) if self.datasets else list(datasets.DEFAULT_DATASETS)


def _python_module(name):
    return lambda: None if importlib.util.find_spec(name) else f"python3 module {name} not found"


def _r_package(name):
    def check():
        if not shutil.which("Rscript"):
            return "Rscript not found (apt install r-base-core)"
        r = subprocess.run(["Rscript", "-e", f"library({name})"], capture_output=True, text=True)
        return None if r.returncode == 0 else f"R package {name} not found"
    return check


# ---------------------------------------------------------------------------------------------
# Random forest (issue 3)
# ---------------------------------------------------------------------------------------------


def _forest_max_features(meta):
    # scikit-learn's defaults: sqrt(p) for classification, all features for regression.
    return max(1, int(math.sqrt(meta["n_cols"]))) if meta["task"] == "classification" \
        else meta["n_cols"]


SKLEARN_FOREST = Peer(
    name="sklearn",
    label="scikit-learn RandomForest",
    kind="estimator",
    target={"classification": "sklearn.ensemble.RandomForestClassifier",
            "regression": "sklearn.ensemble.RandomForestRegressor"},
    params=lambda meta, threads, seed: {
        "n_estimators": 100, "n_jobs": threads, "random_state": seed,
        "max_features": "sqrt" if meta["task"] == "classification" else 1.0},
    # scikit-learn grows fully-grown trees on sorted raw values: on 2 cores it needs roughly
    # 10 minutes per fit on 800k x 28 and far more on 400k x 50 with all features per split.
    max_train_rows={"higgs_like": 200_000, "regression_500k": 100_000},
    requires=_python_module("sklearn"),
)

RANGER_FOREST = Peer(
    name="ranger",
    label="ranger (R)",
    kind="rscript",
    target={"classification": "ranger_worker.R", "regression": "ranger_worker.R"},
    # Same forest as scikit-learn's defaults: 100 fully grown trees (min.node.size 1; ranger's
    # default is 5 for regression), the same mtry, bootstrap; no OOB error (nobody asked for it,
    # and it is not free).
    params=lambda meta, threads, seed: {
        "num.trees": 100, "mtry": _forest_max_features(meta), "min.node.size": 1,
        "oob.error": False},
    # With every feature tried at each split (mtry = 50) ranger needs about 40 minutes per fit on
    # 400k rows on 2 cores; the 1M x 28 set, where the training-time target is, runs in full.
    max_train_rows={"regression_500k": 100_000},
    requires=_r_package("ranger"),
)

FOREST = Learner(
    name="forest",
    pml_params=lambda meta: {"n_trees": 100},  # other parameters: scikit-learn's defaults
    peers=[SKLEARN_FOREST, RANGER_FOREST],
    datasets=datasets.DEFAULT_DATASETS + ["glyph_images"],
    targets=[
        Target("accuracy", 0.005, peer="sklearn", limit_regression=0.01,
               text="accuracy within 0.5 points of scikit-learn (R^2 within 0.01)"),
        Target("train", 0.5, peer="ranger", datasets=["higgs_like"],
               text="training time <= 0.5x ranger's on the 1M x 28 set"),
        Target("train", 0.2, peer="sklearn", datasets=["higgs_like"],
               text="training time <= 0.2x scikit-learn's on the 1M x 28 set"),
        Target("speedup", 1.8, text="2 threads >= 1.8x faster than 1 thread"),
        Target("predict", 3.0, peer="sklearn",
               text="prediction throughput >= 3x scikit-learn's"),
        Target("train", 0.2, peer="sklearn", datasets=["glyph_images"],
               text="training time <= 0.2x scikit-learn's on 28 x 28 images (issue 20)"),
        # Only where the matrix is large: on letter (1 MB) fixed costs (thread stacks, allocator
        # arenas) dominate any ratio.
        Target("memory", 1.5, datasets=["higgs_like", "regression_500k"],
               text="peak memory <= 1.5x the float32 training matrix"),
    ],
)

# ---------------------------------------------------------------------------------------------
# Gradient boosting (issue 4): 200 rounds of depth-6 trees on 255 histogram bins, learning rate
# 0.1, L2 regularisation lambda 1, min child weight 1 -- the same model in all three libraries.
# Both peers are fast enough on the full training sets, so none is subsampled.
# ---------------------------------------------------------------------------------------------

XGBOOST_HIST = Peer(
    name="xgboost",
    label="XGBoost (hist)",
    kind="estimator",
    target={"classification": "xgboost.XGBClassifier", "regression": "xgboost.XGBRegressor"},
    # reg_lambda (1) and min_child_weight (1) are XGBoost's defaults, as pml's; multiclass uses
    # the default multi:softprob objective (one tree per class and round, as pml and HGB).
    params=lambda meta, threads, seed: {
        "n_estimators": 200, "max_depth": 6, "learning_rate": 0.1, "tree_method": "hist",
        "max_bin": 256, "n_jobs": threads, "random_state": seed},
    requires=_python_module("xgboost"),
)

SKLEARN_HGB = Peer(
    name="sklearn-hgb",
    label="scikit-learn HistGradientBoosting",
    kind="estimator",
    target={"classification": "sklearn.ensemble.HistGradientBoostingClassifier",
            "regression": "sklearn.ensemble.HistGradientBoostingRegressor"},
    # No n_jobs: HGB's threads are OpenMP's, set through OMP_NUM_THREADS (the runner sets it to
    # --threads for every worker, and estimator_worker.py sets it again before any import).
    # max_leaf_nodes 64 = a full depth-6 tree, so depth, not the leaf count, limits growth;
    # max_bins is HGB's default of 255 (plus its bin for missing values).
    params=lambda meta, threads, seed: {
        "max_iter": 200, "max_depth": 6, "max_leaf_nodes": 64, "learning_rate": 0.1,
        "early_stopping": False, "l2_regularization": 1.0, "random_state": seed},
    requires=_python_module("sklearn"),
)

BOOSTING = Learner(
    name="boosting",
    pml_params=lambda meta: {"n_rounds": 200, "max_depth": 6, "learning_rate": 0.1,
                             "max_bins": 255, "growth": "depthwise"},
    peers=[XGBOOST_HIST, SKLEARN_HGB],
    proba=True,
    targets=[
        Target("score", 0.002, peer="xgboost", metric="auc", datasets=["higgs_like"],
               text="test AUC within 0.002 of XGBoost's on the 1M x 28 set"),
        # Issue 20's targets (at --threads 1 the same ratios are the 1-thread targets).
        Target("train", 0.75, peer="xgboost", datasets=["higgs_like", "regression_500k"],
               text="training time <= 0.75x XGBoost's on the 1M x 28 and the regression sets"),
        Target("train", 0.6, peer="sklearn-hgb", datasets=["higgs_like"],
               text="training time <= 0.6x scikit-learn HGB's on the 1M x 28 set"),
        Target("predict", 1.25, peer="xgboost", datasets=["higgs_like"],
               text="prediction time <= 0.8x XGBoost's on the 1M x 28 set"),
        Target("score", 0.01, peer="xgboost", metric="accuracy", relative=True,
               datasets=["letter"], text="letter accuracy within 1% of XGBoost's"),
        Target("score", 0.01, peer="xgboost", metric="rmse", relative=True,
               datasets=["regression_500k"], text="regression RMSE within 1% of XGBoost's"),
        Target("train", 1.0, peer="xgboost", datasets=["letter"],
               text="training time <= XGBoost's on letter"),
        Target("speedup", 1.85, datasets=["higgs_like"],
               text="2 threads >= 1.85x faster than 1 thread on the 1M x 28 set"),
        Target("memory", 1.5, datasets=["higgs_like", "regression_500k"],
               text="peak memory <= 1.5x the float32 training matrix"),
    ],
)

# ---------------------------------------------------------------------------------------------
# Support vector machines (issue 5): C-SVC with the RBF kernel, the same C and the same numeric
# gamma in all three, libsvm's default tolerance 0.001, shrinking on, 200 MB kernel cache. Both
# peers are libsvm (scikit-learn's SVC wraps it) and single-threaded. Only on the SVM's own two
# datasets: the kernel matrix of the 1M-row sets would be terabytes.
# ---------------------------------------------------------------------------------------------

SVM_DATASETS = ["binary_24k", "letter_scaled"]
# Per-dataset C and gamma; gamma None = scikit-learn's "scale", 1 / (n_cols x variance of all
# training values), computed from the data and passed as a number to everyone.
SVM_SETTINGS = {"letter_scaled": {"C": 10.0, "gamma": 0.5}}


def svm_settings(meta):
    s = dict(SVM_SETTINGS.get(meta["name"], {}))
    s.setdefault("C", 1.0)
    if s.get("gamma") is None:
        s["gamma"] = float(f"{1.0 / (meta['n_cols'] * meta['x_train_var']):.6g}")
    return s


def _libsvm_tools():
    missing = [t for t in ("svm-train", "svm-predict") if not shutil.which(t)]
    return f"{' and '.join(missing)} not found (apt install libsvm-tools)" if missing else None


def _libsvm_params(meta, threads, seed):
    s = svm_settings(meta)
    # -s 0 C-SVC / 3 epsilon-SVR, -t 2 RBF; -e 0.001 and -h 1 (shrinking) are the defaults,
    # spelled out so the report shows them.
    p = {"-s": 0 if meta["task"] == "classification" else 3, "-t": 2, "-c": s["C"],
         "-g": s["gamma"], "-m": 200, "-e": 0.001, "-h": 1}
    if meta["task"] == "regression":
        p["-p"] = 0.1
    return p


LIBSVM = Peer(
    name="libsvm",
    label="libsvm (1 thread)",
    kind="libsvm",
    target={"classification": "svm-train", "regression": "svm-train"},
    params=_libsvm_params,
    requires=_libsvm_tools,
    threads=1,
    note="libsvm: svm-train and svm-predict are timed as whole processes (wall clock, including "
         "reading the LIBSVM text file and, for svm-train, writing the model file), *peak MB* and "
         "*train +MB* are the svm-train process's own peak (no Python, its data as parsed from "
         "text); the LIBSVM files are written before, untimed. The dual objective is the sum of "
         "svm-train's \"obj =\" lines over the one-vs-one machines, the SV count its total_sv.",
)

SKLEARN_SVC = Peer(
    name="sklearn-svc",
    label="scikit-learn SVC (1 thread)",
    kind="estimator",
    target={"classification": "sklearn.svm.SVC", "regression": "sklearn.svm.SVR"},
    # tol 0.001, shrinking and (SVC) one-vs-one training are scikit-learn's defaults as well.
    params=lambda meta, threads, seed: {
        "kernel": "rbf", "C": svm_settings(meta)["C"], "gamma": svm_settings(meta)["gamma"],
        "cache_size": 200, "tol": 0.001, "shrinking": True},
    requires=_python_module("sklearn"),
    threads=1,
    note="scikit-learn SVC wraps libsvm; it does not expose the dual objective (n/a).",
)

SVM = Learner(
    name="svm",
    pml_params=lambda meta: {"kernel": "rbf", **svm_settings(meta), "cache_mb": 200,
                             "tol": 0.001},
    peers=[LIBSVM, SKLEARN_SVC],
    datasets=SVM_DATASETS,
    targets=[
        Target("score", 0.002, peer="libsvm", metric="accuracy",
               text="test accuracy within 0.2 points of libsvm's"),
        Target("match", 0.02, peer="libsvm", metric="n_support_vectors", relative=True,
               text="support-vector count within 2% of libsvm's"),
        Target("match", 1e-3, peer="libsvm", metric="objective", relative=True,
               text="dual objective within 1e-3 (relative) of libsvm's"),
        Target("train", 0.7, peer="libsvm", pml_run="pml-1t",
               text="training time at 1 thread <= 0.7x libsvm's"),
        Target("train", 0.4, peer="libsvm",
               text="training time at 2 threads <= 0.4x libsvm's"),
    ],
)

# ---------------------------------------------------------------------------------------------
# Linear SVM (issue 5's linear target): L2-regularised hinge loss by dual coordinate descent on
# large sparse data, pml's solver=dual_cd against LIBLINEAR's as scikit-learn's LinearSVC wraps
# it. The same problem in both: hinge loss, C = 1, the bias as a constant feature of value 1
# regularised like the weights (LinearSVC's intercept_scaling=1), stopping tolerance 0.1 on the
# projected gradient, at most 1000 passes. Both shuffle the rows each pass with their own random
# generators, so they stop at nearby, not identical, solutions.
# ---------------------------------------------------------------------------------------------

SVM_LINEAR_SETTINGS = {"C": 1.0, "tol": 0.1, "max_iter": 1000}

SKLEARN_LINEAR_SVC = Peer(
    name="sklearn-linearsvc",
    label="scikit-learn LinearSVC (1 thread)",
    kind="estimator",
    target={"classification": "sklearn.svm.LinearSVC"},
    # loss="hinge" needs dual=True; LinearSVC's default loss is squared_hinge, pml's hinge.
    params=lambda meta, threads, seed: {
        "loss": "hinge", "dual": True, "penalty": "l2", "fit_intercept": True,
        "intercept_scaling": 1.0, **SVM_LINEAR_SETTINGS, "random_state": seed},
    requires=_python_module("sklearn"),
    threads=1,
    note="scikit-learn LinearSVC wraps LIBLINEAR (single-threaded); its fit converts the float32 "
         "CSR input to float64 and LIBLINEAR copies it once more into its own row format, both "
         "inside the timed fit, as pml's fit includes building its own sparse copy. *passes*: "
         "passes of the dual coordinate descent over the (active) rows, LIBLINEAR's n_iter_ and "
         "pml's iterations.",
)

SVM_LINEAR = Learner(
    name="svm_linear",
    algorithm="svm",
    pml_params=lambda meta: {"kernel": "linear", "solver": "dual_cd", "loss": "hinge",
                             **SVM_LINEAR_SETTINGS},
    peers=[SKLEARN_LINEAR_SVC],
    datasets=["sparse_text"],
    targets=[
        Target("score", 0.002, peer="sklearn-linearsvc", metric="accuracy",
               text="test accuracy within 0.2 points of LinearSVC's (LIBLINEAR)"),
        Target("train", 1.0, peer="sklearn-linearsvc",
               text="training time at 2 threads <= 1.0x LinearSVC's"),
        Target("train", 1.0, peer="sklearn-linearsvc", pml_run="pml-1t",
               text="training time at 1 thread <= 1.0x LinearSVC's"),
    ],
)

LEARNERS = {"forest": FOREST, "boosting": BOOSTING, "svm": SVM, "svm_linear": SVM_LINEAR}
