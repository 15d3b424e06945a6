"""Weighted MSE / L1 and focal-R: values against the formulas, shapes, weights, checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.regression import lds_weights
from imbalance.torch import FocalRegressionLoss, WeightedL1Loss, WeightedMSELoss
from imbalance.torch.functional import (
    focal_regression_loss,
    weighted_l1_loss,
    weighted_mse_loss,
)

GEN = torch.Generator().manual_seed(0)
PRED = torch.randn(12, generator=GEN, dtype=torch.float64) * 3
TARGET = torch.randn(12, generator=GEN, dtype=torch.float64) * 3
WEIGHT = torch.rand(12, generator=GEN, dtype=torch.float64) * 2
SETTINGS = settings(max_examples=30, deadline=None)


def test_unweighted_losses_are_torchs():
    assert torch.allclose(weighted_mse_loss(PRED, TARGET), F.mse_loss(PRED, TARGET))
    assert torch.allclose(weighted_l1_loss(PRED, TARGET), F.l1_loss(PRED, TARGET))
    for reduction in ("none", "sum"):
        assert torch.allclose(
            weighted_mse_loss(PRED, TARGET, reduction=reduction),
            F.mse_loss(PRED, TARGET, reduction=reduction),
        )


def test_weights_multiply_each_row_and_mean_divides_by_rows():
    err = PRED - TARGET
    expected_mse = (WEIGHT * err**2).sum() / 12
    expected_l1 = (WEIGHT * err.abs()).sum() / 12
    assert torch.allclose(weighted_mse_loss(PRED, TARGET, weight=WEIGHT), expected_mse)
    assert torch.allclose(weighted_l1_loss(PRED, TARGET, weight=WEIGHT), expected_l1)
    # one weight per row broadcasts over the columns of (N, d) predictions
    pred2, target2 = PRED.reshape(6, 2), TARGET.reshape(6, 2)
    w_rows = WEIGHT[:6]
    got = weighted_mse_loss(pred2, target2, weight=w_rows, reduction="none")
    assert torch.allclose(got, w_rows[:, None] * (pred2 - target2) ** 2)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("loss", ["l1", "mse"])
def test_focal_r_matches_the_papers_formula(loss, activation):
    beta, gamma = 0.3, 1.7
    e = (PRED - TARGET).abs()
    act = torch.tanh(beta * e) if activation == "tanh" else 2 * torch.sigmoid(beta * e) - 1
    base = e if loss == "l1" else e**2
    expected = WEIGHT * base * act**gamma
    got = focal_regression_loss(
        PRED,
        TARGET,
        loss=loss,
        activation=activation,
        beta=beta,
        gamma=gamma,
        weight=WEIGHT,
        reduction="none",
    )
    assert torch.allclose(got, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("loss", ["l1", "mse"])
def test_focal_r_with_gamma_zero_is_the_plain_loss_gradient_included(loss):
    plain = weighted_l1_loss if loss == "l1" else weighted_mse_loss
    a = PRED.clone().requires_grad_(True)
    b = PRED.clone().requires_grad_(True)
    focal = focal_regression_loss(a, TARGET, loss=loss, gamma=0.0, weight=WEIGHT)
    ref = plain(b, TARGET, weight=WEIGHT)
    focal.backward()
    ref.backward()
    assert torch.equal(focal, ref)
    assert torch.allclose(a.grad, b.grad)


@pytest.mark.parametrize("gamma", [0.0, 0.3, 1.0, 2.0])
def test_focal_r_gradient_is_finite_and_zero_at_zero_error(gamma):
    pred = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    target = torch.tensor([1.0, 2.5, 0.0])
    focal_regression_loss(pred, target, gamma=gamma, reduction="sum").backward()
    assert torch.isfinite(pred.grad).all()
    assert pred.grad[0] == 0


def test_column_predictions_take_a_label_vector():
    pred = PRED.reshape(-1, 1)
    got = weighted_mse_loss(pred, TARGET, weight=WEIGHT, reduction="none")
    assert got.shape == (12, 1)
    assert torch.allclose(got[:, 0], WEIGHT * (PRED - TARGET) ** 2)
    assert torch.allclose(weighted_l1_loss(pred, TARGET), F.l1_loss(PRED, TARGET))


def test_modules_are_the_functions():
    assert torch.equal(
        WeightedMSELoss()(PRED, TARGET, WEIGHT), weighted_mse_loss(PRED, TARGET, weight=WEIGHT)
    )
    assert torch.equal(
        WeightedL1Loss(reduction="sum")(PRED, TARGET, WEIGHT),
        weighted_l1_loss(PRED, TARGET, weight=WEIGHT, reduction="sum"),
    )
    module = FocalRegressionLoss(loss="mse", activation="tanh", beta=0.5, gamma=2.0)
    assert torch.equal(
        module(PRED, TARGET, WEIGHT),
        focal_regression_loss(
            PRED, TARGET, loss="mse", activation="tanh", beta=0.5, gamma=2.0, weight=WEIGHT
        ),
    )
    assert "gamma=2.0" in repr(module)


def test_lds_weights_plug_in():
    y = np.concatenate([np.zeros(90), np.full(10, 5.0)])
    w = torch.as_tensor(lds_weights(y, bins=10, ks=1))
    pred = torch.full((100,), 1.0, dtype=torch.float64)
    target = torch.as_tensor(y)
    got = weighted_mse_loss(pred, target, weight=w)
    # sqrt-inverse frequency: rare rows weigh 3x; weights average 1
    expected = (w[:90].sum() * 1.0 + w[90:].sum() * 16.0) / 100
    assert math.isclose(float(w[90] / w[0]), 3.0, rel_tol=1e-12)
    assert torch.allclose(got, expected)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_computes_in_float32(dtype):
    pred, target = PRED.to(dtype), TARGET.to(dtype)
    got = focal_regression_loss(pred, target, weight=WEIGHT.to(dtype))
    ref = focal_regression_loss(pred.float(), target.float(), weight=WEIGHT.to(dtype).float())
    assert got.dtype == dtype
    assert torch.allclose(got.float(), ref, rtol=1e-2)


@pytest.mark.parametrize("fn", [weighted_mse_loss, weighted_l1_loss, focal_regression_loss])
def test_bad_input_is_refused_in_the_users_terms(fn):
    with pytest.raises(InvalidDataError, match="finite targets; target holds nan"):
        fn(PRED, torch.tensor([math.nan] * 12, dtype=torch.float64))
    with pytest.raises(InvalidDataError, match="every prediction with every target"):
        fn(PRED.reshape(12, 1), TARGET.reshape(1, 12))
    with pytest.raises(InvalidDataError, match=r"one weight per row, shape \(12,\)"):
        fn(PRED, TARGET, weight=torch.ones(5))
    with pytest.raises(InvalidDataError, match="weight finite and >= 0"):
        fn(PRED, TARGET, weight=-WEIGHT)
    with pytest.raises(InvalidDataError, match="floating-point predictions"):
        fn(torch.arange(12), TARGET)
    with pytest.raises(InvalidParameterError, match="'reduction'"):
        fn(PRED, TARGET, reduction="avg")


def test_focal_r_parameters_are_checked():
    with pytest.raises(InvalidParameterError, match=r"'beta' parameter .* \(0, inf\)"):
        focal_regression_loss(PRED, TARGET, beta=0.0)
    with pytest.raises(InvalidParameterError, match="'gamma'"):
        FocalRegressionLoss(gamma=-1.0)
    with pytest.raises(InvalidParameterError, match="'activation'"):
        FocalRegressionLoss(activation="relu")
    with pytest.raises(InvalidParameterError, match=r"'loss' parameter .* 'l1' or 'mse'"):
        focal_regression_loss(PRED, TARGET, loss="huber")


def test_inputs_are_not_modified():
    pred, target, weight = PRED.clone(), TARGET.clone(), WEIGHT.clone()
    focal_regression_loss(pred.reshape(-1, 1), target, weight=weight)
    assert torch.equal(pred, PRED) and torch.equal(target, TARGET) and torch.equal(weight, WEIGHT)


finite = st.floats(-1e3, 1e3, allow_nan=False, width=64)
rows = st.lists(st.tuples(finite, finite, st.floats(0, 10, width=64)), min_size=1, max_size=16)


@SETTINGS
@given(data=rows, gamma=st.floats(0, 4), beta=st.floats(0.01, 5))
def test_focal_r_is_between_zero_and_the_weighted_loss(data, gamma, beta):
    pred, target, weight = (torch.tensor(c, dtype=torch.float64) for c in zip(*data, strict=True))
    for loss, plain in (("l1", weighted_l1_loss), ("mse", weighted_mse_loss)):
        focal = focal_regression_loss(
            pred, target, loss=loss, gamma=gamma, beta=beta, weight=weight, reduction="none"
        )
        ref = plain(pred, target, weight=weight, reduction="none")
        assert (focal >= 0).all() and (focal <= ref * (1 + 1e-12)).all()


@SETTINGS
@given(data=rows, scale=st.floats(0.01, 100))
def test_scaling_the_weights_scales_the_loss(data, scale):
    pred, target, weight = (torch.tensor(c, dtype=torch.float64) for c in zip(*data, strict=True))
    for fn in (weighted_mse_loss, weighted_l1_loss, focal_regression_loss):
        base = fn(pred, target, weight=weight, reduction="sum")
        scaled = fn(pred, target, weight=weight * scale, reduction="sum")
        assert torch.allclose(scaled, base * scale, rtol=1e-9, atol=1e-9)
