"""Focal losses: references against torch, numerics in every dtype, published formulas."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.torch._loss_focal import sigmoid_focal_reference, softmax_focal_reference
from imbalance.torch.functional import sigmoid_focal_loss, softmax_focal_loss

DEVICES = [
    "cpu",
    pytest.param(
        "cuda", marks=pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
    ),
]
DTYPES = [torch.float32, torch.bfloat16, torch.float16]
# About two units in the last place of each dtype (relative), and a small absolute slack.
TOL = {
    torch.float32: {"rtol": 2e-6, "atol": 5e-7},
    torch.bfloat16: {"rtol": 2**-7, "atol": 1e-5},
    torch.float16: {"rtol": 2**-10, "atol": 1e-6},
}
EXTREMES = [1e4, -1e4, 100.0, -100.0, 0.0]
GAMMAS = [0.0, 0.5, 1.0, 2.0, 5.0]


def _inputs(shape, device, dtype, seed=0):
    gen = torch.Generator().manual_seed(seed)
    logits = (3 * torch.randn(shape, generator=gen)).to(device=device, dtype=dtype)
    target = (torch.rand(shape, generator=gen) < 0.3).to(device=device, dtype=dtype)
    return logits.requires_grad_(), target


def _close(a, b, dtype):
    torch.testing.assert_close(a.double(), b.double(), **TOL[dtype])


# --- gamma = 0 (and alpha off) is the cross-entropy, loss and gradient --------------------------


def _exact(fn, logits, *args, **kwargs):
    """``fn`` evaluated in float64 on the same (low-precision) inputs: loss and gradient."""
    x = logits.detach().double().requires_grad_()
    loss = fn(x, *[a.double() if a.is_floating_point() else a for a in args], **kwargs)
    (grad,) = torch.autograd.grad(loss.sum(), x)
    return loss, grad


# Compared with torch's loss evaluated in float64 on the same inputs: our float16 and bfloat16
# results are the exact ones rounded (the maths runs in float32), which torch's own low-precision
# kernels are not always (p - t cancels in bfloat16).


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_sigmoid_gamma_zero_is_bce(device, dtype, reduction):
    logits, target = _inputs((64, 5), device, dtype)
    ours = sigmoid_focal_loss(logits, target, gamma=0.0, reduction=reduction)
    ref, g_ref = _exact(F.binary_cross_entropy_with_logits, logits, target, reduction=reduction)
    assert ours.dtype == dtype and ours.shape == ref.shape
    _close(ours, ref, dtype)
    (g_ours,) = torch.autograd.grad(ours.sum(), logits)
    assert g_ours.dtype == dtype
    _close(g_ours, g_ref, dtype)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_gamma_zero_with_pos_weight_and_weight_is_bce(device, dtype):
    logits, target = _inputs((32, 4), device, dtype)
    pos_weight = torch.tensor([1.0, 3.0, 0.5, 9.0], device=device, dtype=torch.float64)
    weight = torch.rand(32, 1, device=device, dtype=torch.float64)
    ours = sigmoid_focal_loss(logits, target, gamma=0.0, pos_weight=pos_weight, weight=weight)
    ref, g_ref = _exact(
        F.binary_cross_entropy_with_logits, logits, target, pos_weight=pos_weight, weight=weight
    )
    _close(ours, ref, dtype)
    (g_ours,) = torch.autograd.grad(ours, logits)
    _close(g_ours, g_ref, dtype)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_softmax_gamma_zero_is_cross_entropy(device, dtype, reduction, smoothing):
    logits, _ = _inputs((48, 7), device, dtype)
    target = torch.randint(0, 7, (48,), generator=torch.Generator().manual_seed(1)).to(device)
    target[::5] = -100
    kwargs = {"reduction": reduction, "label_smoothing": smoothing}
    ours = softmax_focal_loss(logits, target, gamma=0.0, **kwargs)
    ref, g_ref = _exact(F.cross_entropy, logits, target, **kwargs)
    assert ours.dtype == dtype and ours.shape == ref.shape
    _close(ours, ref, dtype)
    (g_ours,) = torch.autograd.grad(ours.sum(), logits)
    _close(g_ours, g_ref, dtype)


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_softmax_alpha_is_cross_entropy_weight(smoothing, reduction):
    logits, _ = _inputs((40, 6), "cpu", torch.float64)
    target = torch.randint(0, 6, (40,), generator=torch.Generator().manual_seed(2))
    target[3] = -100
    weight = torch.tensor([0.2, 1.0, 3.0, 0.5, 8.0, 1.5], dtype=torch.float64)
    kwargs = {"reduction": reduction, "label_smoothing": smoothing}
    ours = softmax_focal_loss(logits, target, gamma=0.0, alpha=weight, **kwargs)
    ref = F.cross_entropy(logits, target, weight=weight, **kwargs)
    torch.testing.assert_close(ours, ref)
    (g_ours,) = torch.autograd.grad(ours.sum(), logits)
    (g_ref,) = torch.autograd.grad(ref.sum(), logits)
    torch.testing.assert_close(g_ours, g_ref)


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_softmax_probability_targets_and_spatial_dims_match_cross_entropy(smoothing):
    gen = torch.Generator().manual_seed(3)
    logits = torch.randn(4, 5, 3, 2, generator=gen, dtype=torch.float64, requires_grad=True)
    probs = torch.softmax(torch.randn(4, 5, 3, 2, generator=gen, dtype=torch.float64), dim=1)
    index = torch.randint(0, 5, (4, 3, 2), generator=gen)
    weight = torch.rand(5, generator=gen, dtype=torch.float64) + 0.5
    for target in (probs, index):
        kw = {"label_smoothing": smoothing}
        ours = softmax_focal_loss(logits, target, gamma=0.0, alpha=weight, **kw)
        ref = F.cross_entropy(logits, target, weight=weight, **kw)
        torch.testing.assert_close(ours, ref)
        none = softmax_focal_loss(logits, target, gamma=0.0, reduction="none", **kw)
        assert none.shape == (4, 3, 2)
        torch.testing.assert_close(none, F.cross_entropy(logits, target, reduction="none", **kw))


def test_softmax_unbatched_logits():
    logits = torch.tensor([0.3, -1.2, 2.0], dtype=torch.float64)
    target = torch.tensor(1)
    torch.testing.assert_close(
        softmax_focal_loss(logits, target, gamma=0.0), F.cross_entropy(logits, target)
    )
    assert softmax_focal_loss(logits, target, reduction="none").shape == ()


# --- finite loss and gradient at extreme logits, every gamma, every dtype ------------------------


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("gamma", GAMMAS)
def test_sigmoid_focal_is_finite_at_extreme_logits(device, dtype, gamma):
    values = torch.tensor(EXTREMES, device=device)
    for target_value, alpha in itertools.product([0.0, 1.0], [None, 0.25]):
        logits = values.to(dtype).requires_grad_()
        target = torch.full_like(logits, target_value)
        loss = sigmoid_focal_loss(logits, target, gamma=gamma, alpha=alpha, reduction="sum")
        loss.backward()
        assert torch.isfinite(loss) and torch.isfinite(logits.grad).all()
        ref_logits = values.to(dtype).requires_grad_()
        ones = torch.ones((), device=device)
        ref = sigmoid_focal_reference(ref_logits, target, ones, ones, None, None, gamma).sum()
        ref.backward()
        assert torch.isfinite(ref) and torch.isfinite(ref_logits.grad).all()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("gamma", GAMMAS)
def test_softmax_focal_is_finite_at_extreme_logits(device, dtype, gamma):
    values = torch.tensor(EXTREMES, device=device)
    # Each row puts one extreme value on the target class and its opposite elsewhere.
    rows = torch.stack([values, -values, torch.zeros_like(values)], dim=1)
    for target_class, smoothing in itertools.product([0, 1], [0.0, 0.1]):
        logits = rows.to(dtype).requires_grad_()
        target = torch.full((len(EXTREMES),), target_class, device=device)
        loss = softmax_focal_loss(logits, target, gamma=gamma, label_smoothing=smoothing)
        loss.backward()
        assert torch.isfinite(loss) and torch.isfinite(logits.grad).all()
        ref_logits = rows.to(dtype).requires_grad_()
        valid = torch.ones_like(target, dtype=torch.bool)
        ref = softmax_focal_reference(ref_logits, target, valid, None, None, gamma).sum()
        ref.backward()
        assert torch.isfinite(ref) and torch.isfinite(ref_logits.grad).all()


def test_confident_correct_logits_give_zero_loss_and_gradient():
    # torchvision's formula gives NaN gradients here for gamma < 1: 0 ** (gamma - 1) * 0.
    logits = torch.tensor([100.0, -100.0, 1000.0, -1000.0], requires_grad=True)
    target = torch.tensor([1.0, 0.0, 1.0, 0.0])
    loss = sigmoid_focal_loss(logits, target, gamma=0.5, alpha=0.25)
    loss.backward()
    assert loss.item() == 0.0
    assert torch.equal(logits.grad, torch.zeros(4))


# --- gradcheck in float64 ------------------------------------------------------------------------


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_sigmoid_gradcheck(gamma):
    logits, target = _inputs((6, 3), "cpu", torch.float64, seed=4)
    target = target * 0.8 + 0.1  # soft targets
    weight = torch.rand(6, 1, dtype=torch.float64) + 0.5
    kw = {"gamma": gamma, "alpha": [0.2, 0.5, 0.9], "pos_weight": [2.0, 1.0, 0.5]}
    assert torch.autograd.gradcheck(
        lambda x: sigmoid_focal_loss(x, target, weight=weight, reduction="none", **kw), (logits,)
    )
    assert torch.autograd.gradcheck(lambda x: sigmoid_focal_loss(x, target, **kw), (logits,))
    # Gradient with respect to the target and the weight goes through the reference path.
    target.requires_grad_()
    assert torch.autograd.gradcheck(lambda x, t: sigmoid_focal_loss(x, t, **kw), (logits, target))


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
@pytest.mark.parametrize("smoothing", [0.0, 0.15])
def test_softmax_gradcheck(gamma, smoothing):
    logits, _ = _inputs((5, 4), "cpu", torch.float64, seed=5)
    target = torch.tensor([0, 3, -100, 1, 2])
    alpha = torch.tensor([0.5, 1.0, 2.0, 4.0], dtype=torch.float64)
    kw = {"gamma": gamma, "alpha": alpha, "label_smoothing": smoothing}
    assert torch.autograd.gradcheck(lambda x: softmax_focal_loss(x, target, **kw), (logits,))
    assert torch.autograd.gradcheck(
        lambda x: softmax_focal_loss(x, target, reduction="none", **kw), (logits,)
    )
    probs = torch.softmax(torch.randn(5, 4, dtype=torch.float64), dim=1).requires_grad_()
    assert torch.autograd.gradcheck(lambda x, q: softmax_focal_loss(x, q, **kw), (logits, probs))


# --- published formulas on hand-computed examples -------------------------------------------------


def test_sigmoid_focal_hand_example():
    # p = sigmoid(0) = 1/2, target 1: alpha (1 - p)^gamma (-log p) = 0.25 * 1/4 * log 2.
    loss = sigmoid_focal_loss(torch.zeros(1), torch.ones(1), alpha=0.25, gamma=2.0)
    assert loss.item() == pytest.approx(0.25 * 0.25 * math.log(2))
    # Negative target: (1 - alpha) p^gamma (-log(1 - p)) = 0.75 * 1/4 * log 2.
    loss = sigmoid_focal_loss(torch.zeros(1), torch.zeros(1), alpha=0.25, gamma=2.0)
    assert loss.item() == pytest.approx(0.75 * 0.25 * math.log(2))


def test_softmax_focal_hand_example():
    # Two classes with logits (log 3, 0): p = (3/4, 1/4).
    logits = torch.tensor([[math.log(3.0), 0.0]], dtype=torch.float64)
    loss = softmax_focal_loss(logits, torch.tensor([1]), gamma=2.0, reduction="sum")
    assert loss.item() == pytest.approx((3 / 4) ** 2 * math.log(4))
    loss = softmax_focal_loss(logits, torch.tensor([0]), gamma=1.0, reduction="sum")
    assert loss.item() == pytest.approx((1 / 4) * math.log(4 / 3))


def test_focal_factor_uses_unweighted_probability():
    """The fastai / LDAM-repository mistake: p_t taken from the *weighted* cross-entropy."""
    logits = torch.tensor([[2.0, -1.0], [-1.0, 2.0]], dtype=torch.float64)
    target = torch.tensor([0, 1])  # two easy examples, the second of the rare class
    alpha = torch.tensor([1.0, 20.0], dtype=torch.float64)  # n/count for a 1:20 imbalance
    gamma = 2.0
    ours = softmax_focal_loss(logits, target, alpha=alpha, gamma=gamma, reduction="none")
    plain = softmax_focal_loss(logits, target, gamma=gamma, reduction="none")
    torch.testing.assert_close(ours, alpha[target] * plain)  # alpha only scales the row
    p_rare = torch.softmax(logits[1], 0)[1]
    correct = alpha[1] * (1 - p_rare) ** gamma * -torch.log(p_rare)
    weighted_ce = alpha[1] * -torch.log(p_rare)
    mistaken = (1 - torch.exp(-weighted_ce)) ** gamma * weighted_ce
    torch.testing.assert_close(ours[1], correct)
    # The mistake turns focusing off for the rare class: its easy example weighs 70x more.
    assert mistaken.item() > 50 * correct.item()


# --- masks, ignore_index and reductions -----------------------------------------------------------


def test_mask_excludes_elements_from_sum_mean_and_gradient():
    logits, target = _inputs((10, 4), "cpu", torch.float64, seed=6)
    mask = torch.rand(10, 4, generator=torch.Generator().manual_seed(7)) < 0.6
    target = target.masked_fill(~mask, float("nan"))  # unknown labels may hold anything
    loss = sigmoid_focal_loss(logits, target, gamma=1.5, mask=mask)
    kept = sigmoid_focal_loss(logits[mask], target[mask], gamma=1.5)
    torch.testing.assert_close(loss, kept)
    (grad,) = torch.autograd.grad(loss, logits)
    assert torch.all(grad[~mask] == 0) and torch.all(grad[mask] != 0)
    total = sigmoid_focal_loss(logits, target, gamma=1.5, mask=mask, reduction="sum")
    torch.testing.assert_close(total, kept * mask.sum())


def test_row_mask_broadcasts():
    logits, target = _inputs((6, 3), "cpu", torch.float64, seed=8)
    rows = torch.tensor([True, False, True, True, False, True]).unsqueeze(1)
    loss = sigmoid_focal_loss(logits, target, mask=rows)
    torch.testing.assert_close(loss, sigmoid_focal_loss(logits[rows[:, 0]], target[rows[:, 0]]))


def test_ignore_index_rows_do_not_count():
    logits, _ = _inputs((8, 3), "cpu", torch.float64, seed=9)
    target = torch.tensor([0, 1, -1, 2, -1, 0, 1, 2])
    loss = softmax_focal_loss(logits, target, gamma=2.0, ignore_index=-1)
    keep = target != -1
    torch.testing.assert_close(loss, softmax_focal_loss(logits[keep], target[keep], gamma=2.0))
    none = softmax_focal_loss(logits, target, gamma=2.0, ignore_index=-1, reduction="none")
    assert torch.all(none[~keep] == 0)


# --- properties ----------------------------------------------------------------------------------

finite_logits = arrays(np.float64, (7, 3), elements=st.floats(-30, 30))


@settings(max_examples=40, deadline=None)
@given(x=finite_logits, bits=st.integers(0, 2**21 - 1), gamma=st.floats(0.0, 5.0))
def test_sigmoid_focal_is_between_zero_and_bce_and_decreases_in_gamma(x, bits, gamma):
    logits = torch.from_numpy(x)
    target = torch.tensor([(bits >> i) & 1 for i in range(21)], dtype=torch.float64).view(7, 3)
    focal = sigmoid_focal_loss(logits, target, gamma=gamma, reduction="none")
    sharper = sigmoid_focal_loss(logits, target, gamma=gamma + 0.5, reduction="none")
    bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    assert torch.all(focal >= 0) and torch.all(focal <= bce + 1e-12)
    assert torch.all(sharper <= focal + 1e-12)


@settings(max_examples=40, deadline=None)
@given(x=finite_logits, t=arrays(np.float64, (7, 3), elements=st.floats(0, 1)))
def test_sigmoid_focal_is_linear_in_soft_targets(x, t):
    logits, target = torch.from_numpy(x), torch.from_numpy(t)
    loss = sigmoid_focal_loss(logits, target, gamma=2.0, alpha=0.3, reduction="none")
    pos = sigmoid_focal_loss(
        logits, torch.ones_like(target), gamma=2.0, alpha=0.3, reduction="none"
    )
    neg = sigmoid_focal_loss(
        logits, torch.zeros_like(target), gamma=2.0, alpha=0.3, reduction="none"
    )
    torch.testing.assert_close(loss, target * pos + (1 - target) * neg)


@settings(max_examples=40, deadline=None)
@given(x=finite_logits, y=arrays(np.int64, (7,), elements=st.integers(0, 2)), gamma=st.floats(0, 5))
def test_softmax_focal_is_between_zero_and_cross_entropy(x, y, gamma):
    logits, target = torch.from_numpy(x), torch.from_numpy(y)
    focal = softmax_focal_loss(logits, target, gamma=gamma, reduction="none")
    ce = F.cross_entropy(logits, target, reduction="none")
    assert torch.all(focal >= 0) and torch.all(focal <= ce + 1e-12)


# --- parameters are checked before any maths ------------------------------------------------------


@pytest.mark.parametrize("loss", [sigmoid_focal_loss, softmax_focal_loss])
def test_reduction_is_checked_before_shapes(loss):
    with pytest.raises(InvalidParameterError, match=r"'reduction'.*'average'"):
        loss(torch.zeros(2, 3), torch.zeros(5), reduction="average")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"gamma": -1.0}, "'gamma'.*-1.0"),
        ({"gamma": float("nan")}, "'gamma'"),
        ({"alpha": 1.5}, "'alpha'.*1.5"),
        ({"alpha": [0.5, 2.0, 0.1]}, "'alpha'.*class 1"),
        ({"alpha": [0.5, 0.5]}, r"'alpha'.*shape \(3,\)"),
    ],
)
def test_sigmoid_bad_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        sigmoid_focal_loss(torch.zeros(2, 3), torch.zeros(2, 3), **kwargs)


def test_bad_data_is_explained():
    with pytest.raises(InvalidDataError, match=r"shape of logits"):
        sigmoid_focal_loss(torch.zeros(2, 3), torch.zeros(2))
    with pytest.raises(InvalidDataError, match=r"bool Tensor"):
        sigmoid_focal_loss(torch.zeros(2, 3), torch.zeros(2, 3), mask=torch.ones(2, 3))
    with pytest.raises(InvalidDataError, match=r"floating-point logits"):
        softmax_focal_loss(torch.zeros(2, 3, dtype=torch.long), torch.zeros(2, dtype=torch.long))
    with pytest.raises(InvalidDataError, match=r"integer tensor"):
        softmax_focal_loss(torch.zeros(2, 3), torch.zeros(2))
    with pytest.raises(InvalidDataError, match=r"class index 3"):
        softmax_focal_loss(torch.zeros(2, 3), torch.tensor([0, 3]))
    with pytest.raises(InvalidParameterError, match=r"'label_smoothing'.*1.0"):
        softmax_focal_loss(torch.zeros(2, 3), torch.tensor([0, 1]), label_smoothing=1.0)
