"""Properties of every loss over generated inputs (hypothesis), and the shared target checks.

From finite, valid input every loss is finite and >= 0, in float32 and in float16 wherever the
true loss fits in float16; invalid targets and weights raise the documented exceptions.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.torch import FocalLoss, LDAMLoss, LogitAdjustedLoss, SoftmaxFocalLoss
from imbalance.torch.functional import (
    asymmetric_loss,
    balanced_softmax_loss,
    class_balanced_loss,
    ldam_loss,
    logit_adjusted_loss,
    sigmoid_focal_loss,
    softmax_focal_loss,
)

FLOAT16_MAX = float(torch.finfo(torch.float16).max)
SETTINGS = settings(max_examples=40, deadline=None)

COUNTS = [50.0, 7.0, 2.0]
SOFTMAX_LOSSES = {
    "softmax_focal": lambda z, y, **kw: softmax_focal_loss(z, y, gamma=2.0, **kw),
    "class_balanced": lambda z, y, **kw: class_balanced_loss(z, y, class_counts=COUNTS, **kw),
    "class_balanced_focal": lambda z, y, **kw: class_balanced_loss(
        z, y, class_counts=COUNTS, loss_type="focal", **kw
    ),
    "ldam": lambda z, y, **kw: ldam_loss(z, y, class_counts=COUNTS, scale=1.0, **kw),
    "logit_adjusted": lambda z, y, **kw: logit_adjusted_loss(z, y, class_counts=COUNTS, **kw),
    "balanced_softmax": lambda z, y, **kw: balanced_softmax_loss(z, y, class_counts=COUNTS, **kw),
}
SIGMOID_LOSSES = {
    "sigmoid_focal": lambda z, t, **kw: sigmoid_focal_loss(z, t, gamma=2.0, **kw),
    "sigmoid_focal_alpha": lambda z, t, **kw: sigmoid_focal_loss(
        z, t, alpha=0.25, pos_weight=[2.0, 1.0, 0.5], **kw
    ),
    "asymmetric": lambda z, t, **kw: asymmetric_loss(z, t, **kw),
}


def _logits(scale: float) -> st.SearchStrategy[torch.Tensor]:
    values = st.floats(-scale, scale, allow_nan=False, allow_infinity=False, width=32)
    return st.lists(values, min_size=3 * 4, max_size=3 * 4).map(
        lambda v: torch.tensor(v, dtype=torch.float32).reshape(4, 3)
    )


indices = st.lists(st.integers(0, 2), min_size=4, max_size=4).map(torch.tensor)
soft = st.lists(st.floats(0.0, 1.0, width=32), min_size=12, max_size=12).map(
    lambda v: torch.tensor(v).reshape(4, 3)
)


def _per_row_bound(name: str, z: torch.Tensor) -> float:
    """An upper bound of every per-row loss: (logit range + log-prior shift) * classes."""
    spread = float(z.max() - z.min()) + 2 * abs(math.log(min(COUNTS) / sum(COUNTS)))
    return (spread + math.log(3.0)) * 3.0 * max(1.0, 3.0 if "class_balanced" in name else 1.0)


@pytest.mark.parametrize("name", sorted(SOFTMAX_LOSSES))
@SETTINGS
@given(z=_logits(1e4), y=indices)
def test_softmax_losses_finite_and_non_negative(name, z, y):
    loss_fn = SOFTMAX_LOSSES[name]
    z32 = z.clone().requires_grad_(True)
    loss = loss_fn(z32, y, reduction="none")
    assert torch.isfinite(loss).all() and (loss >= 0).all()
    (grad,) = torch.autograd.grad(loss.sum(), z32)
    assert torch.isfinite(grad).all()
    z16 = z.half().requires_grad_(True)
    loss16 = loss_fn(z16, y, reduction="none")
    assert loss16.dtype == torch.float16 and (loss16 >= 0).all()
    if _per_row_bound(name, z) < FLOAT16_MAX:  # the true loss fits in float16
        assert torch.isfinite(loss16).all()
    assert torch.isfinite(loss_fn(z16, y, reduction="mean"))
    (grad16,) = torch.autograd.grad(loss16.float().clamp(max=1e4).sum(), z16)
    assert torch.isfinite(grad16).all()


@pytest.mark.parametrize("name", sorted(SIGMOID_LOSSES))
@SETTINGS
@given(z=_logits(6e4), t=soft)
def test_sigmoid_losses_finite_and_non_negative(name, z, t):
    loss_fn = SIGMOID_LOSSES[name]
    for dtype in (torch.float32, torch.float16, torch.bfloat16):
        x = z.to(dtype).requires_grad_(True)
        loss = loss_fn(x, t, reduction="none")
        assert loss.dtype == dtype
        # |logit| <= 6e4 < 65504: the loss (at most about |logit|) fits in every dtype here.
        assert torch.isfinite(loss).all() and (loss >= 0).all(), (dtype, loss)
        (grad,) = torch.autograd.grad(loss.sum(), x)
        assert torch.isfinite(grad).all()


@pytest.mark.parametrize("name", sorted(SOFTMAX_LOSSES))
@SETTINGS
@given(z=_logits(50.0), bad=st.one_of(st.integers(3, 10**6), st.integers(-(10**6), -101)))
def test_softmax_losses_refuse_out_of_range_indices(name, z, bad):
    y = torch.tensor([0, 1, bad, 2])
    with pytest.raises(InvalidDataError, match=rf"class indices in \[0, 3\).*class index {bad}"):
        SOFTMAX_LOSSES[name](z, y)


@pytest.mark.parametrize("name", sorted(SIGMOID_LOSSES))
@SETTINGS
@given(
    z=_logits(50.0),
    bad=st.one_of(
        st.floats(1.001, 1e6),
        st.floats(-1e6, -1e-3),
        st.just(float("nan")),
    ),
)
def test_sigmoid_losses_refuse_targets_outside_0_1(name, z, bad):
    t = torch.zeros(4, 3)
    t[1, 2] = bad
    with pytest.raises(InvalidDataError, match=r"target values in \[0, 1\]"):
        SIGMOID_LOSSES[name](z, t)


def test_focal_loss_target_outside_0_1_is_refused_not_negative():
    # The case of the issue: FocalLoss returned -2.77 for a target of 2.
    criterion = FocalLoss()
    with pytest.raises(InvalidDataError, match=r"target values in \[0, 1\].*holds 2\.0"):
        criterion(torch.tensor([[3.0, -1.0]]), torch.tensor([[2.0, 0.0]]))
    with pytest.raises(InvalidDataError, match=r"holds -1\.0.*mask="):
        criterion(torch.tensor([[3.0, -1.0]]), torch.tensor([[1.0, -1.0]]))
    # masked elements may still hold anything
    mask = torch.tensor([[True, False]])
    loss = criterion(torch.tensor([[3.0, -1.0]]), torch.tensor([[1.0, float("nan")]]), mask=mask)
    assert torch.isfinite(loss) and loss >= 0


def test_probability_targets_of_softmax_losses_are_checked():
    z = torch.zeros(2, 3)
    q = torch.tensor([[1.5, -0.5, 0.0], [0.0, 1.0, 0.0]])
    for fn in (SOFTMAX_LOSSES["softmax_focal"], SOFTMAX_LOSSES["logit_adjusted"]):
        with pytest.raises(InvalidDataError, match=r"\[0, 1\]"):
            fn(z, q)


@pytest.mark.parametrize(
    "make",
    [
        lambda: LDAMLoss([10, 2]),
        lambda: LogitAdjustedLoss([10, 2]),
        lambda: SoftmaxFocalLoss(),
    ],
)
def test_modules_give_the_same_clear_error_for_out_of_range_indices(make):
    with pytest.raises(InvalidDataError, match=r"class index 5.*ignore_index"):
        make()(torch.zeros(2, 2), torch.tensor([0, 5]))
    with pytest.raises(InvalidDataError, match=r"class index -3"):
        make()(torch.zeros(2, 2), torch.tensor([0, -3]))


def test_ignore_index_is_not_out_of_range():
    z, y = torch.zeros(3, 2), torch.tensor([0, -100, 1])
    for fn in (ldam_loss, logit_adjusted_loss, balanced_softmax_loss, class_balanced_loss):
        assert torch.isfinite(fn(z, y, class_counts=[5, 1]))


def test_float16_large_logits_finite_where_representable():
    # True per-row losses: about 32 (fits in float16; 65000 is 64992 in float16) and 130000
    # (does not fit: inf, as documented).
    z = torch.tensor([[65000.0, 64960.0], [-65000.0, 65000.0]], dtype=torch.float16)
    y = torch.tensor([1, 0])
    for fn, kw in (
        (ldam_loss, {"scale": 1.0}),
        (logit_adjusted_loss, {}),
        (balanced_softmax_loss, {}),
    ):
        per_row = fn(z, y, class_counts=[10, 1], reduction="none", **kw)
        assert per_row.dtype == torch.float16
        assert torch.isfinite(per_row[0]) and 30 < float(per_row[0]) < 45
        assert torch.isinf(per_row[1])
        assert torch.isfinite(fn(z[:1], y[:1], class_counts=[10, 1], **kw))
    per_row = softmax_focal_loss(z, y, gamma=0.0, reduction="none")
    assert float(per_row[0]) == pytest.approx(32.0, abs=0.05)
    # reduced in float32: the mean (32 + 129984) / 2 = 65008 fits, the sum does not
    mean = softmax_focal_loss(z, y, gamma=0.0)
    assert torch.isfinite(mean) and float(mean) == pytest.approx(65008, rel=1e-3)
    assert torch.isinf(softmax_focal_loss(z, y, gamma=0.0, reduction="sum"))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: sigmoid_focal_loss(torch.zeros(2, 3), torch.zeros(2, 3), weight=-torch.ones(3)),
            InvalidDataError,
            r"weight finite and >= 0.*-1\.0",
        ),
        (
            lambda: sigmoid_focal_loss(
                torch.zeros(2, 3), torch.zeros(2, 3), pos_weight=[1.0, float("nan"), 1.0]
            ),
            InvalidDataError,
            r"pos_weight.*nan",
        ),
        (
            lambda: logit_adjusted_loss(
                torch.zeros(2, 2), torch.tensor([0, 1]), class_counts=[3, 1], weight=[1.0, -2.0]
            ),
            InvalidParameterError,
            r"'weight'.*class 1 has -2\.0",
        ),
        (
            lambda: ldam_loss(
                torch.zeros(2, 2), torch.tensor([0, 1]), class_counts=[3, 1], weight=[0.0, 0.0]
            ),
            InvalidParameterError,
            r"'weight'.*0 for every class",
        ),
        (
            lambda: softmax_focal_loss(torch.zeros(2, 2), torch.tensor([0, 1]), alpha=[0.0, 0.0]),
            InvalidParameterError,
            r"'alpha'.*0 for every class",
        ),
        (
            lambda: SoftmaxFocalLoss(alpha=[0.0, 0.0]),
            InvalidParameterError,
            r"zero for every class",
        ),
        (lambda: LDAMLoss([3, 1], weight=[1.0, np.inf]), InvalidParameterError, r"'weight'.*inf"),
        (
            lambda: FocalLoss(pos_weight=[-1.0]),
            InvalidParameterError,
            r"'pos_weight'.*finite and >= 0",
        ),
    ],
)
def test_loss_weights_are_checked(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_complex_target_is_refused():
    with pytest.raises(InvalidDataError, match="real target"):
        sigmoid_focal_loss(torch.zeros(2), torch.zeros(2, dtype=torch.complex64))
