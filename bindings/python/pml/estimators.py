"""scikit-learn estimators backed by pml.

Each replaces its scikit-learn (or XGBoost) namesake in one line, inside a Pipeline or a
GridSearchCV too: same parameter names where pml has the feature, get_params/set_params,
fit(X, y, sample_weight=None), predict, score, classes_, n_features_in_, pickling.

    RandomForestClassifier / RandomForestRegressor     pml "forest" (scikit-learn's names)
    ExtraTreesClassifier / ExtraTreesRegressor         pml "forest" with extra_trees=true
    GradientBoostingClassifier / ...Regressor          pml "boosting" (XGBoost's names:
                                                       reg_lambda, colsample_bytree, eval_set...)
    SVC / SVR                                          pml "svm" (scikit-learn's names)
    LinearSVC                                          pml "svm" with solver=dual_cd

Differences worth knowing: n_jobs=None means all cores (pml's default), not one;
random_state=None draws a new seed from numpy's global generator at each fit (scikit-learn's
meaning), an int gives byte-identical models whatever n_jobs is. Input is validated by
scikit-learn's own checks, then handed to pml without a copy when it is a float32/float64 array
in C or Fortran order or a CSR matrix with float values. Labels may be any values (strings
too); pml sees them as 0..K-1 and predictions are mapped back.

Categorical features (forest and boosting): a DataFrame's pandas ``category`` columns are
categorical by themselves (their codes go to pml with their categories as names, so data at
prediction is matched by category name, whatever the order of its categories); other columns
holding whole-number codes are named by ``categorical_features``, as in scikit-learn's
HistGradientBoosting. The SVMs take category columns too: pml one-hot encodes them inside the
model, matched by name in the same way.
"""

import inspect
import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_array
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import _ovr_decision_function, check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from . import _ESTIMATORS, _api

try:  # scikit-learn >= 1.6: a function
    from sklearn.utils.validation import validate_data as _sk_validate_data
except ImportError:  # before: a method

    def _sk_validate_data(estimator, *args, **kwargs):
        return estimator._validate_data(*args, **kwargs)


# force_all_finite was renamed ensure_all_finite in scikit-learn 1.6.
_FINITE = (
    "ensure_all_finite"
    if "ensure_all_finite" in inspect.signature(check_array).parameters
    else "force_all_finite"
)

__all__ = list(_ESTIMATORS)  # the one list, kept by the package (pml/__init__.py)


def _dataset(X, names, label=None, weight=None):
    """A pml.Dataset of validated X whose columns names[position] are named categories."""
    dataset = _api.Dataset(X, label=label, weight=weight)
    try:
        for column, column_names in names.items():
            dataset.set_category_names(column, column_names)
    except BaseException:
        dataset.free()
        raise
    return dataset


def _seed(random_state):
    """pml's seed for a scikit-learn random_state: an int as is, a RandomState draws one, None
    draws one from numpy's global generator (so np.random.seed controls it)."""
    if random_state is None:
        return int(np.random.mtrand._rand.randint(np.iinfo(np.int32).max))
    if isinstance(random_state, numbers.Integral):
        if random_state < 0:
            raise ValueError(f"random_state must be >= 0, got {random_state}")
        return int(random_state)
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    raise ValueError(f"random_state must be None, an int or a RandomState, got {random_state!r}")


class _PmlEstimator(BaseEstimator):
    """What every pml estimator shares: validation, the pml parameters, fit and predict."""

    _algorithm = None  # "forest", "boosting", "svm"
    _allow_nan = False  # NaN is pml's "missing" for the tree learners; the SVM refuses it
    _categorical = False  # the tree learners split categorical columns on sets of categories
    _task = None  # "classification" or "regression"

    # -- to override ---------------------------------------------------------------------

    def _learner_params(self, n_rows):
        """The algorithm's pml keys for these settings (None values are left unset)."""
        raise NotImplementedError

    def _after_fit(self, model):
        """Reads what the model learned into fitted attributes."""

    # -- the shared machinery --------------------------------------------------------------

    def _pml_params(self, n_rows):
        """Every pml key fit passes (also used by tests to train the same model through the C
        API). Draws a seed from random_state."""
        params = {"task": self._task}
        params.update(self._learner_params(n_rows))
        categorical = getattr(self, "is_categorical_", None)
        if categorical is not None and categorical.any():
            params["categorical_features"] = np.flatnonzero(categorical)
        if getattr(self, "n_jobs", None) is not None:
            params["n_jobs"] = self.n_jobs
        if "random_state" in self.get_params(deep=False):
            params["seed"] = _seed(self.random_state)
        verbose = int(getattr(self, "verbose", 0) or 0)
        if verbose:
            params["verbose"] = min(verbose, 2)
        return {k: v for k, v in params.items() if v is not None}

    def _check_kwargs(self):
        return {
            "accept_sparse": "csr",
            "dtype": [np.float64, np.float32],  # float32 and float64 kept as they are
            # A missing category is NaN for every learner (the SVMs one-hot encode it as no
            # category at all); pml refuses NaN in an SVM's numeric columns itself.
            _FINITE: "allow-nan" if self._allow_nan or self.__dict__.get("_has_category_columns")
            else True,
        }

    def _split_categories(self, X):
        """(X with its pandas category columns as float64 codes, {position: category names});
        UnsupportedError for a learner that takes numbers only."""
        X, names = _api._split_categories(X)
        self._has_category_columns = bool(names)
        if names and not self._categorical:
            column = X.columns[next(iter(names))]
            raise _api.capi.UnsupportedError(
                f"{type(self).__name__} takes numbers only, but column {column!r} has pandas' "
                "category dtype: one-hot encode it (sklearn.preprocessing.OneHotEncoder) or use "
                "a forest or gradient boosting, which split categorical columns natively")
        return X, names

    def _categorical_mask(self, names):
        """The boolean mask of the categorical columns: those categorical_features names (column
        indices, column names of a DataFrame, or a mask) and the pandas category columns."""
        n = self.n_features_in_
        mask = np.zeros(n, dtype=bool)
        mask[list(names)] = True
        spec = getattr(self, "categorical_features", None)
        if spec is None:
            return mask
        wanted = np.asarray(spec)
        if wanted.ndim != 1 or isinstance(spec, str):
            raise ValueError("categorical_features must be None or an array-like of column "
                             f"indices, column names or booleans; got {spec!r}")
        if wanted.size == 0:
            return mask
        if wanted.dtype.kind == "b":
            if wanted.shape[0] != n:
                raise ValueError(f"categorical_features as a boolean mask must have one value per "
                                 f"feature ({n}), got {wanted.shape[0]}")
            return mask | wanted
        if wanted.dtype.kind in "iu":
            outside = wanted[(wanted < 0) | (wanted >= n)]
            if outside.size:
                raise ValueError(f"categorical_features: {int(outside[0])} is not a column index "
                                 f"from 0 to {n - 1}")
            mask[wanted] = True
            return mask
        if wanted.dtype.kind in "UO" and all(isinstance(v, str) for v in wanted):
            columns = getattr(self, "feature_names_in_", None)
            if columns is None:
                raise ValueError("categorical_features names columns, which needs X to be a "
                                 "pandas DataFrame with string column names")
            position = {column: i for i, column in enumerate(columns)}
            for column in wanted:
                if column not in position:
                    raise ValueError(f"categorical_features: {column!r} is not a column of X "
                                     f"(its columns: {', '.join(map(repr, columns[:10]))}"
                                     f"{', ...' if len(columns) > 10 else ''})")
                mask[position[column]] = True
            return mask
        raise ValueError("categorical_features must be None or an array-like of column indices, "
                         f"column names or booleans; got {spec!r}")

    def _validate_fit(self, X, y):
        return _sk_validate_data(self, X, y, y_numeric=self._task == "regression",
                                 **self._check_kwargs())

    def _validate_X(self, X):
        return _sk_validate_data(self, X, reset=False, **self._check_kwargs())

    def _validate_eval_set(self, eval_set):
        if eval_set is None:
            return None
        if isinstance(eval_set, tuple) and len(eval_set) == 2 and not isinstance(
                eval_set[0], tuple):
            eval_set = [eval_set]
        if not eval_set:
            return None
        X_valid, y_valid = eval_set[-1]  # as XGBoost: the last pair decides early stopping
        X_valid, names = self._split_categories(X_valid)
        X_valid = self._validate_X(X_valid)
        y_valid = np.asarray(y_valid).reshape(-1)
        if y_valid.shape[0] != X_valid.shape[0]:
            raise ValueError(f"eval_set: X has {X_valid.shape[0]} rows but y has "
                             f"{y_valid.shape[0]}")
        return X_valid, names, self._encode_labels(y_valid), len(eval_set) - 1

    def _encode_labels(self, y):
        return np.asarray(y, dtype=np.float64)

    def _fit(self, X, y, sample_weight, eval_set=None):
        X, names = self._split_categories(X)
        X, y = self._validate_fit(X, y)
        if self._categorical:
            self.is_categorical_ = self._categorical_mask(names)
        y_pml, sample_weight = self._prepare_targets(y, sample_weight, X)
        valid = self._validate_eval_set(eval_set)
        params = self._pml_params(X.shape[0])
        with _dataset(X, names, label=y_pml, weight=sample_weight) as train:
            if valid is None:
                model = _api.train(self._algorithm, params, train)
            else:
                with _dataset(valid[0], valid[1], label=valid[2]) as valid_set:
                    model = _api.train(self._algorithm, params, train, valid_set)
        self._model = model
        self._after_fit(model)
        if valid is not None:
            self._record_eval(model, valid[3])
        return self

    def _prepare_targets(self, y, sample_weight, X):
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64)
        return np.ascontiguousarray(y, dtype=np.float64), sample_weight

    def _record_eval(self, model, index):
        pass

    def _predict_kind(self, X, kind):
        check_is_fitted(self)
        X, names = self._split_categories(X)
        X = self._validate_X(X)
        if not names:
            return self._model.predict(X, kind)
        with _dataset(X, names) as dataset:  # pml matches the categories by name
            return self._model.predict(dataset, kind)

    @property
    def pml_model_(self):
        """The fitted pml.Model (save it, or predict with the thin layer)."""
        check_is_fitted(self)
        return self._model

    def _more_tags(self):
        return {"allow_nan": self._allow_nan}

    def __sklearn_tags__(self):  # scikit-learn >= 1.6
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = self._allow_nan
        tags.input_tags.sparse = True
        return tags


class _PmlClassifier(ClassifierMixin, _PmlEstimator):
    _task = "classification"

    def _prepare_targets(self, y, sample_weight, X):
        check_classification_targets(y)
        self.classes_, y_encoded = np.unique(y, return_inverse=True)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64)
        class_weight = getattr(self, "class_weight", None)
        if isinstance(class_weight, dict):  # "balanced" goes to pml; a dict becomes weights
            by_class = compute_sample_weight(class_weight, y)
            sample_weight = by_class if sample_weight is None else sample_weight * by_class
        weighted = y_encoded if sample_weight is None else y_encoded[sample_weight > 0]
        if np.unique(weighted).size < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes (with positive "
                f"sample weight), but the data contains only one class: {self.classes_[0]!r}")
        return np.ascontiguousarray(y_encoded, dtype=np.float64), sample_weight

    def _encode_labels(self, y):
        index = np.searchsorted(self.classes_, y)
        index = np.clip(index, 0, len(self.classes_) - 1)
        if not np.array_equal(self.classes_[index], y):
            unseen = np.setdiff1d(np.unique(y), self.classes_)
            raise ValueError(f"eval_set has labels not seen in training: {unseen[:5]!r}")
        return index.astype(np.float64)

    def predict(self, X):
        """The predicted class labels (the values of y, strings included)."""
        encoded = self._predict_kind(X, _api.PREDICT_VALUE)
        return self.classes_.take(encoded.astype(np.intp))


class _PmlRegressor(RegressorMixin, _PmlEstimator):
    _task = "regression"

    def predict(self, X):
        """The predicted values."""
        return self._predict_kind(X, _api.PREDICT_VALUE)


# ============================================================================================
#  Forest
# ============================================================================================


_CATEGORICAL_FEATURES_DOC = """
    categorical_features : None or array-like of int, of str or of bool, default=None
        Columns that hold category codes (whole numbers 0 .. 65,534; NaN is missing), as in
        scikit-learn's HistGradientBoosting: column indices, column names of a DataFrame X, or a
        boolean mask with one value per feature. A categorical column is split on sets of
        categories, not on thresholds. The ``category`` columns of a pandas DataFrame are
        categorical whatever this says: their codes go to pml with their categories (as str)
        as names, and a DataFrame given later (predict, score, eval_set) is matched by category
        name: categories in another order predict the same, a category not seen in training
        goes where missing values go.
    max_cat_to_onehot : int, default=4
        A node holding at most this many categories of a column tries each one against the
        rest."""

_FOREST_CATEGORICAL_DOC = """

    Listed below are pml's own parameters; the others are scikit-learn's, with its defaults.

    Parameters
    ----------
    max_bins : int, default=255
        Histogram bins per numeric feature.""" + _CATEGORICAL_FEATURES_DOC + """
    max_cat_threshold : int or None, default=None
        Most categories a split sends left, from either end of the node's order of categories
        (by mean target, or by class share); None: no limit.
    min_data_per_category : int, default=1
        A category with fewer rows in the node is left out of the order (it goes right).

    Attributes
    ----------
    is_categorical_ : ndarray of bool, shape (n_features_in_,)
        Which features were categorical (categorical_features and pandas category columns).
    """


class _ForestMixin:
    _algorithm = "forest"
    _allow_nan = True
    _categorical = True
    _extra_trees = False

    def _learner_params(self, n_rows):
        max_features = self.max_features
        if max_features is None:
            max_features = "all"
        elif max_features == "auto":  # scikit-learn < 1.3
            max_features = "sqrt" if self._task == "classification" else "all"
        max_samples = self.max_samples
        if isinstance(max_samples, numbers.Integral) and not isinstance(max_samples, bool):
            if not 1 <= max_samples <= n_rows:
                raise ValueError(f"max_samples must be in [1, {n_rows}], got {max_samples}")
            max_samples = max_samples / n_rows
        class_weight = self.class_weight if self._task == "classification" else None
        if class_weight not in (None, "balanced") and not isinstance(class_weight, dict):
            raise ValueError(f"class_weight must be None, 'balanced' or a dict, got "
                             f"{class_weight!r}")
        return {
            "n_trees": self.n_estimators,
            "criterion": self.criterion,
            "max_depth": self.max_depth,
            "min_samples_split": self.min_samples_split,
            "min_samples_leaf": self.min_samples_leaf,
            "max_features": max_features,
            "min_impurity_decrease": self.min_impurity_decrease,
            "bootstrap": self.bootstrap,
            "oob_score": self.oob_score,
            "max_samples": max_samples,
            "class_weight": "balanced" if class_weight == "balanced" else None,
            "extra_trees": True if self._extra_trees else None,
            "max_bins": self.max_bins,
            "max_cat_to_onehot": self.max_cat_to_onehot,
            "max_cat_threshold": self.max_cat_threshold,
            "min_data_per_category": self.min_data_per_category,
        }

    def _after_fit(self, model):
        if self.oob_score:
            self.oob_score_ = model.oob_score

    @property
    def feature_importances_(self):
        """Impurity-based importances (mean decrease in impurity, sums to 1)."""
        check_is_fitted(self)
        return self._model.feature_importances()

    def fit(self, X, y, sample_weight=None):
        """Fits the forest to X (n_samples, n_features; NaN = missing) and y."""
        return self._fit(X, y, sample_weight)


class RandomForestClassifier(_ForestMixin, _PmlClassifier):
    __doc__ = """A random forest classifier (pml "forest"), scikit-learn's parameters and defaults.

    max_bins (pml's histogram bins per feature) and the categorical parameters are pml's own;
    scikit-learn's min_weight_fraction_leaf, max_leaf_nodes, warm_start and ccp_alpha are not
    available.""" + _FOREST_CATEGORICAL_DOC

    def __init__(self, n_estimators=100, *, criterion="gini", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, max_features="sqrt",
                 min_impurity_decrease=0.0, bootstrap=True, oob_score=False, n_jobs=None,
                 random_state=None, verbose=0, class_weight=None, max_samples=None,
                 max_bins=255, categorical_features=None, max_cat_to_onehot=4,
                 max_cat_threshold=None, min_data_per_category=1):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.class_weight = class_weight
        self.max_samples = max_samples
        self.max_bins = max_bins
        self.categorical_features = categorical_features
        self.max_cat_to_onehot = max_cat_to_onehot
        self.max_cat_threshold = max_cat_threshold
        self.min_data_per_category = min_data_per_category

    def predict_proba(self, X):
        """Class probabilities (n_samples, n_classes), columns in classes_ order."""
        return self._predict_kind(X, _api.PREDICT_PROBA)

    def predict_log_proba(self, X):
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))


class RandomForestRegressor(_ForestMixin, _PmlRegressor):
    __doc__ = """A random forest regressor (pml "forest"), scikit-learn's parameters and defaults.
    """ + _FOREST_CATEGORICAL_DOC

    def __init__(self, n_estimators=100, *, criterion="squared_error", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, max_features=1.0,
                 min_impurity_decrease=0.0, bootstrap=True, oob_score=False, n_jobs=None,
                 random_state=None, verbose=0, max_samples=None, max_bins=255,
                 categorical_features=None, max_cat_to_onehot=4, max_cat_threshold=None,
                 min_data_per_category=1):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.max_samples = max_samples
        self.max_bins = max_bins
        self.categorical_features = categorical_features
        self.max_cat_to_onehot = max_cat_to_onehot
        self.max_cat_threshold = max_cat_threshold
        self.min_data_per_category = min_data_per_category


class ExtraTreesClassifier(RandomForestClassifier):
    __doc__ = """Extremely randomised trees (pml "forest" with extra_trees=true): random thresholds
    (and a random subset of a categorical column's categories), no bootstrap by default, as
    scikit-learn's ExtraTreesClassifier.""" + _FOREST_CATEGORICAL_DOC

    _extra_trees = True

    def __init__(self, n_estimators=100, *, criterion="gini", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, max_features="sqrt",
                 min_impurity_decrease=0.0, bootstrap=False, oob_score=False, n_jobs=None,
                 random_state=None, verbose=0, class_weight=None, max_samples=None,
                 max_bins=255, categorical_features=None, max_cat_to_onehot=4,
                 max_cat_threshold=None, min_data_per_category=1):
        super().__init__(n_estimators, criterion=criterion, max_depth=max_depth,
                         min_samples_split=min_samples_split, min_samples_leaf=min_samples_leaf,
                         max_features=max_features, min_impurity_decrease=min_impurity_decrease,
                         bootstrap=bootstrap, oob_score=oob_score, n_jobs=n_jobs,
                         random_state=random_state, verbose=verbose, class_weight=class_weight,
                         max_samples=max_samples, max_bins=max_bins,
                         categorical_features=categorical_features,
                         max_cat_to_onehot=max_cat_to_onehot, max_cat_threshold=max_cat_threshold,
                         min_data_per_category=min_data_per_category)


class ExtraTreesRegressor(RandomForestRegressor):
    __doc__ = """Extremely randomised trees for regression (pml "forest" with extra_trees=true).
    """ + _FOREST_CATEGORICAL_DOC

    _extra_trees = True

    def __init__(self, n_estimators=100, *, criterion="squared_error", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, max_features=1.0,
                 min_impurity_decrease=0.0, bootstrap=False, oob_score=False, n_jobs=None,
                 random_state=None, verbose=0, max_samples=None, max_bins=255,
                 categorical_features=None, max_cat_to_onehot=4, max_cat_threshold=None,
                 min_data_per_category=1):
        super().__init__(n_estimators, criterion=criterion, max_depth=max_depth,
                         min_samples_split=min_samples_split, min_samples_leaf=min_samples_leaf,
                         max_features=max_features, min_impurity_decrease=min_impurity_decrease,
                         bootstrap=bootstrap, oob_score=oob_score, n_jobs=n_jobs,
                         random_state=random_state, verbose=verbose, max_samples=max_samples,
                         max_bins=max_bins, categorical_features=categorical_features,
                         max_cat_to_onehot=max_cat_to_onehot, max_cat_threshold=max_cat_threshold,
                         min_data_per_category=min_data_per_category)


# ============================================================================================
#  Boosting
# ============================================================================================

# XGBoost's objective names, for one-line replacement of XGBClassifier / XGBRegressor.
_XGB_OBJECTIVES = {
    "reg:squarederror": "squared_error",
    "reg:absoluteerror": "absolute_error",
    "reg:quantileerror": "quantile",
    "count:poisson": "poisson",
    "binary:logistic": "binary",
    "multi:softprob": "multiclass",
    "multi:softmax": "multiclass",
}

_GROWTH = {"depthwise": "depthwise", "lossguide": "leafwise", "leafwise": "leafwise"}


class _BoostingMixin:
    _algorithm = "boosting"
    _allow_nan = True
    _categorical = True

    def _learner_params(self, n_rows):
        if self.grow_policy not in _GROWTH:
            raise ValueError(f"grow_policy must be one of {sorted(_GROWTH)}, got "
                             f"{self.grow_policy!r}")
        objective = self.objective
        if objective is not None:
            objective = _XGB_OBJECTIVES.get(objective, objective)
        monotone = self.monotone_constraints
        if monotone is not None and not isinstance(monotone, str):
            monotone = ",".join(str(int(c)) for c in monotone)
        params = {
            "n_rounds": self.n_estimators,
            "learning_rate": self.learning_rate,
            "growth": _GROWTH[self.grow_policy],
            "max_depth": self.max_depth,
            "max_leaves": self.max_leaves,
            "min_child_weight": self.min_child_weight,
            "min_samples_leaf": self.min_samples_leaf,
            "lambda": self.reg_lambda,
            "alpha": self.reg_alpha,
            "gamma": self.gamma,
            "subsample": self.subsample,
            "colsample_bytree": self.colsample_bytree,
            "max_bins": self.max_bin,
            "objective": objective,
            "base_score": self.base_score,
            "monotone_constraints": monotone,
            "early_stopping_rounds": self.early_stopping_rounds,
            "eval_metric": self.eval_metric,
            "max_cat_to_onehot": self.max_cat_to_onehot,
            "max_cat_threshold": self.max_cat_threshold,
            "min_data_per_category": self.min_data_per_category,
            "cat_smooth": self.cat_smooth,
        }
        params.update(self._objective_params())
        return params

    def _objective_params(self):
        return {}

    def _record_eval(self, model, index):
        history = model.eval_history()
        self.evals_result_ = {f"validation_{index}": {model.eval_metric: history.tolist()}}
        rounds = model.n_rounds
        self.best_iteration_ = rounds - 1
        self.best_score_ = float(history[rounds - 1]) if len(history) >= rounds else None

    def _after_fit(self, model):
        self.n_estimators_ = model.n_rounds
        for stale in ("evals_result_", "best_iteration_", "best_score_"):
            self.__dict__.pop(stale, None)

    def evals_result(self):
        """XGBoost's accessor: {"validation_<i>": {metric: [value per round]}} for the eval_set
        pair early stopping watched."""
        check_is_fitted(self)
        return getattr(self, "evals_result_", {})

    @property
    def feature_importances_(self):
        """Total split gain per feature, normalised to sum 1 (XGBoost's "gain" kind; other kinds
        through pml_model_.feature_importances("split" | "total_gain"))."""
        check_is_fitted(self)
        return self._model.feature_importances()

    def fit(self, X, y, sample_weight=None, eval_set=None):
        """Fits the booster. eval_set: [(X_valid, y_valid), ...] as XGBoost; the last pair is
        pml's validation set, watched by early_stopping_rounds and eval_metric (then
        best_iteration_, best_score_ and evals_result_ are set)."""
        return self._fit(X, y, sample_weight, eval_set)


_BOOSTING_DOC = """Parameters follow XGBoost's scikit-learn API (n_estimators, learning_rate, max_depth,
    max_leaves, grow_policy "depthwise" | "lossguide", min_child_weight, reg_lambda, reg_alpha,
    gamma, subsample, colsample_bytree, max_bin, objective, base_score, monotone_constraints,
    early_stopping_rounds, eval_metric, n_jobs, random_state) with pml's defaults; objective
    takes pml's names or XGBoost's ("binary:logistic", "reg:squarederror", ...). None leaves a
    setting to pml (max_depth: 6 depthwise, unlimited leafwise). The categorical parameters
    follow LightGBM's."""

_BOOSTING_CATEGORICAL_DOC = """

    Listed below are the categorical parameters; the others are named above.

    Parameters
    ----------""" + _CATEGORICAL_FEATURES_DOC + """
    max_cat_threshold : int, default=32
        Most categories a split sends left, from either end of the node's order of categories.
    min_data_per_category : int, default=10
        A category with fewer rows in the node (estimated from its hessian when
        min_samples_leaf is 1, as LightGBM) is left out of the order (it goes right).
    cat_smooth : float, default=10.0
        Categories are ordered by G / (H + cat_smooth) of their gradients.

    Attributes
    ----------
    is_categorical_ : ndarray of bool, shape (n_features_in_,)
        Which features were categorical (categorical_features and pandas category columns)."""


class GradientBoostingClassifier(_BoostingMixin, _PmlClassifier):
    __doc__ = "Gradient-boosted trees for classification (pml \"boosting\").\n\n    " + \
        _BOOSTING_DOC + _BOOSTING_CATEGORICAL_DOC

    def __init__(self, n_estimators=100, *, learning_rate=0.1, max_depth=None, max_leaves=None,
                 grow_policy="depthwise", min_child_weight=1.0, min_samples_leaf=1,
                 reg_lambda=1.0, reg_alpha=0.0, gamma=0.0, subsample=1.0, colsample_bytree=1.0,
                 max_bin=255, objective=None, base_score=None, monotone_constraints=None,
                 early_stopping_rounds=None, eval_metric=None, n_jobs=None, random_state=None,
                 verbose=0, categorical_features=None, max_cat_to_onehot=4, max_cat_threshold=32,
                 min_data_per_category=10, cat_smooth=10.0):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.max_leaves = max_leaves
        self.grow_policy = grow_policy
        self.min_child_weight = min_child_weight
        self.min_samples_leaf = min_samples_leaf
        self.reg_lambda = reg_lambda
        self.reg_alpha = reg_alpha
        self.gamma = gamma
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.max_bin = max_bin
        self.objective = objective
        self.base_score = base_score
        self.monotone_constraints = monotone_constraints
        self.early_stopping_rounds = early_stopping_rounds
        self.eval_metric = eval_metric
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.categorical_features = categorical_features
        self.max_cat_to_onehot = max_cat_to_onehot
        self.max_cat_threshold = max_cat_threshold
        self.min_data_per_category = min_data_per_category
        self.cat_smooth = cat_smooth

    def predict_proba(self, X):
        """Class probabilities (n_samples, n_classes), columns in classes_ order."""
        return self._predict_kind(X, _api.PREDICT_PROBA)

    def predict_log_proba(self, X):
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def decision_function(self, X):
        """Raw margins before the link: (n_samples,) for two classes (log-odds of classes_[1]),
        (n_samples, n_classes) for more."""
        return self._predict_kind(X, _api.PREDICT_RAW)


class GradientBoostingRegressor(_BoostingMixin, _PmlRegressor):
    __doc__ = "Gradient-boosted trees for regression (pml \"boosting\").\n\n    " + \
        _BOOSTING_DOC + """

    quantile_alpha and huber_delta go with objective "quantile" and "huber".""" + \
        _BOOSTING_CATEGORICAL_DOC

    def __init__(self, n_estimators=100, *, learning_rate=0.1, max_depth=None, max_leaves=None,
                 grow_policy="depthwise", min_child_weight=1.0, min_samples_leaf=1,
                 reg_lambda=1.0, reg_alpha=0.0, gamma=0.0, subsample=1.0, colsample_bytree=1.0,
                 max_bin=255, objective=None, base_score=None, monotone_constraints=None,
                 early_stopping_rounds=None, eval_metric=None, quantile_alpha=None,
                 huber_delta=None, n_jobs=None, random_state=None, verbose=0,
                 categorical_features=None, max_cat_to_onehot=4, max_cat_threshold=32,
                 min_data_per_category=10, cat_smooth=10.0):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.max_leaves = max_leaves
        self.grow_policy = grow_policy
        self.min_child_weight = min_child_weight
        self.min_samples_leaf = min_samples_leaf
        self.reg_lambda = reg_lambda
        self.reg_alpha = reg_alpha
        self.gamma = gamma
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.max_bin = max_bin
        self.objective = objective
        self.base_score = base_score
        self.monotone_constraints = monotone_constraints
        self.early_stopping_rounds = early_stopping_rounds
        self.eval_metric = eval_metric
        self.quantile_alpha = quantile_alpha
        self.huber_delta = huber_delta
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.categorical_features = categorical_features
        self.max_cat_to_onehot = max_cat_to_onehot
        self.max_cat_threshold = max_cat_threshold
        self.min_data_per_category = min_data_per_category
        self.cat_smooth = cat_smooth

    def _objective_params(self):
        return {"quantile_alpha": self.quantile_alpha, "huber_delta": self.huber_delta}


# ============================================================================================
#  SVM
# ============================================================================================


def _svm_class_weight(class_weight):
    if class_weight not in (None, "balanced") and not isinstance(class_weight, dict):
        raise ValueError(f"class_weight must be None, 'balanced' or a dict, got "
                         f"{class_weight!r}")
    return "balanced" if class_weight == "balanced" else None


class _SvmMixin:
    _algorithm = "svm"
    _categorical = True  # pml one-hot encodes category columns inside the model

    def _kernel_params(self):
        if not isinstance(self.kernel, str):
            raise ValueError("kernel must be 'linear', 'rbf', 'poly' or 'sigmoid' (pml has no "
                             "callable or precomputed kernels)")
        return {
            "C": self.C,
            "kernel": self.kernel,
            "degree": self.degree,
            "gamma": self.gamma,
            "coef0": self.coef0,
            "tol": self.tol,
            "max_iter": self.max_iter,
            "cache_mb": self.cache_size,
            "shrinking": self.shrinking,
        }

    def _after_fit(self, model):
        summary = model.info().get("summary", {})
        machines = summary.get("machines", [])
        self.n_iter_ = np.array([m.get("iterations", 0) for m in machines], dtype=np.int64)
        self.n_support_vectors_ = int(summary.get("n_support_vectors", 0))

    def fit(self, X, y, sample_weight=None):
        """Fits the SVM (X without missing values; scale the features first, as for any SVM).
        sample_weight scales C per sample."""
        return self._fit(X, y, sample_weight)


class SVC(_SvmMixin, _PmlClassifier):
    """C-support vector classification (pml "svm"; one-vs-one for several classes), with
    scikit-learn's parameters and defaults. probability=True fits Platt sigmoids on 5-fold
    cross-validated decision values (about 5x the training time), enabling predict_proba.
    pml's own: n_jobs (machines and kernel rows on threads), random_state (the folds)."""

    def __init__(self, *, C=1.0, kernel="rbf", degree=3, gamma="scale", coef0=0.0,
                 shrinking=True, probability=False, tol=1e-3, cache_size=200, class_weight=None,
                 verbose=False, max_iter=-1, decision_function_shape="ovr", random_state=None,
                 n_jobs=None):
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.shrinking = shrinking
        self.probability = probability
        self.tol = tol
        self.cache_size = cache_size
        self.class_weight = class_weight
        self.verbose = verbose
        self.max_iter = max_iter
        self.decision_function_shape = decision_function_shape
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _learner_params(self, n_rows):
        params = self._kernel_params()
        params["probability"] = self.probability
        params["class_weight"] = _svm_class_weight(self.class_weight)
        return params

    def decision_function(self, X):
        """Decision values: (n_samples,) for two classes (positive for classes_[1]); for more,
        (n_samples, n_classes) one-vs-rest scores derived from the one-vs-one machines as
        scikit-learn does (decision_function_shape="ovr"), or the raw (n_samples, n_classes *
        (n_classes - 1) / 2) one-vs-one values ("ovo", pairs (0,1), (0,2), ..., positive for the
        first class of the pair)."""
        if self.decision_function_shape not in ("ovr", "ovo"):
            raise ValueError(f"decision_function_shape must be 'ovr' or 'ovo', got "
                             f"{self.decision_function_shape!r}")
        dec = self._predict_kind(X, _api.PREDICT_RAW)
        if self.decision_function_shape == "ovr" and len(self.classes_) > 2:
            return _ovr_decision_function(dec < 0, -dec, len(self.classes_))
        return dec

    def _check_proba(self):
        if not self.probability:
            raise AttributeError("predict_proba is available when probability=True")
        return True

    @available_if(_check_proba)
    def predict_proba(self, X):
        """Class probabilities (n_samples, n_classes) from the Platt sigmoids, coupled pairwise
        as libsvm does."""
        return self._predict_kind(X, _api.PREDICT_PROBA)

    @available_if(_check_proba)
    def predict_log_proba(self, X):
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))


class SVR(_SvmMixin, _PmlRegressor):
    """Epsilon-support vector regression (pml "svm"), scikit-learn's parameters and defaults,
    plus n_jobs."""

    def __init__(self, *, kernel="rbf", degree=3, gamma="scale", coef0=0.0, tol=1e-3, C=1.0,
                 epsilon=0.1, shrinking=True, cache_size=200, verbose=False, max_iter=-1,
                 n_jobs=None):
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.C = C
        self.epsilon = epsilon
        self.shrinking = shrinking
        self.cache_size = cache_size
        self.verbose = verbose
        self.max_iter = max_iter
        self.n_jobs = n_jobs

    def _learner_params(self, n_rows):
        params = self._kernel_params()
        params["epsilon"] = self.epsilon
        return params


class LinearSVC(_PmlClassifier):
    """A linear SVM by dual coordinate descent (pml "svm" with solver=dual_cd, as LIBLINEAR),
    with scikit-learn's parameters and defaults where pml has them: C, loss ("squared_hinge"
    or "hinge"), tol, max_iter (passes over the data), class_weight, random_state (the order
    of the coordinates), plus n_jobs. The intercept is a constant feature of value 1,
    regularised like the others (LIBLINEAR's, scikit-learn's intercept_scaling=1).

    Several classes are handled one-vs-one (scikit-learn's LinearSVC is one-vs-rest):
    decision_function gives one-vs-rest scores derived from the pairs as SVC does, and coef_ /
    intercept_ have one row per pair of classes (one row for two classes, as scikit-learn)."""

    _categorical = True  # pml one-hot encodes category columns inside the model

    _algorithm = "svm"

    def __init__(self, *, C=1.0, loss="squared_hinge", tol=1e-4, max_iter=1000,
                 class_weight=None, verbose=0, random_state=None, n_jobs=None):
        self.C = C
        self.loss = loss
        self.tol = tol
        self.max_iter = max_iter
        self.class_weight = class_weight
        self.verbose = verbose
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _learner_params(self, n_rows):
        return {
            "solver": "dual_cd",
            "kernel": "linear",
            "C": self.C,
            "loss": self.loss,
            "tol": self.tol,
            "max_iter": self.max_iter,
            "class_weight": _svm_class_weight(self.class_weight),
        }

    def _after_fit(self, model):
        machines = model.info().get("summary", {}).get("machines", [])
        self.n_iter_ = int(max((m.get("iterations", 0) for m in machines), default=0))
        self.__dict__.pop("_coef", None)

    def fit(self, X, y, sample_weight=None):
        """Fits the linear SVM; X may be a sparse CSR matrix (the solver works on its rows as
        they are). sample_weight scales C per sample."""
        return self._fit(X, y, sample_weight)

    def decision_function(self, X):
        """(n_samples,) for two classes (positive for classes_[1]), else (n_samples, n_classes)
        one-vs-rest scores from the one-vs-one machines."""
        dec = self._predict_kind(X, _api.PREDICT_RAW)
        if len(self.classes_) > 2:
            return _ovr_decision_function(dec < 0, -dec, len(self.classes_))
        return dec

    def _weights(self):
        # The machines are linear, so their decision values at the origin and at each unit
        # vector give the intercepts and the weights exactly (rounding aside).
        check_is_fitted(self)
        if "_coef" not in self.__dict__:
            import scipy.sparse

            d = self.n_features_in_
            points = scipy.sparse.vstack(
                [scipy.sparse.csr_matrix((1, d)), scipy.sparse.identity(d, format="csr")],
                format="csr")
            dec = self._model.predict(points, _api.PREDICT_RAW).reshape(d + 1, -1)
            self._coef = ((dec[1:] - dec[0]).T.copy(), dec[0].copy())
        return self._coef

    @property
    def coef_(self):
        """Weights: (1, n_features) for two classes, else (n_pairs, n_features), pairs in the
        order (0,1), (0,2), ..., (1,2), ..., each positive towards the pair's first class."""
        return self._weights()[0]

    @property
    def intercept_(self):
        return self._weights()[1]
