"""Weights of Dask labels equal the in-memory weights, from one pass."""

from __future__ import annotations

import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from sklearn.utils.class_weight import compute_sample_weight

from imbalance import weights
from imbalance.dask import class_counts, class_weights, sample_weights, strategy_weights
from imbalance.exceptions import InvalidDataError, InvalidParameterError

LABELS = np.array(["cat"] * 70 + ["dog"] * 25 + ["eel"] * 5, dtype=object)


@pytest.fixture
def ddf():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"f": rng.normal(size=100), "label": rng.permutation(LABELS)})
    return df, dd.from_pandas(df, npartitions=6)


@pytest.mark.parametrize("scheme", weights.SCHEMES)
def test_class_weights_equal_the_in_memory_ones(client, ddf, scheme):
    df, d = ddf
    assert class_weights(d["label"], scheme=scheme) == pytest.approx(
        weights.class_weights(df["label"], scheme=scheme)
    )


def test_sample_weights_line_up_with_the_frame_and_match_sklearn(client, ddf):
    df, d = ddf
    w = sample_weights(d["label"])
    assert w.npartitions == d.npartitions
    out = d.assign(w=w).compute()
    np.testing.assert_allclose(out["w"], compute_sample_weight("balanced", df["label"]))
    assert out.index.equals(df.index)


def test_sample_weights_of_an_array_and_explicit_weights(client):
    y = da.from_array(np.array([0, 1, 1, 2, 2, 2, 2]), chunks=3)
    np.testing.assert_allclose(
        sample_weights(y, scheme="inverse").compute(),
        weights.sample_weights(y.compute(), scheme="inverse"),
    )
    explicit = sample_weights(y, class_weight={0: 5.0, 1: 2.0, 2: 1.0})
    assert explicit.chunks == y.chunks
    assert explicit.compute().tolist() == [5.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0]
    with pytest.raises(InvalidParameterError, match="no weight for class"):
        sample_weights(y, class_weight={0: 1.0, 1: 1.0}).compute()


@pytest.mark.parametrize(
    ("strategy", "kind"), [("auto", "over"), ("auto", "under"), ({"eel": 50}, "over")]
)
def test_strategy_weights_equal_the_in_memory_ones(ddf, strategy, kind):
    df, d = ddf
    assert strategy_weights(d["label"], strategy, kind=kind) == pytest.approx(
        weights.strategy_weights(df["label"], strategy, kind=kind)
    )


def test_counts_and_errors():
    y = dd.from_pandas(pd.Series([True, False, False, True, False]), npartitions=2)
    assert class_counts(y) == {False: 3, True: 2}
    with pytest.raises(
        InvalidDataError,
        match=r"^class_weights takes the labels as a dask Series.*functions of imbalance\.weights",
    ):
        class_weights(np.array([0, 1]))
    with pytest.raises(InvalidDataError, match="missing label"):
        class_counts(dd.from_pandas(pd.Series([0.0, np.nan, 1.0]), npartitions=2))
