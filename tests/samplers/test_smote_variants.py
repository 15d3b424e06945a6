"""BorderlineSMOTE, SVMSMOTE, ADASYN, KMeansSMOTE, SMOTENC and SMOTEN: behaviour and references."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from imblearn.metrics.pairwise import ValueDifferenceMetric
from imblearn.over_sampling import ADASYN as ImbADASYN
from imblearn.over_sampling import SMOTENC as ImbSMOTENC
from imblearn.over_sampling import SVMSMOTE as ImbSVMSMOTE
from imblearn.over_sampling import BorderlineSMOTE as ImbBorderline
from imblearn.over_sampling import KMeansSMOTE as ImbKMeansSMOTE
from sklearn.datasets import make_classification

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.neighbors import kneighbors, table_kneighbors
from imbalance.samplers import (
    ADASYN,
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
)
from imbalance.samplers.over._categorical import vdm_tables


def assert_same_distribution(a, b, z=5.0):
    """Means and covariances agree within ``z`` standard errors (samples of the same law)."""
    n = min(len(a), len(b))
    se_mean = np.sqrt(a.var(axis=0) / len(a) + b.var(axis=0) / len(b))
    assert (np.abs(a.mean(axis=0) - b.mean(axis=0)) <= z * se_mean).all()
    ca, cb = np.cov(a.T), np.cov(b.T)
    var = np.diag(ca)
    se_cov = np.sqrt((np.outer(var, var) + ca**2) * 2.0 / n)
    assert (np.abs(ca - cb) <= z * se_cov).all()


def overlapping(n_major=1500, n_minor=150, d=3, shift=1.0, seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(0, 1, (n_major, d)), rng.normal(shift, 1, (n_minor, d))])
    return X, np.array([0] * n_major + [1] * n_minor)


def other_counts(X, y, rows, m):
    nn = kneighbors(X, m, rows=rows, backend="exact")
    return (y[nn] != y[rows][:, None]).sum(axis=1)


# ---------------------------------------------------------------------------- BorderlineSMOTE


def test_borderline1_starts_only_from_rows_in_danger():
    X, y = overlapping()
    sampler = BorderlineSMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    danger = sampler.danger_indices_[1]
    n_other = other_counts(X, y, danger, 10)
    assert ((n_other >= 5) & (n_other < 10)).all()
    members = np.flatnonzero(y == 1)
    not_danger = np.setdiff1d(members, danger)
    n_other_rest = other_counts(X, y, not_danger, 10)
    assert ((n_other_rest < 5) | (n_other_rest == 10)).all()
    base, nb = sampler.synthetic_parents_.T
    assert np.isin(base, danger).all() and (y[nb] == 1).all()
    steps = sampler.synthetic_steps_
    np.testing.assert_allclose(X_res[len(y) :], X[base] + steps[:, None] * (X[nb] - X[base]))


def test_borderline1_distribution_matches_imbalanced_learn():
    X, y = overlapping(n_major=3000, n_minor=300, shift=1.5)
    ours = BorderlineSMOTE(random_state=0).fit_resample(X, y)[0][len(y) :]
    theirs = ImbBorderline(random_state=0).fit_resample(X, y)[0][len(y) :]
    assert_same_distribution(ours, theirs)


def test_borderline2_second_batch_steps_towards_other_classes_by_at_most_half():
    X, y = overlapping()
    sampler = BorderlineSMOTE(kind="borderline-2", random_state=0)
    sampler.fit_resample(X, y)
    nb = sampler.synthetic_parents_[:, 1]
    steps = sampler.synthetic_steps_
    other = y[nb] != 1
    assert other.any() and (~other).any()
    assert (steps[other] < 0.5).all()
    share = (~other).mean()
    assert 0.15 < share < 0.85  # Beta(10, 10) split


def test_borderline_without_rows_in_danger_falls_back_to_smote_and_says_so():
    X, y = overlapping(shift=12.0)
    sampler = BorderlineSMOTE(random_state=0)
    with pytest.warns(UserWarning, match=r"no row of class 1 in danger .* m_neighbors=10"):
        _, y_res = sampler.fit_resample(X, y)
    assert sampler.danger_indices_[1].size == 0
    assert (y_res == 1).sum() == (y == 0).sum()
    assert ImbBorderline(random_state=0).fit_resample(X, y)[0].shape == X.shape


# ---------------------------------------------------------------------------- SVMSMOTE


def test_svmsmote_grows_from_support_vectors_inside_and_outwards():
    X, y = overlapping(shift=2.0)
    sampler = SVMSMOTE(random_state=0, out_step=0.3)
    X_res, y_res = sampler.fit_resample(X, y)
    assert (y_res == 1).sum() == (y == 0).sum()
    base, nb = sampler.synthetic_parents_.T
    support = sampler.svm_estimator_.support_
    assert np.isin(base, support).all() and (y[base] == 1).all() and (y[nb] == 1).all()
    steps = sampler.synthetic_steps_
    assert ((steps > -0.3) & (steps < 1)).all()
    assert (steps < 0).any() and (steps > 0).any()
    np.testing.assert_allclose(X_res[len(y) :], X[base] + steps[:, None] * (X[nb] - X[base]))


def test_svmsmote_distribution_matches_imbalanced_learn():
    X, y = overlapping(n_major=1500, n_minor=200, shift=2.0, seed=3)
    ours = SVMSMOTE(random_state=0).fit_resample(X, y)[0][len(y) :]
    theirs = ImbSVMSMOTE(random_state=0).fit_resample(X, y)[0][len(y) :]
    assert_same_distribution(ours, theirs, z=6.0)


def test_svmsmote_all_noise_is_explained():
    """Each minority row sits in a ring of majority rows: all its support vectors are noise."""
    rng = np.random.default_rng(0)
    minority = np.column_stack([np.arange(5) * 10.0, np.zeros(5)])
    angles = np.linspace(0, 2 * np.pi, 12, endpoint=False)
    ring = 0.1 * np.column_stack([np.cos(angles), np.sin(angles)])
    majority = (minority[:, None, :] + ring[None, :, :]).reshape(-1, 2)
    majority = np.vstack([majority, rng.normal(20, 3, size=(40, 2))])
    X = np.vstack([majority, minority])
    y = np.array([0] * len(majority) + [1] * 5)
    with pytest.raises(InvalidDataError, match="support vectors of class 1 are noise"):
        SVMSMOTE(k_neighbors=2, random_state=0).fit_resample(X, y)


# ---------------------------------------------------------------------------- ADASYN


def test_adasyn_allocates_by_difficulty_with_exact_counts():
    X, y = overlapping()
    sampler = ADASYN(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    n_new = (y == 0).sum() - (y == 1).sum()
    assert len(y_res) - len(y) == n_new
    members = np.flatnonzero(y == 1)
    made = np.bincount(
        np.searchsorted(members, sampler.synthetic_parents_[:, 0]), minlength=members.size
    )
    difficulty = sampler.difficulty_[1]
    np.testing.assert_allclose(difficulty, other_counts(X, y, members, 5) / 5)
    ideal = difficulty / difficulty.sum() * n_new
    assert (np.abs(made - ideal) < 1).all()


def test_adasyn_distribution_matches_imbalanced_learn():
    X, y = overlapping(n_major=3000, n_minor=300, shift=1.5, seed=1)
    ours = ADASYN(random_state=0).fit_resample(X, y)[0][len(y) :]
    theirs = ImbADASYN(random_state=0).fit_resample(X, y)[0][len(y) :]
    assert_same_distribution(ours, theirs)


def test_adasyn_on_separable_classes_splits_evenly():
    X, y = overlapping(shift=12.0)
    with pytest.raises(RuntimeError):
        ImbADASYN().fit_resample(X, y)
    sampler = ADASYN(random_state=0)
    sampler.fit_resample(X, y)
    assert not sampler.difficulty_[1].any()
    made = np.bincount(sampler.synthetic_parents_[:, 0])[-150:]
    assert made.max() - made.min() <= 1


# ---------------------------------------------------------------------------- KMeansSMOTE


def test_kmeans_smote_works_on_ordinary_data_where_imbalanced_learn_fails():
    X, y = make_classification(
        n_samples=2000, n_features=10, weights=[0.95], flip_y=0, class_sep=0.7, random_state=0
    )
    with pytest.raises(RuntimeError, match="No clusters found"):
        ImbKMeansSMOTE(random_state=0).fit_resample(X, y)
    sampler = KMeansSMOTE(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert (y_res == 1).sum() == (y == 0).sum()
    base, nb = sampler.synthetic_parents_.T
    assert (sampler.labels_[base] == sampler.labels_[nb]).all()
    weights = sampler.cluster_weights_[1]
    assert sum(weights.values()) == pytest.approx(1.0)
    made = np.bincount(sampler.labels_[base], minlength=8)
    for cluster, w in weights.items():
        assert abs(made[cluster] - w * len(base)) < 1


def test_kmeans_smote_no_cluster_error_is_actionable():
    X, y = overlapping(n_major=200, n_minor=6, shift=0.0)
    with pytest.raises(InvalidDataError, match=r"no cluster for class 1.*fewer clusters"):
        KMeansSMOTE(kmeans_estimator=6, k_neighbors=5, random_state=0).fit_resample(X, y)


def test_kmeans_smote_too_many_clusters_is_explained():
    X, y = overlapping(n_major=8, n_minor=4)
    with pytest.raises(InvalidDataError, match="asks for 20 clusters but X has 12 rows"):
        KMeansSMOTE(kmeans_estimator=20).fit_resample(X, y)


# ---------------------------------------------------------------------------- SMOTENC


def nc_frame(seed=0, n_major=150, n_minor=40):
    rng = np.random.default_rng(seed)
    n = n_major + n_minor
    colour = np.where(np.arange(n) < n_major, rng.choice(["r", "g"], n), rng.choice(["g", "b"], n))
    return (
        pd.DataFrame(
            {
                "x": rng.normal(size=n) + (np.arange(n) >= n_major),
                "colour": pd.array(colour, dtype="str"),
                "size": pd.Categorical(rng.choice(["S", "M", "L"], n)),
                "member": rng.random(n) < 0.3,
                "amount": rng.integers(0, 100, n),
                "when": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 99, n), "D"),
            }
        ),
        np.array([0] * n_major + [1] * n_minor),
    )


def test_smotenc_detects_categories_and_votes_among_neighbours():
    df, y = nc_frame()
    sampler = SMOTENC(random_state=0)
    out, _ = sampler.fit_resample(df, y)
    np.testing.assert_array_equal(sampler.categorical_features_, [1, 2, 3])
    np.testing.assert_array_equal(sampler.continuous_features_, [0, 4])
    assert (out.dtypes == df.dtypes).all()
    tail = out.iloc[len(df) :]
    assert set(tail["colour"]) <= {"g", "b"}
    # each category is the most common one among the base row's neighbours
    members = np.flatnonzero(y == 1)
    Xc = df[["x", "amount"]].to_numpy(dtype=float)[members]
    base, _ = sampler.synthetic_parents_.T
    for col in ("colour", "size", "member"):
        codes = pd.factorize(df[col].astype(object))[0]
        med = np.median(Xc.std(axis=0))
        onehot = np.column_stack(
            [
                pd.get_dummies(df[c].astype(object)).to_numpy(float)[members]
                for c in ("colour", "size", "member")
            ]
        )
        nn = members[kneighbors(np.hstack([Xc, onehot * med / np.sqrt(2)]), 5)]
        voters = nn[np.searchsorted(members, base)]
        counts = np.array([np.bincount(codes[v], minlength=codes.max() + 1) for v in voters])
        chosen = pd.factorize(pd.concat([df[col], tail[col]]).astype(object))[0][len(df) :]
        assert (counts[np.arange(len(base)), chosen] == counts.max(axis=1)).all()
    when = df["when"].to_numpy()[sampler.synthetic_parents_]
    assert (
        (tail["when"].to_numpy() >= when.min(axis=1))
        & (tail["when"].to_numpy() <= when.max(axis=1))
    ).all()


def test_smotenc_continuous_distribution_matches_imbalanced_learn():
    df, y = nc_frame(n_major=2000, n_minor=300, seed=2)
    df = df.drop(columns=["when"])
    cats = ["colour", "size", "member"]
    ours = SMOTENC(categorical_features=cats, random_state=0).fit_resample(df, y)[0]
    theirs = ImbSMOTENC(categorical_features=cats, random_state=0).fit_resample(df, y)[0]
    n = len(df)
    assert_same_distribution(
        ours[["x", "amount"]].to_numpy(float)[n:], theirs[["x", "amount"]].to_numpy(float)[n:]
    )
    for col in ("colour", "size"):
        a = ours[col].iloc[n:].value_counts(normalize=True)
        b = theirs[col].iloc[n:].astype(object).value_counts(normalize=True)
        assert (a.reindex(b.index, fill_value=0) - b).abs().max() < 0.06


def test_smotenc_named_masked_and_positional_features_agree():
    df, y = nc_frame()
    df = df.drop(columns=["when"])
    by_name = SMOTENC(categorical_features=["colour", "size", "member"], random_state=1)
    by_mask = SMOTENC(categorical_features=[False, True, True, True, False], random_state=1)
    by_pos = SMOTENC(categorical_features=[1, 2, -2], random_state=1)
    results = [s.fit_resample(df, y)[0] for s in (by_name, by_mask, by_pos)]
    pd.testing.assert_frame_equal(results[0], results[1])
    pd.testing.assert_frame_equal(results[0], results[2])


def test_smotenc_bad_categorical_features_are_explained():
    df, y = nc_frame()
    with pytest.raises(InvalidParameterError, match="'shape', which is not a column"):
        SMOTENC(categorical_features=["shape"]).fit_resample(df, y)
    with pytest.raises(InvalidParameterError, match="X has 6 columns"):
        SMOTENC(categorical_features=[9]).fit_resample(df, y)
    with pytest.raises(InvalidDataError, match=r"\['colour'\] are neither numeric"):
        SMOTENC(categorical_features=["size"]).fit_resample(df.drop(columns="member"), y)
    with pytest.raises(InvalidDataError, match="Use SMOTEN"):
        SMOTENC().fit_resample(df[["colour", "size"]], y)


# ---------------------------------------------------------------------------- SMOTEN


def categorical_data(seed=0, n_major=120, n_minor=30, n_features=3):
    rng = np.random.default_rng(seed)
    X = rng.choice(np.array(list("abcd"), dtype=object), size=(n_major + n_minor, n_features))
    X[n_major:, 0] = rng.choice(np.array(["c", "d"], dtype=object), size=n_minor)
    return X, np.array([0] * n_major + [1] * n_minor)


def test_vdm_neighbours_match_imbalanced_learns_metric():
    X, y = categorical_data()
    codes = np.column_stack([pd.factorize(X[:, j])[0] for j in range(X.shape[1])])
    tables = vdm_tables(codes, y, 2)
    vdm = ValueDifferenceMetric().fit(codes, y)
    d = vdm.pairwise(codes)
    np.fill_diagonal(d, np.inf)
    positions = np.broadcast_to(np.arange(len(y)), d.shape)
    expected = np.lexsort((positions, d), axis=-1)[:, :4]
    np.testing.assert_array_equal(table_kneighbors(codes, tables, 4), expected)


def test_smoten_rows_are_votes_of_base_and_neighbours():
    X, y = categorical_data()
    sampler = SMOTEN(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert (y_res == 1).sum() == 120
    voters = sampler.synthetic_parents_
    assert voters.shape == (90, 6) and (y[voters] == 1).all()
    for j in range(X.shape[1]):
        values = X[voters, j]
        chosen = X_res[150:, j]
        counts = (values == chosen[:, None]).sum(axis=1)
        best = np.array([max((row == v).sum() for v in set(row)) for row in values])
        np.testing.assert_array_equal(counts, best)
    assert set(X_res[150:, 0]) <= {"c", "d"}


def test_smoten_keeps_pandas_dtypes():
    X, y = categorical_data()
    df = pd.DataFrame({"a": pd.Categorical(X[:, 0]), "b": X[:, 1].astype(str), "c": X[:, 2] == "a"})
    out, _ = SMOTEN(random_state=0).fit_resample(df, y)
    assert (out.dtypes == df.dtypes).all()
