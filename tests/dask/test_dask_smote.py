"""SMOTE on Dask: gathered classes equal the in-memory SMOTE; blocks keep exact counts."""

from __future__ import annotations

import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from _dask_data import chunked

from imbalance.dask import SMOTE
from imbalance.exceptions import InvalidDataError
from imbalance.samplers import SMOTE as InMemorySMOTE


def _data(counts, seed=0):
    rng = np.random.default_rng(seed)
    labels = np.concatenate([np.full(n, c) for c, n in enumerate(counts)])
    labels = labels[rng.permutation(len(labels))]
    n = len(labels)
    return pd.DataFrame(
        {
            "f": rng.normal(size=n) + labels,
            "g": rng.normal(size=n),
            "k": rng.integers(0, 9, n),
            "label": labels,
        }
    )


@pytest.mark.parametrize("counts", [(200, 30), (200, 40, 12)])
def test_gathered_classes_equal_the_in_memory_smote(client, counts):
    df = _data(counts)
    ref_X, ref_y = InMemorySMOTE(random_state=3).fit_resample(df.drop(columns="label"), df.label)
    for ddf in (dd.from_pandas(df, npartitions=3), chunked(df, [0, 50, len(df) - 50])):
        sampler = SMOTE(random_state=3)
        X_res, y_res = sampler.fit_resample(ddf, "label")
        X_c, y_c = X_res.compute(), y_res.compute()
        assert list(X_c.columns) == list(df.columns)
        n = len(df)
        pd.testing.assert_frame_equal(
            X_c.iloc[n:].drop(columns="label").reset_index(drop=True),
            ref_X.iloc[n:].reset_index(drop=True),
        )
        assert (y_c.iloc[n:].to_numpy() == ref_y.iloc[n:].to_numpy()).all()
        assert X_c.index.is_unique and X_c.index[n:].min() == n  # max + 1 onwards
        assert y_c.value_counts().to_dict() == sampler.target_counts_


def test_separate_labels_arrays_and_string_index(client):
    df = _data((120, 20))
    ddf = dd.from_pandas(df.set_axis([f"r{i}" for i in range(len(df))]), npartitions=2)
    X_res, y_res = SMOTE(random_state=0).fit_resample(ddf[["f", "g"]], ddf["label"])
    X_c, y_c = X_res.compute(), y_res.compute()
    assert X_c.index[len(df) :].tolist()[:2] == ["synthetic_0", "synthetic_1"]
    assert y_c.name == "label" and y_c.value_counts().to_dict() == {0: 120, 1: 120}
    in_order = ddf.compute()  # from_pandas sorted the string index
    X = da.from_array(in_order[["f", "g"]].to_numpy(), chunks=(50, 2))
    y = da.from_array(in_order["label"].to_numpy(), chunks=50)
    X_a, y_a = SMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_allclose(X_a.compute(), X_c.to_numpy())
    assert y_a.chunks[0][-1] == 100 and np.bincount(y_a.compute()).tolist() == [120, 120]


def test_blocks_keep_exact_counts_and_do_not_depend_on_partitioning(client):
    df = _data((900, 300), seed=2)
    runs = []
    for parts in (2, 5):
        sampler = SMOTE(random_state=1, block_size=100)
        X_res, y_res = sampler.fit_resample(dd.from_pandas(df, npartitions=parts), "label")
        X_c, y_c = X_res.compute(), y_res.compute()
        assert y_c.value_counts().to_dict() == {0: 900, 1: 900}
        assert sampler.block_counts_[1].sum() == 300 and len(sampler.block_centers_[1]) == 3
        runs.append(X_c)
    pd.testing.assert_frame_equal(runs[0], runs[1])
    synthetic = runs[0].iloc[len(df) :]
    minority = df[df.label == 1]
    assert synthetic.index.is_unique and synthetic.index.min() == len(df)
    # on segments between rows of the class: inside its bounding box, integers stay integers
    for col in ("f", "g", "k"):
        assert (
            minority[col].min()
            <= synthetic[col].min()
            <= synthetic[col].max()
            <= minority[col].max()
        )
    assert synthetic["k"].dtype == df["k"].dtype


def test_blocks_too_small_for_k_neighbors_raise():
    df = _data((200, 30))
    with pytest.raises(InvalidDataError, match="Raise block_size"):
        SMOTE(random_state=0, block_size=2).fit_resample(dd.from_pandas(df, npartitions=2), "label")


def test_nothing_to_grow_returns_the_input():
    df = _data((50, 50))
    ddf = dd.from_pandas(df, npartitions=2)
    X_res, y_res = SMOTE().fit_resample(ddf, "label")
    assert X_res is ddf and y_res.compute().equals(df.label)
