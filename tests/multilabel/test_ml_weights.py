"""Multi-label weights: consistent with imbalance.weights, scikit-learn, Cui et al. and torch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from multilabel_data import long_tailed_labels
from sklearn.utils.class_weight import compute_class_weight

from imbalance.multilabel import label_pos_weight, label_weights, multilabel_sample_weights
from imbalance.weights import SCHEMES, pos_weight, sample_weights, weights_from_counts

label_matrices = st.integers(0, 2**31 - 1).map(
    lambda seed: long_tailed_labels(50, np.array([0.7, 0.3, 0.1, 0.04]), min_count=1, seed=seed)
)
one_label_per_row = st.lists(st.integers(0, 3), min_size=4, max_size=60).filter(
    lambda y: len(set(y)) == 4
)


@settings(max_examples=40, deadline=None)
@given(Y=label_matrices)
def test_pos_weight_is_the_negative_to_positive_ratio(Y):
    np.testing.assert_allclose(label_pos_weight(Y), pos_weight(Y))
    sets = [list(np.flatnonzero(r)) for r in Y]
    np.testing.assert_allclose(label_pos_weight(sets), pos_weight(Y))


@settings(max_examples=40, deadline=None)
@given(Y=label_matrices, beta=st.sampled_from([0.0, 0.5, 0.9, 0.999]))
def test_effective_number_pos_weight_follows_cui_et_al(Y, beta):
    pos = Y.sum(axis=0).astype(float)
    neg = len(Y) - pos

    def effective(n):  # E(n) = (1 - beta^n) / (1 - beta), with 0^0 = 1
        return (1 - beta**n) / (1 - beta)

    expected = effective(neg) / effective(pos)
    np.testing.assert_allclose(label_pos_weight(Y, beta=beta), expected, rtol=1e-10)
    assert label_pos_weight(Y, beta=0.999999) == pytest.approx(neg / pos, rel=1e-3)


@settings(max_examples=40, deadline=None)
@given(y=one_label_per_row)
def test_one_label_per_row_matches_class_weights(y):
    y = np.array(y)
    Y = np.eye(4, dtype=int)[y]
    expected = compute_class_weight("balanced", classes=np.arange(4), y=y)
    np.testing.assert_allclose(label_weights(Y), expected)
    for scheme in SCHEMES:
        np.testing.assert_allclose(
            multilabel_sample_weights(Y, scheme=scheme), sample_weights(y, scheme=scheme)
        )


@settings(max_examples=30, deadline=None)
@given(Y=label_matrices, scheme=st.sampled_from(SCHEMES))
def test_label_weights_are_the_schemes_on_positive_counts(Y, scheme):
    np.testing.assert_allclose(
        label_weights(Y, scheme=scheme), weights_from_counts(Y.sum(axis=0), scheme=scheme)
    )


def test_sample_weights_reduce_the_row_labels_and_weigh_empty_rows_as_a_set():
    Y = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 1], [0, 0, 0], [1, 0, 0]])
    per = weights_from_counts([4, 1, 1, 1], scheme="inverse")  # three labels and the empty set
    np.testing.assert_allclose(
        multilabel_sample_weights(Y, scheme="inverse"), [per[0], per[1], per[2], per[3], per[0]]
    )
    np.testing.assert_allclose(
        multilabel_sample_weights(Y, scheme="inverse", reduce="sum"),
        [per[0], per[0] + per[1], per[0] + per[2], per[3], per[0]],
    )
    no_empty = Y[[0, 1, 2, 4]]
    per = weights_from_counts([4, 1, 1], scheme="inverse")
    np.testing.assert_allclose(
        multilabel_sample_weights(no_empty, scheme="inverse", reduce="mean"),
        [per[0], (per[0] + per[1]) / 2, (per[0] + per[2]) / 2, per[0]],
    )


def test_weights_plug_into_torch_losses():
    torch = pytest.importorskip("torch")
    from imbalance.torch import FocalLoss

    Y = long_tailed_labels(64, np.array([0.6, 0.2, 0.05]), min_count=2, seed=0)
    logits = torch.randn(64, 3, generator=torch.Generator().manual_seed(0))
    target = torch.as_tensor(Y, dtype=torch.float32)
    w = label_pos_weight(Y)
    bce = torch.nn.BCEWithLogitsLoss(pos_weight=torch.as_tensor(w, dtype=torch.float32))
    focal = FocalLoss(gamma=0.0, pos_weight=w)
    assert torch.allclose(focal(logits, target), bce(logits, target), atol=1e-6)


def test_bad_arguments_are_named():
    Y = np.array([[1, 0], [0, 1], [1, 1]])
    with pytest.raises(ValueError, match=r"beta=1.0 must be None or a float in \[0, 1\)"):
        label_pos_weight(Y, beta=1.0)
    with pytest.raises(ValueError, match=r"reduce='min' is not a way to combine.*'max'"):
        multilabel_sample_weights(Y, reduce="min")
    with pytest.raises(ValueError, match=r"scheme='log' is not a weighting scheme"):
        label_weights(Y, scheme="log")
    with pytest.raises(ValueError, match=r"label 1 of Y has no positive row, so its pos_weight"):
        label_pos_weight(np.array([[1, 0], [1, 0]]))
