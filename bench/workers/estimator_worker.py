"""Worker: any scikit-learn-compatible estimator named by its import path, e.g.
sklearn.ensemble.RandomForestClassifier, sklearn.ensemble.HistGradientBoostingClassifier or
xgboost.XGBClassifier. Classification labels are encoded as 0..K-1 for fit (xgboost requires it)
and mapped back after predict; predict_proba's columns are then in ascending label order.

Threads: estimators with n_jobs get it in their parameters; those without (scikit-learn's
HistGradientBoosting*) use OpenMP, whose thread count is read from OMP_NUM_THREADS when the OpenMP
runtime loads. The runner sets it to --threads for every worker; this worker sets it (and the BLAS
ones) again from --threads before importing anything numerical, so it holds when run by hand too,
and reports the OpenMP thread count the process actually ended up with (threadpoolctl)."""

import os
import sys


def _set_thread_env(argv):
    threads = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--threads"), None)
    threads = threads or next((a.split("=", 1)[1] for a in argv if a.startswith("--threads=")),
                              None)
    if threads:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = threads


_set_thread_env(sys.argv[1:])  # before numpy, scikit-learn or xgboost load an OpenMP runtime

import importlib  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import worker_common  # noqa: E402


def openmp_threads():
    """{runtime: threads} of the OpenMP runtimes loaded in this process, if threadpoolctl is
    there (it is a scikit-learn dependency)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return {}
    return {f"{i['prefix']}": i["num_threads"] for i in threadpool_info()
            if i.get("user_api") == "openmp"}


def main():
    args = worker_common.parse_args(lambda ap: ap.add_argument("--estimator", required=True))
    module_name, class_name = args.estimator.rsplit(".", 1)
    module = importlib.import_module(module_name)
    estimator = getattr(module, class_name)(**args.params)
    classes = None

    def fit(X, y):
        nonlocal classes
        if args.task == "classification":
            classes, y = np.unique(y, return_inverse=True)
        return estimator.fit(X, y)

    def predict(model, X):
        pred = model.predict(X)
        return classes[np.asarray(pred, dtype=np.int64)] if classes is not None else pred

    def versions():
        import numpy
        top = module_name.split(".")[0]
        name = {"sklearn": "scikit-learn"}.get(top, top)
        return {name: importlib.import_module(top).__version__, "numpy": numpy.__version__}

    def describe(model):
        facts = {"openmp_threads": openmp_threads()}
        if hasattr(model, "support_"):  # SVC / SVR: each support vector counted once
            facts["n_support_vectors"] = int(np.asarray(model.support_).size)
            # scikit-learn keeps no dual objective (dual_coef_ is not it): the report says n/a.
        if hasattr(model, "coef_") and hasattr(model, "n_iter_"):
            # LinearSVC (liblinear): passes of its dual coordinate descent, the most of any
            # one-vs-rest machine. (HistGradientBoosting's n_iter_, its rounds, has no coef_.)
            facts["passes"] = int(np.max(model.n_iter_))
        return facts

    def proba(model, X):
        return model.predict_proba(X)  # columns: the encoded classes 0..K-1, ascending labels

    worker_common.run(args, fit, predict, versions, describe, proba)


if __name__ == "__main__":
    main()
