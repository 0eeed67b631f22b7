"""Categorical features from Python: a DataFrame's pandas category columns go to pml as codes with
their categories as names (so data at prediction is matched by name), Dataset.set_category_names
wraps the C call, and misuse is refused with a message."""

import numpy as np
import pandas as pd
import pytest

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


def test_thin_layer_svm_refuses_named_columns():
    X, y = city_frame(n=200, seed=14)
    with pml.Dataset(X.fillna("oslo"), label=y) as d:
        with pytest.raises(pml.UnsupportedError, match="column 0 has category names"):
            pml.train("svm", {}, d)
