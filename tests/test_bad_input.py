"""Bad input gets a clear error in the user's terms: the parameter or class, the value, a fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from imbalance.exceptions import (
    DataTypeError,
    ImbalanceError,
    InvalidDataError,
    InvalidParameterError,
    MissingDependencyError,
    NotFittedError,
    SamplingStrategyError,
)
from imbalance.samplers import RandomOverSampler, RandomUnderSampler

X = np.arange(20.0).reshape(10, 2)
y = np.array([0] * 7 + [1] * 3)


@pytest.mark.parametrize(
    ("sampler", "X_in", "y_in", "error", "words"),
    [
        (RandomOverSampler(), X, y[:-1], InvalidDataError, ["10 rows", "y has 9"]),
        (
            RandomOverSampler(),
            X,
            np.array([0.0] * 7 + [np.nan] * 3),
            InvalidDataError,
            ["missing", "row 7", "Drop"],
        ),
        (
            RandomUnderSampler(),
            X,
            np.array([0] * 7 + [None] * 3, dtype=object),
            InvalidDataError,
            ["missing", "row 7"],
        ),
        (
            RandomOverSampler(),
            X,
            pd.Series(pd.Categorical([0] * 9 + [None])),
            InvalidDataError,
            ["missing", "row 9"],
        ),
        (
            RandomOverSampler(),
            X,
            np.zeros(10),
            SamplingStrategyError,
            ["one class", "0.0", "at least two"],
        ),
        (
            RandomOverSampler(),
            np.empty((0, 2)),
            np.empty(0),
            InvalidDataError,
            ["empty", "0 samples"],
        ),
        (
            RandomOverSampler(),
            np.arange(10.0),
            y,
            InvalidDataError,
            ["2-D", "(10,)", "reshape(-1, 1)"],
        ),
        (
            RandomOverSampler(),
            X,
            np.ones((10, 2)) * 3,
            InvalidDataError,
            ["1-D", "(10, 2)", "ravel"],
        ),
        (
            RandomOverSampler(),
            X,
            np.eye(2, dtype=int)[[0, 1] * 5] | 1,
            InvalidDataError,
            ["multi-label", "one class per row"],
        ),
        (RandomOverSampler(sampling_strategy={5: 10}), X, y, SamplingStrategyError, ["5", "0, 1"]),
        (
            RandomOverSampler(sampling_strategy={1: -1}),
            X,
            y,
            SamplingStrategyError,
            ["-1", "class 1"],
        ),
        (
            RandomOverSampler(sampling_strategy={1: 7.5}),
            X,
            y,
            SamplingStrategyError,
            ["7.5", "class 1"],
        ),
        (
            RandomOverSampler(sampling_strategy=0.5),
            X,
            np.array([0] * 5 + [1] * 3 + [2] * 2),
            SamplingStrategyError,
            ["0.5", "two classes", "3"],
        ),
        (
            RandomUnderSampler(sampling_strategy=0.1),
            X,
            y,
            SamplingStrategyError,
            ["0.1", "class 0", "grow", "from 7 to 30"],
        ),
        (
            RandomOverSampler(sampling_strategy="balanced"),
            X,
            y,
            InvalidParameterError,
            ["'balanced'", "'auto'"],
        ),
        (
            RandomOverSampler(shrinkage=-1.0),
            X,
            y,
            InvalidParameterError,
            ["'shrinkage'", "RandomOverSampler", "-1.0", "[0, inf)"],
        ),
        (
            RandomUnderSampler(replacement="yes"),
            X,
            y,
            InvalidParameterError,
            ["'replacement'", "a bool", "'yes'"],
        ),
        (
            RandomUnderSampler(random_state="seed"),
            X,
            y,
            InvalidParameterError,
            ["'random_state'", "'seed'"],
        ),
        (
            RandomUnderSampler(),
            X,
            np.array([1, "a"] * 5, dtype=object),
            InvalidDataError,
            ["mixes label types", "int", "str"],
        ),
        (RandomOverSampler(), X, None, InvalidDataError, ["y to be passed"]),
        (
            RandomOverSampler(),
            pd.Series(range(10)),
            y,
            InvalidDataError,
            ["2-D", "Series", "to_frame"],
        ),
    ],
)
def test_bad_input_raises_value_error_in_users_terms(sampler, X_in, y_in, error, words):
    with pytest.raises(error) as info:
        sampler.fit_resample(X_in, y_in)
    assert isinstance(info.value, ValueError)
    assert "\n" not in str(info.value)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def test_exception_tree_bridges_to_standard_types():
    import sklearn.exceptions

    assert issubclass(InvalidParameterError, ValueError) and issubclass(
        InvalidParameterError, TypeError
    )
    assert issubclass(DataTypeError, TypeError) and issubclass(DataTypeError, InvalidDataError)
    assert issubclass(SamplingStrategyError, InvalidDataError)
    assert issubclass(NotFittedError, sklearn.exceptions.NotFittedError)
    assert issubclass(MissingDependencyError, ImportError)
    for exc in (InvalidParameterError, InvalidDataError, NotFittedError, MissingDependencyError):
        assert issubclass(exc, ImbalanceError)


def test_caller_data_is_never_modified():
    X_in = X.copy()
    y_in = y.copy()
    X_in.setflags(write=False)
    y_in.setflags(write=False)
    for sampler in (
        RandomOverSampler(random_state=0, shrinkage=1.0),
        RandomUnderSampler(random_state=0),
    ):
        sampler.fit_resample(X_in, y_in)
    np.testing.assert_array_equal(X_in, X)
    np.testing.assert_array_equal(y_in, y)


def test_read_only_inputs_give_writable_outputs():
    X_in = X.copy()
    X_in.setflags(write=False)
    X_res, _ = RandomOverSampler(random_state=0, shrinkage=0.5).fit_resample(X_in, y)
    X_res[0, 0] = -1.0  # the output is the caller's to change
