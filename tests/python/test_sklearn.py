"""The estimators in scikit-learn's machinery: Pipeline, GridSearchCV, clone, pickle, pandas,
sparse input, labels of any type, fitted attributes."""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import pml
from conftest import make_classification, make_regression

CLASSIFIERS = [
    pml.RandomForestClassifier(n_estimators=10, random_state=0),
    pml.ExtraTreesClassifier(n_estimators=10, random_state=0),
    pml.GradientBoostingClassifier(n_estimators=10, random_state=0),
    pml.SVC(random_state=0),
    pml.SVC(probability=True, random_state=0),
    pml.LinearSVC(random_state=0),
]
REGRESSORS = [
    pml.RandomForestRegressor(n_estimators=10, random_state=0),
    pml.ExtraTreesRegressor(n_estimators=10, random_state=0),
    pml.GradientBoostingRegressor(n_estimators=10, random_state=0),
    pml.SVR(),
]


def name(est):
    return type(est).__name__ + ("(probability)" if getattr(est, "probability", False) else "")


@pytest.mark.parametrize("est", CLASSIFIERS + REGRESSORS, ids=name)
def test_pickle_round_trip_predicts_the_same(est):
    classifier = est in CLASSIFIERS
    X, y = make_classification(n=300, d=5, classes=3) if classifier else make_regression(n=300)
    fitted = clone(est).fit(X, y)
    copy = pickle.loads(pickle.dumps(fitted))
    assert copy.pml_model_.to_bytes() == fitted.pml_model_.to_bytes()
    for method in ("predict", "predict_proba", "decision_function"):
        if hasattr(fitted, method):
            np.testing.assert_array_equal(getattr(copy, method)(X), getattr(fitted, method)(X))
    unfitted = pickle.loads(pickle.dumps(est))
    assert unfitted.get_params() == est.get_params()


def test_pipeline():
    X, y = make_classification(n=400, d=6)
    X = X * np.array([1, 100, 0.01, 1, 5, 1000])  # scales an RBF SVM cannot take as they are
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    plain = pml.SVC().fit(X_train, y_train).score(X_test, y_test)
    pipe = make_pipeline(StandardScaler(), pml.SVC()).fit(X_train, y_train)
    assert pipe.score(X_test, y_test) > max(plain, 0.85)
    params = pipe.get_params()
    assert params["svc__C"] == 1.0
    pipe.set_params(svc__C=10.0)
    assert pipe.named_steps["svc"].C == 10.0


def test_grid_search_in_processes():
    X, y = make_classification(n=300, d=5)
    grid = GridSearchCV(pml.RandomForestClassifier(n_estimators=5, random_state=0, n_jobs=1),
                        {"max_depth": [1, None], "max_features": ["sqrt", 1.0]}, cv=3,
                        n_jobs=2)
    grid.fit(X, y)
    assert grid.best_params_["max_depth"] is None
    assert grid.best_score_ > 0.8
    assert grid.predict(X).shape == (300,)


def test_grid_search_boosting_with_fit_params():
    X, y = make_regression(n=300, d=4)
    grid = GridSearchCV(pml.GradientBoostingRegressor(random_state=0),
                        {"n_estimators": [5, 30], "learning_rate": [0.1, 0.3]}, cv=3)
    grid.fit(X, y, sample_weight=np.ones(len(y)))
    assert grid.best_params_ == {"learning_rate": 0.3, "n_estimators": 30}
    scores = cross_val_score(pml.SVR(C=10), X, y, cv=3)
    assert scores.min() > 0.5


def test_labels_of_any_type_come_back():
    X, y = make_classification(n=300, d=5, classes=3)
    for labels in (np.array(["cat", "dog", "eel"]), np.array([-1, 7, 100]),
                   np.array([1.0, 2.0, 4.0]), np.array([True, False, True])):
        if labels.dtype == bool:
            y_any = labels[(y > 0).astype(int)]
        else:
            y_any = labels[y.astype(int)]
        for est in (pml.RandomForestClassifier(n_estimators=5), pml.SVC(),
                    pml.GradientBoostingClassifier(n_estimators=5)):
            est.fit(X, y_any)
            np.testing.assert_array_equal(est.classes_, np.unique(y_any))
            assert set(est.predict(X)) <= set(y_any)
            assert est.score(X, y_any) > 0.7


def test_pandas_in_feature_names_kept():
    X, y = make_classification(n=200, d=4)
    frame = pd.DataFrame(X.astype(np.float32), columns=["a", "b", "c", "d"])
    series = pd.Series(np.where(y > 0, "yes", "no"))
    clf = pml.GradientBoostingClassifier(n_estimators=5).fit(frame, series)
    np.testing.assert_array_equal(clf.feature_names_in_, ["a", "b", "c", "d"])
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        plain = clf.predict(frame.to_numpy())
    np.testing.assert_array_equal(clf.predict(frame), plain)
    with pytest.raises(ValueError, match="feature names should match"):
        clf.predict(frame.rename(columns={"a": "z"}))


@pytest.mark.parametrize("est", [pml.RandomForestClassifier(n_estimators=5, random_state=1),
                                 pml.GradientBoostingClassifier(n_estimators=5),
                                 pml.LinearSVC(random_state=1)], ids=name)
def test_sparse_input_gives_dense_results(est):
    rng = np.random.default_rng(0)
    X = sp.random(300, 40, density=0.2, format="csr", random_state=1, dtype=np.float64)
    y = (np.asarray(X[:, :5].sum(axis=1)).ravel() > 0.5).astype(int)
    from_sparse = clone(est).fit(X, y)
    from_dense = clone(est).fit(X.toarray(), y)
    np.testing.assert_array_equal(from_sparse.predict(X), from_dense.predict(X.toarray()))
    del rng


def test_early_stopping_through_eval_set():
    X, y = make_classification(n=3000, d=8, seed=3)
    y = np.where(np.random.default_rng(4).random(len(y)) < 0.3, 1 - y, y)
    X_train, X_valid, y_train, y_valid = train_test_split(X, y, random_state=0)
    clf = pml.GradientBoostingClassifier(n_estimators=400, learning_rate=0.3,
                                         early_stopping_rounds=5, eval_metric="error")
    clf.fit(X_train, y_train, eval_set=[(X_train, y_train), (X_valid, y_valid)])
    assert clf.n_estimators_ < 400
    assert clf.best_iteration_ == clf.n_estimators_ - 1
    history = clf.evals_result()["validation_1"]["error"]
    assert len(history) == clf.n_estimators_ + 5
    assert clf.best_score_ == min(history)
    refit = clf.set_params(early_stopping_rounds=None).fit(X_train, y_train)  # no stale results
    assert not hasattr(refit, "evals_result_") and refit.n_estimators_ == 400


def test_oob_score_and_feature_importances():
    X, y = make_classification(n=1500, d=6)
    clf = pml.RandomForestClassifier(n_estimators=50, oob_score=True, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    clf.fit(X_train, y_train)
    assert abs(clf.oob_score_ - clf.score(X_test, y_test)) < 0.05
    imp = clf.feature_importances_
    assert imp.shape == (6,) and abs(imp.sum() - 1) < 1e-9 and imp.argmax() == 0
    reg = pml.RandomForestRegressor(n_estimators=30, oob_score=True, random_state=0)
    Xr, yr = make_regression(n=1000)
    assert 0.5 < reg.fit(Xr, yr).oob_score_ <= 1
    assert not hasattr(pml.RandomForestClassifier(n_estimators=5).fit(X, y), "oob_score_")
    gb = pml.GradientBoostingRegressor(n_estimators=20).fit(Xr, yr)
    assert gb.feature_importances_.argmax() == 0


def test_weights_and_class_weights():
    X, y = make_classification(n=400, d=5)
    base = pml.RandomForestClassifier(n_estimators=5, random_state=0)
    weighted = clone(base).fit(X, y, sample_weight=np.where(y == 1, 3.0, 1.0))
    by_class = clone(base).set_params(class_weight={0: 1.0, 1: 3.0}).fit(X, y)
    assert weighted.pml_model_.to_bytes() == by_class.pml_model_.to_bytes()
    assert clone(base).fit(X, y).pml_model_.to_bytes() != weighted.pml_model_.to_bytes()
    balanced = pml.SVC(class_weight="balanced").fit(X, y)
    assert balanced.pml_model_.info()["params"]["class_weight"] == "balanced"


def test_same_seed_same_model_at_any_n_jobs():
    X, y = make_classification(n=500, d=6, classes=3)
    for cls in (pml.RandomForestClassifier, pml.GradientBoostingClassifier):
        models = {cls(n_estimators=6, random_state=5, n_jobs=j).fit(X, y).pml_model_.to_bytes()
                  for j in (1, 2, -1)}
        assert len(models) == 1
    a = pml.RandomForestClassifier(n_estimators=3).fit(X, y).pml_model_.to_bytes()
    b = pml.RandomForestClassifier(n_estimators=3).fit(X, y).pml_model_.to_bytes()
    assert a != b  # random_state=None: a new seed each fit, as scikit-learn


def test_svms_agree_with_scikit_learn():
    from sklearn import svm

    X, y = make_classification(n=400, d=5, classes=3)
    ours = pml.SVC(C=2.0).fit(X, y)
    theirs = svm.SVC(C=2.0).fit(X, y)
    assert (ours.predict(X) == theirs.predict(X)).mean() > 0.99
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X),
                               atol=2e-2)
    Xb, yb = make_classification(n=400, d=5)
    ours = pml.LinearSVC().fit(Xb, yb)
    theirs = svm.LinearSVC(random_state=0).fit(Xb, yb)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-3)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-3)
    Xr, yr = make_regression(n=300, d=4)
    np.testing.assert_allclose(pml.SVR(C=5).fit(Xr, yr).predict(Xr),
                               svm.SVR(C=5).fit(Xr, yr).predict(Xr), atol=2e-2)


def test_boosting_takes_xgboost_names():
    X, y = make_classification(n=300, d=3)
    clf = pml.GradientBoostingClassifier(n_estimators=5, objective="binary:logistic",
                                         grow_policy="lossguide", max_leaves=8,
                                         monotone_constraints=(1, 0, -1), reg_lambda=2.0)
    params = clf.fit(X, y).pml_model_.info()["params"]
    assert params["objective"] == "binary" and params["growth"] == "leafwise"
    assert params["monotone_constraints"] == "1,0,-1" and params["lambda"] == "2.0"
    margin = clf.decision_function(X)
    np.testing.assert_allclose(1 / (1 + np.exp(-margin)), clf.predict_proba(X)[:, 1])
