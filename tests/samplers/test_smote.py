"""SMOTE: geometry, counts, randomness, reference distribution, containers, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import SMOTE as ImbSMOTE
from sklearn.neighbors import NearestNeighbors

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.neighbors import kneighbors
from imbalance.samplers import SMOTE


def blobs(counts=(200, 40), d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(2.0 * k, 1.0, size=(n, d)) for k, n in enumerate(counts)])
    y = np.repeat(np.arange(len(counts)), counts)
    return X, y


def assert_on_true_neighbour_segments(sampler, X, y, X_res, k):
    base, nb = sampler.synthetic_parents_.T
    steps = sampler.synthetic_steps_
    n = len(y)
    assert ((steps >= 0) & (steps < 1)).all()
    np.testing.assert_allclose(X_res[n:], X[base] + steps[:, None] * (X[nb] - X[base]))
    for cls in np.unique(y[base]):
        members = np.flatnonzero(y == cls)
        true_nn = members[kneighbors(X[members], k, backend="exact")]
        local = np.searchsorted(members, base[y[base] == cls])
        assert (true_nn[local] == nb[y[base] == cls][:, None]).any(axis=1).all()


@settings(max_examples=15, deadline=None)
@given(
    counts=st.lists(st.integers(7, 40), min_size=2, max_size=4),
    k=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_synthetic_rows_lie_on_segments_to_true_neighbours(counts, k, seed):
    X, y = blobs(tuple(counts), d=2, seed=seed)
    sampler = SMOTE(k_neighbors=k, random_state=seed, neighbors="exact")
    X_res, y_res = sampler.fit_resample(X, y)
    assert dict(zip(*np.unique(y_res, return_counts=True), strict=True)) == sampler.target_counts_
    np.testing.assert_array_equal(X_res[: len(y)], X)
    np.testing.assert_array_equal(y_res[len(y) :], y[sampler.synthetic_parents_[:, 0]])
    assert_on_true_neighbour_segments(sampler, X, y, X_res, k)


def test_one_generator_per_call_so_equal_classes_differ():
    """imbalanced-learn re-seeds per class: two identical classes get identical draws."""
    rng = np.random.default_rng(0)
    block = rng.normal(size=(20, 2))
    X = np.vstack([rng.normal(5, 1, size=(100, 2)), block, block + 10.0])
    y = np.array([0] * 100 + [1] * 20 + [2] * 20)
    sampler = SMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    new1 = X_res[140:][y_res[140:] == 1]
    new2 = X_res[140:][y_res[140:] == 2] - 10.0
    assert not np.allclose(new1, new2)
    imb_res, imb_y = ImbSMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_allclose(
        imb_res[140:][imb_y[140:] == 1], imb_res[140:][imb_y[140:] == 2] - 10
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_distribution_matches_imbalanced_learn(seed):
    X, y = blobs((3000, 150), d=3, seed=seed)
    ours, _ = SMOTE(random_state=seed).fit_resample(X, y)
    theirs, _ = ImbSMOTE(random_state=seed).fit_resample(X, y)
    a, b = ours[len(y) :], theirs[len(y) :]
    assert_same_distribution(a, b)


def assert_same_distribution(a, b, z=5.0):
    """Means and covariances agree within ``z`` standard errors (samples of the same law)."""
    n = min(len(a), len(b))
    se_mean = np.sqrt(a.var(axis=0) / len(a) + b.var(axis=0) / len(b))
    assert (np.abs(a.mean(axis=0) - b.mean(axis=0)) <= z * se_mean).all()
    ca, cb = np.cov(a.T), np.cov(b.T)
    var = np.diag(ca)
    se_cov = np.sqrt((np.outer(var, var) + ca**2) * 2.0 / n)
    assert (np.abs(ca - cb) <= z * se_cov).all()


def test_k_neighbors_estimator_like_imbalanced_learn():
    X, y = blobs()
    ours = SMOTE(k_neighbors=NearestNeighbors(n_neighbors=4), random_state=0)
    X_res, _ = ours.fit_resample(X, y)
    assert ours.neighbors_backend_ == "estimator"
    assert_on_true_neighbour_segments(ours, X, y, X_res, 3)
    with pytest.raises(InvalidParameterError, match="n_neighbors >= 2"):
        SMOTE(k_neighbors=NearestNeighbors(n_neighbors=1)).fit_resample(X, y)


def test_backends_give_the_same_rows():
    X, y = blobs((300, 60), d=5)
    exact = SMOTE(random_state=3, neighbors="exact").fit_resample(X, y)[0]
    auto = SMOTE(random_state=3, n_jobs=2).fit_resample(X, y)[0]
    torch = SMOTE(random_state=3, neighbors="torch").fit_resample(X, y)[0]
    np.testing.assert_array_equal(exact, auto)
    np.testing.assert_array_equal(exact, torch)


def test_small_class_error_names_class_size_and_way_out():
    X, y = blobs((50, 3))
    y = np.where(y == 1, "fraud", "ok")
    with pytest.raises(InvalidDataError) as info:
        SMOTE(k_neighbors=5).fit_resample(X, y)
    message = str(info.value)
    for part in ("'fraud'", "3 row(s)", "k_neighbors=5", "at most 2", "RandomOverSampler"):
        assert part in message, message


def test_missing_values_refused_with_the_column():
    X, y = blobs()
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    df["b"] = pd.array(np.where(np.arange(len(df)) == 210, None, df["b"]), dtype="Float64")
    with pytest.raises(InvalidDataError, match=r"column 'b' holds 1 missing .* row 210"):
        SMOTE().fit_resample(df, y)


def mixed_frame(n_major=80, n_minor=20, seed=0):
    rng = np.random.default_rng(seed)
    n = n_major + n_minor
    df = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "count": rng.integers(0, 10, size=n).astype(np.int16),
            "flag": rng.random(n) < 0.5,
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], size=n)),
            "name": pd.array(rng.choice(["u", "v"], size=n), dtype="string[pyarrow]"),
            "level": pd.array(rng.integers(-3, 3, size=n), dtype="Int64"),
            "score": pd.array(rng.normal(size=n), dtype="double[pyarrow]"),
            "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D"),
            "zoned": pd.date_range("2024-03-30", periods=n, freq="37min", tz="Europe/Paris"),
        },
        index=pd.Index(np.arange(n) * 2 + 1, name="id"),
    )
    y = pd.Series([0] * n_major + [1] * n_minor, index=df.index, name="label")
    return df, y


def test_dataframe_rows_are_faithful():
    df, y = mixed_frame()
    sampler = SMOTE(random_state=0)
    out, y_out = sampler.fit_resample(df, y)
    n = len(df)
    assert (out.dtypes == df.dtypes).all()
    assert out.index[:n].equals(df.index) and out.index.equals(y_out.index)
    assert not out.index[n:].isin(df.index).any()
    base, nb = sampler.synthetic_parents_.T
    steps = sampler.synthetic_steps_
    tail = out.iloc[n:]
    # numeric columns on the segment; integers rounded and between their parents
    x = df["x"].to_numpy()
    np.testing.assert_allclose(tail["x"], x[base] + steps * (x[nb] - x[base]))
    for col in ("count", "level"):
        values = df[col].to_numpy(dtype=float)
        expected = np.rint(values[base] + steps * (values[nb] - values[base]))
        np.testing.assert_array_equal(tail[col].to_numpy(dtype=float), expected)
    # booleans, categories and strings come from the nearer parent, never averaged
    nearer = np.where(steps < 0.5, base, nb)
    for col in ("flag", "colour", "name"):
        np.testing.assert_array_equal(tail[col].to_numpy(), df[col].to_numpy()[nearer])
    # times are interpolated in time, time zone kept
    for col in ("when", "zoned"):
        lo = np.minimum(df[col].to_numpy()[base], df[col].to_numpy()[nb])
        hi = np.maximum(df[col].to_numpy()[base], df[col].to_numpy()[nb])
        got = tail[col].to_numpy()
        assert ((got >= lo) & (got <= hi)).all()
    assert str(out["zoned"].dt.tz) == "Europe/Paris"


def test_bools_between_false_and_true_parents_are_not_always_true():
    df, y = mixed_frame(seed=1)
    sampler = SMOTE(random_state=1)
    out, _ = sampler.fit_resample(df, y)
    flags = df["flag"].to_numpy()[sampler.synthetic_parents_]
    mixed = flags[:, 0] != flags[:, 1]
    assert mixed.any()
    assert 0 < out["flag"].to_numpy()[len(df) :][mixed].mean() < 1


def test_polars_matches_pandas():
    df, y = mixed_frame()
    df = df.drop(columns=["name", "score"])
    out_pd, _ = SMOTE(random_state=0).fit_resample(df, y)
    out_pl, y_pl = SMOTE(random_state=0).fit_resample(
        pl.from_pandas(df.reset_index(drop=True)), pl.Series("label", y.to_numpy())
    )
    assert isinstance(out_pl, pl.DataFrame) and isinstance(y_pl, pl.Series)
    for col in ("x", "count", "flag", "level"):
        np.testing.assert_array_equal(out_pl[col].to_numpy(), out_pd[col].to_numpy(dtype=None))
    np.testing.assert_array_equal(
        out_pl["when"].to_numpy(), out_pd["when"].to_numpy().astype(out_pl["when"].to_numpy().dtype)
    )
    assert out_pl.schema["zoned"] == pl.from_pandas(df)["zoned"].dtype


def test_sparse_input_stays_sparse_and_matches_dense():
    X, y = blobs((120, 30), d=6)
    X[X < 0.5] = 0.0
    dense = SMOTE(random_state=0).fit_resample(X, y)[0]
    sparse = SMOTE(random_state=0).fit_resample(sp.csr_matrix(X), y)[0]
    assert sp.issparse(sparse) and sparse.format == "csr"
    np.testing.assert_allclose(sparse.toarray(), dense)


def test_integer_numpy_array_stays_integer():
    X, y = blobs()
    X = np.rint(X * 10).astype(np.int32)
    X_res, _ = SMOTE(random_state=0).fit_resample(X, y)
    assert X_res.dtype == np.int32
    assert X_res.min() >= X.min() and X_res.max() <= X.max()


def test_no_numeric_column_is_explained():
    X = np.array([["a"], ["b"], ["a"], ["b"], ["a"], ["c"]], dtype=object)
    with pytest.raises(InvalidDataError, match="SMOTEN"):
        SMOTE(k_neighbors=1).fit_resample(X, [0, 0, 0, 0, 1, 1])


def test_bad_parameters_name_the_parameter():
    X, y = blobs()
    with pytest.raises(InvalidParameterError, match="'neighbors' parameter of SMOTE"):
        SMOTE(neighbors="gpu").fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="'n_jobs' parameter of SMOTE"):
        SMOTE(n_jobs=0).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match="'k_neighbors' parameter of SMOTE"):
        SMOTE(k_neighbors=0).fit_resample(X, y)


def test_missing_values_in_rows_smote_does_not_read_are_kept():
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "a": rng.normal(size=60),
            "n": pd.array(
                np.where(np.arange(60) == 3, None, rng.integers(0, 9, 60)), dtype="Int64"
            ),
        }
    )
    y = np.array([0] * 50 + [1] * 10)
    out, _ = SMOTE(random_state=0).fit_resample(df, y)
    assert out["n"].dtype == "Int64" and out["n"].isna().sum() == 1 and pd.isna(out["n"].iloc[3])
    tail = out["n"].iloc[60:].to_numpy(dtype=float)
    assert tail.min() >= df["n"].iloc[50:].min() and tail.max() <= df["n"].iloc[50:].max()
