"""Categorical features from Python: pandas category columns go to pml as codes with their
categories as names (so data at prediction is matched by name), categorical_features names other
columns (indices, column names, a mask), Dataset.set_category_names wraps the C call, and misuse
is refused with a message."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

import pml

CITIES = ["oslo", "lima", "kyiv", "rome", "baku", "doha", "suva", "apia", "male", "riga", "bern",
          "lome"]
# The label of a city: scattered over the codes, so only a split on a set of cities separates
# the classes with one split (a threshold on the codes cannot).
POSITIVE = {c for k, c in enumerate(CITIES) if ((k * 5 + 1) % 7) < 3 or k == 11}


def city_frame(n=2000, seed=0, categories=CITIES):
    """A DataFrame with a category column "city" (missing every 17th row) and a noise column,
    and the label: 1 for a positive city or a missing one, else 0."""
    rng = np.random.default_rng(seed)
    cities = np.array(CITIES)[rng.integers(0, len(CITIES), n)].astype(object)
    cities[::17] = None
    frame = pd.DataFrame({
        "city": pd.Categorical(cities, categories=categories),
        "noise": rng.random(n),
    })
    y = np.array([1.0 if c is None or c in POSITIVE else 0.0 for c in cities])
    return frame, y


def reordered(frame, categories):
    """The same rows, the city column's categories given in another order (other codes)."""
    out = frame.copy()
    out["city"] = pd.Categorical(frame["city"].astype(object), categories=categories)
    return out


STUMPS = [
    pml.RandomForestClassifier(n_estimators=5, max_depth=1, max_features=None, random_state=0),
    pml.ExtraTreesClassifier(n_estimators=5, max_depth=1, max_features=None, random_state=0),
    pml.GradientBoostingClassifier(n_estimators=10, max_depth=1, random_state=0),
    pml.RandomForestRegressor(n_estimators=5, max_depth=1, random_state=0),
    pml.GradientBoostingRegressor(n_estimators=30, max_depth=1, learning_rate=0.3,
                                  random_state=0),
]
TREE_LEARNERS = STUMPS  # every forest and boosting estimator


def ids(est):
    return type(est).__name__


def fitted(est, X, y, **params):
    return clone(est).set_params(**params).fit(X, y)


def predictions(est, X):
    return est.predict_proba(X) if hasattr(est, "predict_proba") else est.predict(X)


@pytest.mark.parametrize("est", [e for e in STUMPS if not isinstance(e, pml.ExtraTreesClassifier)],
                         ids=ids)
def test_category_column_is_split_on_sets(est):
    X, y = city_frame()
    # One split per tree (boosting: one tree, as a sum of stumps could fit any function of codes).
    one = {"n_estimators": 1, "learning_rate": 1.0} if "learning_rate" in est.get_params() else {}
    model = fitted(est, X, y, **one)
    np.testing.assert_array_equal(model.is_categorical_, [True, False])
    assert model.pml_model_.info()["categories"] == {"0": CITIES}
    assert model.score(X, y) > 0.999  # one split separates a scattered set of cities
    # The same codes taken as numbers: a threshold cannot separate them in one split.
    as_numbers = X.assign(city=X["city"].cat.codes.replace(-1, np.nan).astype(np.float64))
    numeric = fitted(est, as_numbers, y, **one)
    assert not numeric.is_categorical_.any()
    assert not numeric.pml_model_.info().get("categories")
    assert numeric.score(as_numbers, y) < 0.95


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
@pytest.mark.parametrize("est", TREE_LEARNERS, ids=ids)
def test_category_column_is_the_codes_with_categorical_features(est):
    X, y = city_frame(seed=1)
    model = fitted(est, X, y)
    codes = X.assign(city=X["city"].cat.codes.replace(-1, np.nan).astype(np.float64))
    listed = fitted(est, codes, y, categorical_features=["city"])
    np.testing.assert_array_equal(predictions(model, X), predictions(listed, codes))
    # Codes without names are taken as the model's own codes.
    np.testing.assert_array_equal(predictions(model, X), predictions(model, codes.to_numpy()))
    assert X["city"].dtype == "category"  # the caller's frame is left as it was


@pytest.mark.parametrize("est", TREE_LEARNERS, ids=ids)
def test_categories_in_another_order_predict_the_same(est):
    X, y = city_frame(seed=2)
    model = fitted(est, X, y, max_depth=3)
    other = reordered(X, CITIES[::-1])
    assert not np.array_equal(other["city"].cat.codes, X["city"].cat.codes)
    expected = predictions(model, X)
    np.testing.assert_array_equal(predictions(model, other), expected)
    # More categories than in training, in yet another order: the known ones still match.
    wider = reordered(X, ["atlantis"] + CITIES[5:] + ["mu"] + CITIES[:5])
    np.testing.assert_array_equal(predictions(model, wider), expected)
    assert model.score(other, y) == model.score(X, y)
    # Trained on another order, the model predicts alike (its codes differ, not its splits).
    model_other = fitted(est, other, y, max_depth=3)
    assert model_other.pml_model_.info()["categories"] == {"0": CITIES[::-1]}
    if isinstance(est, pml.GradientBoostingClassifier):  # deterministic, no row sampling
        np.testing.assert_allclose(predictions(model_other, X), expected, rtol=1e-12)


@pytest.mark.parametrize("est", TREE_LEARNERS, ids=ids)
def test_unseen_category_predicts_as_missing(est):
    X, y = city_frame(seed=3)
    model = fitted(est, X, y, max_depth=3)
    noise = X["noise"].to_numpy()[:50]
    missing = pd.DataFrame({"city": pd.Categorical([None] * 50, categories=CITIES),
                            "noise": noise})
    unseen = pd.DataFrame({"city": pd.Categorical(["atlantis"] * 50, categories=["atlantis"]),
                           "noise": noise})
    known = pd.DataFrame({"city": pd.Categorical(["lima"] * 50, categories=CITIES),
                          "noise": noise})
    np.testing.assert_array_equal(predictions(model, unseen), predictions(model, missing))
    assert not np.array_equal(predictions(model, known), predictions(model, missing))


def test_categorical_features_as_indices_names_and_mask_agree():
    X, y = city_frame(seed=4)
    codes = X.assign(city=X["city"].cat.codes.replace(-1, np.nan).astype(np.float64))
    est = pml.GradientBoostingClassifier(n_estimators=10, max_depth=1, random_state=0)
    models = [fitted(est, codes, y, categorical_features=spec).pml_model_.to_bytes()
              for spec in ([0], ["city"], [True, False], np.array([0]), pd.Index(["city"]))]
    assert all(m == models[0] for m in models)
    by_index = fitted(est, codes.to_numpy(), y, categorical_features=[0])
    assert by_index.pml_model_.to_bytes() == models[0]
    assert by_index.pml_model_.info()["params"]["categorical_features"] == "0"
    assert by_index.score(codes.to_numpy(), y) > 0.999
    numeric = fitted(est, codes, y, categorical_features=None)
    assert numeric.pml_model_.to_bytes() != models[0]
    assert fitted(est, codes, y, categorical_features=[]).pml_model_.to_bytes() == \
        numeric.pml_model_.to_bytes()


def test_category_parameters_reach_pml():
    X, y = city_frame(seed=5)
    rf = fitted(pml.RandomForestClassifier(n_estimators=2), X, y, max_cat_to_onehot=20,
                max_cat_threshold=3, min_data_per_category=7)
    params = rf.pml_model_.info()["params"]
    assert (params["max_cat_to_onehot"], params["max_cat_threshold"],
            params["min_data_per_category"]) == ("20", "3", "7")
    gb = fitted(pml.GradientBoostingRegressor(n_estimators=2), X, y, cat_smooth=2.5,
                max_cat_threshold=5)
    params = gb.pml_model_.info()["params"]
    assert (params["cat_smooth"], params["max_cat_threshold"]) == ("2.5", "5")
    with pytest.raises(pml.InvalidArgumentError, match="max_cat_to_onehot"):
        fitted(pml.GradientBoostingRegressor(n_estimators=2), X, y, max_cat_to_onehot=-1)


def test_eval_set_is_matched_by_name():
    X, y = city_frame(seed=6)
    X_valid, y_valid = city_frame(n=500, seed=7)
    est = pml.GradientBoostingClassifier(n_estimators=20, early_stopping_rounds=5,
                                         random_state=0)
    a = clone(est).fit(X, y, eval_set=[(X_valid, y_valid)])
    b = clone(est).fit(X, y, eval_set=[(reordered(X_valid, CITIES[::-1]), y_valid)])
    assert a.evals_result_ == b.evals_result_
    assert a.pml_model_.to_bytes() == b.pml_model_.to_bytes()


def test_mixed_frame_and_pickle():
    X, y = city_frame(seed=8)
    X = X.assign(count=np.arange(len(X)) % 5, small=X["noise"].astype(np.float32))
    model = pml.RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    np.testing.assert_array_equal(model.is_categorical_, [True, False, False, False])
    copy = pickle.loads(pickle.dumps(model))
    other = reordered(X, CITIES[::-1])
    np.testing.assert_array_equal(copy.predict_proba(other), model.predict_proba(X))


def test_non_string_categories_become_their_text():
    rng = np.random.default_rng(9)
    values = rng.integers(0, 6, 600)
    X = pd.DataFrame({"level": pd.Categorical(values * 10), "noise": rng.random(600)})
    y = (values % 2).astype(float)
    model = pml.GradientBoostingClassifier(n_estimators=5, max_depth=1,
                                           min_data_per_category=1).fit(X, y)
    assert model.pml_model_.info()["categories"] == {"0": ["0", "10", "20", "30", "40", "50"]}
    assert model.score(X, y) == 1.0


# -- the thin layer --------------------------------------------------------------------------


def test_dataset_of_a_frame_names_its_category_columns():
    X, y = city_frame(seed=10)
    with pml.Dataset(X, label=y) as d:
        values = d.to_numpy()
        codes = X["city"].cat.codes.to_numpy()
        np.testing.assert_array_equal(np.isnan(values[:, 0]), codes < 0)
        np.testing.assert_array_equal(values[codes >= 0, 0], codes[codes >= 0])
        with pml.train("forest", {"n_trees": 3, "seed": 1}, d) as m:
            assert m.info()["categories"] == {"0": CITIES}
            proba = m.predict(X, kind="proba")
            np.testing.assert_array_equal(m.predict(reordered(X, CITIES[::-1]), kind="proba"),
                                          proba)


def test_set_category_names_names_codes():
    X, y = city_frame(seed=11)
    codes = np.column_stack([X["city"].cat.codes.replace(-1, np.nan), X["noise"]])
    with pml.Dataset(codes, label=y) as named, pml.Dataset(X, label=y) as frame:
        named.set_category_names(0, np.array(CITIES))  # any sequence of str
        params = {"n_rounds": 5, "seed": 1}
        with pml.train("boosting", params, named) as a, pml.train("boosting", params, frame) as b:
            assert a.to_bytes() == b.to_bytes()
        named.set_category_names(0, None)  # removes them: a numeric column again
        with pml.train("boosting", params, named) as c:
            assert not c.info().get("categories")


def test_set_category_names_refuses_bad_names():
    X = np.array([[0.0, 1.0], [1.0, 2.0]])
    with pml.Dataset(X, label=[0.0, 1.0]) as d:
        with pytest.raises(pml.InvalidArgumentError, match="names category 'a' twice"):
            d.set_category_names(0, ["a", "b", "a"])
        with pytest.raises(pml.InvalidArgumentError, match="column 2 is outside"):
            d.set_category_names(2, ["a", "b"])
        with pytest.raises(TypeError, match="not a single string"):
            d.set_category_names(0, "ab")
        with pytest.raises(TypeError, match=r"names\[1\] must be a str, got int"):
            d.set_category_names(0, ["a", 1])
        with pytest.raises(ValueError, match="NUL"):
            d.set_category_names(0, ["a", "b\0c"])
        with pytest.raises(TypeError, match="sequence of str"):
            d.set_category_names(0, 5)
        d.set_category_names(0, ["é", "日本"])  # UTF-8
        with pml.train("forest", {"n_trees": 1}, d) as m:
            assert m.info()["categories"] == {"0": ["é", "日本"]}


# -- refused ---------------------------------------------------------------------------------


def test_bad_categorical_features_are_refused():
    X, y = city_frame(n=200, seed=12)
    codes = X.assign(city=X["city"].cat.codes.replace(-1, np.nan).astype(np.float64))
    est = pml.RandomForestClassifier(n_estimators=2)
    with pytest.raises(ValueError, match=r"'town' is not a column of X \(its columns: 'city', "
                                         r"'noise'\)"):
        fitted(est, codes, y, categorical_features=["town"])
    with pytest.raises(ValueError, match="2 is not a column index from 0 to 1"):
        fitted(est, codes, y, categorical_features=[0, 2])
    with pytest.raises(ValueError, match="-1 is not a column index from 0 to 1"):
        fitted(est, codes, y, categorical_features=[-1])
    with pytest.raises(ValueError, match="one value per feature"):
        fitted(est, codes, y, categorical_features=[True])
    with pytest.raises(ValueError, match="needs X to be a pandas DataFrame"):
        fitted(est, codes.to_numpy(), y, categorical_features=["city"])
    with pytest.raises(ValueError, match="array-like of column indices"):
        fitted(est, codes, y, categorical_features="city")
    with pytest.raises(ValueError, match="array-like of column indices"):
        fitted(est, codes, y, categorical_features=[0.5])
    # Codes that are not whole numbers: pml's own message names the row and column.
    with pytest.raises(pml.InvalidArgumentError, match="categorical feature 1"):
        fitted(est, codes, y, categorical_features=["noise"])


@pytest.mark.parametrize("est", [pml.SVC(), pml.SVR(), pml.LinearSVC()], ids=ids)
def test_svm_encodes_category_columns(est):
    # pml one-hot encodes them inside the model, and matches them by name like the trees.
    X, y = city_frame(n=200, seed=13)
    model = fitted(est, X, y)
    reordered = X.assign(city=X["city"].cat.reorder_categories(
        list(reversed(X["city"].cat.categories))))
    assert np.array_equal(model.predict(X), model.predict(reordered))
    assert model.pml_model_.info()["categories"]["0"] == list(X["city"].cat.categories)


def test_thin_layer_svm_takes_named_columns():
    X, y = city_frame(n=200, seed=14)
    with pml.Dataset(X.fillna("oslo"), label=y) as d:
        model = pml.train("svm", {}, d)
        assert "0" in model.info()["categories"]


@pytest.mark.parametrize("categorical_features", [None, ["city"]])
def test_names_on_a_column_trained_without_names_are_refused(categorical_features):
    # Trained on numbers, or on bare codes: pml cannot know which name a code meant.
    X, y = city_frame(n=300, seed=15)
    codes = X.assign(city=X["city"].cat.codes.replace(-1, np.nan).astype(np.float64))
    model = pml.RandomForestClassifier(n_estimators=2, random_state=0,
                                       categorical_features=categorical_features).fit(codes, y)
    with pytest.raises(pml.InvalidArgumentError, match="trained on it without names"):
        model.predict(X)
