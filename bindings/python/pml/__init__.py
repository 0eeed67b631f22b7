"""pml - parallel machine learning: random forests, gradient-boosted trees and SVMs.

Two layers over libpml's C ABI:

* scikit-learn estimators (need scikit-learn): RandomForestClassifier, RandomForestRegressor,
  ExtraTreesClassifier, ExtraTreesRegressor, GradientBoostingClassifier,
  GradientBoostingRegressor, SVC, SVR, LinearSVC;
* a thin layer mirroring pml.h (needs only numpy): Params, Dataset, train, Model.

    import pml
    clf = pml.RandomForestClassifier(n_estimators=200).fit(X, y)
    with pml.Dataset(X, label=y) as d, pml.train("boosting", {"n_rounds": 100}, d) as m:
        proba = m.predict(X_test, kind="proba")

Every failing call raises PmlError carrying pml_last_error(); InvalidArgumentError and
FormatError are also ValueErrors, PmlIOError an OSError, OutOfMemoryError a MemoryError.
"""

from . import capi
from ._api import (
    PREDICT_PROBA,
    PREDICT_RAW,
    PREDICT_VALUE,
    Dataset,
    Model,
    Params,
    load_model,
    log_to_logging,
    set_log_handler,
    train,
    version,
)
from .capi import (
    CancelledError,
    DistributedError,
    FormatError,
    InternalError,
    InvalidArgumentError,
    OutOfMemoryError,
    PmlError,
    PmlIOError,
    UnsupportedError,
)

__version__ = capi.pml_version_string()

_ESTIMATORS = (
    "RandomForestClassifier",
    "RandomForestRegressor",
    "ExtraTreesClassifier",
    "ExtraTreesRegressor",
    "GradientBoostingClassifier",
    "GradientBoostingRegressor",
    "SVC",
    "SVR",
    "LinearSVC",
)

__all__ = [
    "CancelledError", "Dataset", "DistributedError", "FormatError", "InternalError",
    "InvalidArgumentError", "Model", "OutOfMemoryError", "PREDICT_PROBA", "PREDICT_RAW",
    "PREDICT_VALUE", "Params", "PmlError", "PmlIOError", "UnsupportedError", "load_model",
    "log_to_logging", "set_log_handler", "train", "version",
] + list(_ESTIMATORS)


def __getattr__(name):
    # The estimators import scikit-learn, so they load on first use: `import pml` needs numpy only.
    if name in _ESTIMATORS:
        from . import estimators

        return getattr(estimators, name)
    raise AttributeError(f"module 'pml' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_ESTIMATORS))
