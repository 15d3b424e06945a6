"""Bundled data sets and make_imbalance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from imbalance.datasets import list_datasets, load_dataset, make_imbalance
from imbalance.exceptions import InvalidParameterError, SamplingStrategyError


@pytest.mark.parametrize("info", list_datasets(), ids=lambda d: d.name)
def test_every_bundled_dataset_loads_as_documented(info):
    X, y = load_dataset(info.name, return_X_y=True)
    assert X.shape == (info.n_samples, info.n_features)
    assert int(y.sum()) == info.n_positive and set(np.unique(y)) == {0, 1}
    frame = load_dataset(info.name, as_frame=True)
    assert isinstance(frame.data, pd.DataFrame) and frame.target.name == info.target
    assert list(frame.data.columns) == frame.feature_names
    for column in frame.categorical_features:
        assert frame.data[column].dtype == "category"
    assert info.source in frame.DESCR and "CC BY 4.0" in frame.DESCR


def test_unknown_dataset_is_explained():
    with pytest.raises(InvalidParameterError, match="'iris' is not a bundled data set"):
        load_dataset("iris")


def test_make_imbalance_keeps_the_container_and_input_order():
    X = pd.DataFrame({"a": range(90)}, index=[f"r{i}" for i in range(90)])
    y = pd.Series(np.repeat(["a", "b", "c"], 30), index=X.index)
    X_imb, y_imb = make_imbalance(X, y, sampling_strategy={"b": 10, "c": 3}, random_state=0)
    assert y_imb.value_counts().to_dict() == {"a": 30, "b": 10, "c": 3}
    assert X_imb.index.equals(y_imb.index)
    positions = [X.index.get_loc(label) for label in X_imb.index]
    assert positions == sorted(positions)
    with pytest.raises(SamplingStrategyError, match="only removes rows"):
        make_imbalance(X, y, sampling_strategy={"b": 40})


@pytest.mark.parametrize(
    "strategy, match",
    [
        ({0: -1, 1: 50}, "class 0; the number of samples in a class cannot be negative"),
        ({0: 10, 1: 70}, "70 rows for class 1, which has 50; the count should be less or equal"),
    ],
)
def test_make_imbalance_explains_impossible_counts(strategy, match):
    X, y = np.zeros((150, 2)), np.repeat([0, 1, 2], 50)
    with pytest.raises(SamplingStrategyError, match=match):
        make_imbalance(X, y, sampling_strategy=strategy)


def test_make_imbalance_needs_two_classes():
    with pytest.raises(SamplingStrategyError, match="needs to have more than 1 class"):
        make_imbalance(np.zeros((10, 2)), np.zeros(10), sampling_strategy={0: 5})


def test_make_imbalance_counts_as_imbalanced_learn():
    imblearn_datasets = pytest.importorskip("imblearn.datasets")
    X, y = np.arange(300).reshape(150, 2), np.repeat(["a", "b", "c"], 50)
    strategy = {"a": 10, "b": 25}
    _, y_ours = make_imbalance(X, y, sampling_strategy=strategy, random_state=0)
    _, y_ref = imblearn_datasets.make_imbalance(X, y, sampling_strategy=strategy, random_state=0)
    assert pd.Series(y_ours).value_counts().to_dict() == pd.Series(y_ref).value_counts().to_dict()
