"""SMOTEENN and SMOTETomek: compositions of two samplers, traced back to the rows of X."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from imblearn.combine import SMOTEENN as ImbSMOTEENN
from imblearn.combine import SMOTETomek as ImbSMOTETomek
from imblearn.over_sampling import SMOTE as ImbSMOTE
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from imbalance.exceptions import InvalidParameterError
from imbalance.pipeline import ResampledClassifier, resample_sample_weight
from imbalance.samplers import (
    ADASYN,
    SMOTE,
    SMOTEENN,
    ClusterCentroids,
    EditedNearestNeighbours,
    NeighbourhoodCleaningRule,
    RandomOverSampler,
    SMOTETomek,
    TomekLinks,
)


def _data(n=600, weights=(0.8, 0.15, 0.05), seed=0):
    return make_classification(
        n_samples=n,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=len(weights),
        weights=list(weights),
        class_sep=0.8,
        random_state=seed,
    )


@pytest.mark.parametrize(
    ("combo", "cleaner", "param"),
    [(SMOTEENN, EditedNearestNeighbours, "enn"), (SMOTETomek, TomekLinks, "tomek")],
)
def test_output_is_the_second_sampler_run_on_the_first_ones_output(combo, cleaner, param):
    X, y = _data(seed=1)
    sampler = combo(smote=SMOTE(random_state=3))
    X_res, y_res = sampler.fit_resample(X, y)
    X1, y1 = SMOTE(random_state=3).fit_resample(X, y)
    X2, y2 = cleaner(sampling_strategy="all").fit_resample(X1, y1)
    np.testing.assert_array_equal(X_res, X2)
    np.testing.assert_array_equal(y_res, y2)
    assert isinstance(getattr(sampler, f"{param}_"), cleaner)
    assert sampler.target_counts_ == {c: int((y2 == c).sum()) for c in (0, 1, 2)}


@pytest.mark.parametrize("combo", [SMOTEENN, SMOTETomek])
def test_every_output_row_is_traced_back_to_x(combo):
    X, y = _data(seed=2)
    sampler = combo(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    kept, parents = sampler.sample_indices_, sampler.synthetic_parents_
    assert (np.diff(kept) > 0).all(), "rows of X come out once each, in input order"
    np.testing.assert_array_equal(X_res[: kept.size], X[kept])
    assert parents.shape == (len(y_res) - kept.size, 2)
    np.testing.assert_array_equal(y_res[kept.size :], y[parents[:, 0]])
    np.testing.assert_array_equal(y[parents[:, 0]], y[parents[:, 1]])
    base, nb = X[parents[:, 0]], X[parents[:, 1]]
    step = ((X_res[kept.size :] - base) * (nb - base)).sum(1) / ((nb - base) ** 2).sum(1)
    np.testing.assert_allclose(X_res[kept.size :], base + step[:, None] * (nb - base), atol=1e-9)
    w = np.random.default_rng(0).random(len(y))
    np.testing.assert_array_equal(
        resample_sample_weight(sampler, w, len(y_res)),
        np.concatenate([w[kept], w[parents[:, 0]]]),
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (ADASYN(random_state=0), NeighbourhoodCleaningRule()),
        (RandomOverSampler(random_state=0), TomekLinks(sampling_strategy="all")),
        (SMOTE(random_state=0), ClusterCentroids(voting="hard", random_state=0)),
    ],
    ids=lambda s: type(s).__name__,
)
def test_any_over_sampler_then_any_row_keeping_under_sampler(first, second):
    X, y = _data(seed=3)
    sampler = SMOTEENN(smote=first, enn=second)
    X_res, y_res = sampler.fit_resample(X, y)
    X1, y1 = type(first)(**first.get_params()).fit_resample(X, y)
    X2, y2 = type(second)(**second.get_params()).fit_resample(X1, y1)
    np.testing.assert_array_equal(X_res, X2)
    np.testing.assert_array_equal(y_res, y2)
    n_kept = sampler.sample_indices_.size
    np.testing.assert_array_equal(X_res[:n_kept], X[sampler.sample_indices_])


def test_samplers_that_cannot_be_traced_are_refused():
    X, y = _data(seed=4)
    with pytest.raises(InvalidParameterError, match=r"first sampler \(SMOTE\) does not expose"):
        SMOTEENN(smote=ImbSMOTE(random_state=0)).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match=r"second sampler .* made .* new rows"):
        SMOTETomek(tomek=ClusterCentroids(sampling_strategy={0: 100}, random_state=0)).fit_resample(
            X, y
        )
    with pytest.raises(InvalidParameterError, match=r"'enn' parameter of SMOTEENN"):
        SMOTEENN(enn=LogisticRegression()).fit_resample(X, y)


def test_frames_keep_labels_and_weights_follow_rows_into_a_model():
    X, y = _data(seed=5, weights=(0.9, 0.1))
    df = pd.DataFrame(X, columns=list("abcd"), index=np.arange(len(y)) * 3)
    sampler = SMOTEENN(random_state=0)
    X_res, y_res = sampler.fit_resample(df, pd.Series(y, index=df.index))
    n_kept = sampler.sample_indices_.size
    assert X_res.index[:n_kept].equals(df.index[sampler.sample_indices_])
    assert y_res.index.equals(X_res.index)
    assert not X_res.index[n_kept:].isin(df.index).any() and X_res.index.is_unique
    model = ResampledClassifier(SMOTETomek(random_state=0), LogisticRegression())
    model.fit(X, y, sample_weight=np.where(y == 1, 2.0, 1.0))
    counts = model.sampler_.target_counts_
    assert model.training_class_counts_ == {0: counts[0], 1: 2.0 * counts[1]}


@pytest.mark.parametrize(("ours", "theirs"), [(SMOTEENN, ImbSMOTEENN), (SMOTETomek, ImbSMOTETomek)])
def test_counts_match_imbalanced_learn_in_distribution(ours, theirs):
    X, y = _data(n=500, seed=6, weights=(0.85, 0.15))
    mine = np.array([np.bincount(ours(random_state=s).fit_resample(X, y)[1]) for s in range(6)])
    ref = np.array([np.bincount(theirs(random_state=s).fit_resample(X, y)[1]) for s in range(6)])
    np.testing.assert_allclose(mine.mean(axis=0), ref.mean(axis=0), rtol=0.05)
