"""The one sampler shell: imbalanced-learn's public surface on every sampler, and its rules."""

from __future__ import annotations

import inspect

import imblearn.combine as ib_combine
import imblearn.over_sampling as ib_over
import imblearn.under_sampling as ib_under
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LinearRegression

import imbalance.dask
import imbalance.multilabel
import imbalance.samplers as ours
from imbalance.base import BaseSampler
from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.pipeline import make_pipeline
from imbalance.samplers import FunctionSampler
from imbalance.utils import all_samplers


def _data(n=300, weights=(0.7, 0.2, 0.1), seed=0):
    return make_classification(
        n_samples=n,
        n_features=5,
        n_informative=3,
        n_classes=len(weights),
        weights=list(weights),
        random_state=seed,
    )


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_sampler_overrides_the_shell():
    """Every family (random, SMOTE, cleaning, combination, multi-label, Dask) uses the one
    ``fit_resample``; they differ by hooks only."""
    assert imbalance.dask.SMOTE and imbalance.multilabel.MLSMOTE  # loaded: all subclasses seen
    classes = [c for c in _subclasses(BaseSampler) if c.__module__.startswith("imbalance.")]
    assert len(classes) >= 30
    overriding = [c.__name__ for c in classes if "fit_resample" in vars(c)]
    assert overriding == []


def test_the_verb_is_defined_in_base_only():
    """``fit_resample`` has one home: the sampler shell and the steps' verb, in base.py."""
    from pathlib import Path

    src = Path(imbalance.dask.__file__).parents[1]
    homes = sorted(
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if "def fit_resample(" in path.read_text()
    )
    assert homes == ["base.py"]
    assert hasattr(make_pipeline(ours.RandomUnderSampler()), "fit_resample")
    assert not hasattr(make_pipeline(LinearRegression()), "fit_resample")


STRATEGIES = ["auto", "all", "not majority", "not minority", "minority", {1: 150, 2: 120}]


@pytest.mark.parametrize("strategy", STRATEGIES, ids=str)
@pytest.mark.parametrize("name", ["RandomOverSampler", "SMOTE", "ADASYN", "BorderlineSMOTE"])
def test_sampling_strategy_equals_imblearns_for_over_samplers(name, strategy):
    X, y = _data()
    mine = getattr(ours, name)(sampling_strategy=strategy, random_state=0).fit(X, y)
    theirs = getattr(ib_over, name)(sampling_strategy=strategy, random_state=0).fit(X, y)
    assert mine.sampling_strategy_ == dict(theirs.sampling_strategy_)


@pytest.mark.parametrize("strategy", ["auto", "all", "not minority", "majority", {0: 40, 1: 40}])
def test_sampling_strategy_equals_imblearns_for_under_samplers(strategy):
    X, y = _data()
    mine = ours.RandomUnderSampler(sampling_strategy=strategy, random_state=0).fit(X, y)
    theirs = ib_under.RandomUnderSampler(sampling_strategy=strategy, random_state=0).fit(X, y)
    assert mine.sampling_strategy_ == dict(theirs.sampling_strategy_)


@pytest.mark.parametrize("strategy", ["auto", "all", "majority", "not majority"])
@pytest.mark.parametrize("name", ["TomekLinks", "EditedNearestNeighbours"])
def test_sampling_strategy_equals_imblearns_for_cleaning_samplers(name, strategy):
    X, y = _data()
    mine = getattr(ours, name)(sampling_strategy=strategy).fit(X, y)
    theirs = getattr(ib_under, name)(sampling_strategy=strategy).fit(X, y)
    assert mine.sampling_strategy_ == dict(theirs.sampling_strategy_)


def test_sampling_strategy_of_a_ratio_and_of_a_combination_equal_imblearns():
    X, y = _data(weights=(0.8, 0.2))
    for mine, theirs in [
        (ours.SMOTE(sampling_strategy=0.5), ib_over.SMOTE(sampling_strategy=0.5)),
        (
            ours.RandomUnderSampler(sampling_strategy=0.5),
            ib_under.RandomUnderSampler(sampling_strategy=0.5),
        ),
        (ours.SMOTEENN(random_state=0), ib_combine.SMOTEENN(random_state=0)),
    ]:
        assert mine.fit(X, y).sampling_strategy_ == dict(theirs.fit(X, y).sampling_strategy_)


def test_fit_returns_self_and_learns_what_fit_resample_learns():
    X, y = _data()
    sampler = ours.SMOTE(random_state=1)
    assert sampler.fit(X, y) is sampler
    fitted = {k: v for k, v in vars(sampler).items() if k.endswith("_")}
    _, y_res = ours.SMOTE(random_state=1).fit_resample(X, y)
    assert fitted["target_counts_"] == dict(zip(*np.unique(y_res, return_counts=True), strict=True))
    assert fitted["sample_indices_"].size + fitted["synthetic_parents_"].shape[0] == len(y_res)


def test_feature_names_out_follow_the_input_columns():
    X, y = _data()
    frame = pd.DataFrame(X, columns=list("abcde"))
    sampler = ours.RandomUnderSampler(random_state=0).fit(frame, y)
    assert list(sampler.get_feature_names_out()) == list("abcde")
    assert list(sampler.get_feature_names_out(list("abcde"))) == list("abcde")
    with pytest.raises(InvalidParameterError, match="must equal feature_names_in_"):
        sampler.get_feature_names_out(list("vwxyz"))
    sampler.fit(X, y)  # a refit on an array forgets the names
    assert not hasattr(sampler, "feature_names_in_")
    assert list(sampler.get_feature_names_out()) == ["x0", "x1", "x2", "x3", "x4"]
    with pytest.raises(InvalidParameterError, match="must hold 5 names"):
        sampler.get_feature_names_out(["a"])


def test_feature_names_out_before_fit_says_not_fitted():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        ours.SMOTE().get_feature_names_out()


@pytest.mark.parametrize("name", ["EditedNearestNeighbours", "SMOTE", "RandomUnderSampler"])
def test_a_continuous_target_is_refused_naming_its_type(name):
    X = np.arange(40.0).reshape(20, 2)
    y = np.linspace(0, 1, 20)
    with pytest.raises(InvalidDataError, match=r"continuous.*imbalance.regression"):
        getattr(ours, name)().fit_resample(X, y)


def test_whole_number_floats_are_classes():
    X, y = _data()
    _, y_res = ours.RandomUnderSampler(random_state=0).fit_resample(X, y.astype(float))
    assert set(np.unique(y_res)) == {0.0, 1.0, 2.0}


def test_complex_and_zero_column_X_are_refused():
    X, y = _data()
    with pytest.raises(InvalidDataError, match="Complex data not supported"):
        ours.RandomOverSampler().fit_resample(X + 1j, y)
    with pytest.raises(InvalidDataError, match=r"0 feature\(s\)"):
        ours.RandomOverSampler().fit_resample(np.empty((len(y), 0)), y)


def test_function_sampler_identity_func_and_kwargs():
    X, y = _data()
    X_res, y_res = FunctionSampler().fit_resample(X, y)
    assert X_res is X and y_res is y

    def first(X, y, n):
        return X[:n], y[:n]

    sampler = FunctionSampler(func=first, kw_args={"n": 7})
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X[:7])
    assert sampler.sampling_strategy_ == "bypass" and sampler.n_features_in_ == 5


def test_function_sampler_refuses_sparse_when_asked_and_bad_returns():
    X, y = _data()
    with pytest.raises(TypeError, match="dense data is required"):
        FunctionSampler(accept_sparse=False).fit_resample(sp.csr_matrix(X), y)
    with pytest.raises(InvalidDataError, match="must return"):
        FunctionSampler(func=lambda X, y: X).fit_resample(X, y)


def test_function_sampler_without_validation_takes_a_continuous_target():
    X, y = make_regression(n_samples=60, n_features=3, random_state=0)

    def half(X, y):
        return X[::2], y[::2]

    model = make_pipeline(FunctionSampler(func=half, validate=False), LinearRegression())
    assert model.fit(X, y).predict(X).shape == (60,)
    with pytest.raises(InvalidDataError, match="continuous"):
        FunctionSampler(func=half).fit_resample(X, y)


def test_every_sampler_is_a_public_name_of_imbalance_samplers():
    names = {name for name, _ in all_samplers()}
    assert names <= set(ours.__all__)
    for name in names:
        params = inspect.signature(getattr(ours, name)).parameters
        assert "self" not in params
