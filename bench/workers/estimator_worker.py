"""Worker: any scikit-learn-compatible estimator named by its import path, e.g.
sklearn.ensemble.RandomForestClassifier or xgboost.XGBClassifier. Classification labels are
encoded as 0..K-1 for fit (xgboost requires it) and mapped back after predict."""

import importlib
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import worker_common  # noqa: E402


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

    worker_common.run(args, fit, predict, versions)


if __name__ == "__main__":
    main()
