"""Asymmetric loss: reduces to BCE, hand examples, finite gradients, properties."""

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

from imbalance.exceptions import InvalidParameterError
from imbalance.torch.functional import asymmetric_loss

DEVICES = [
    "cpu",
    pytest.param(
        "cuda", marks=pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
    ),
]
DTYPES = [torch.float32, torch.bfloat16, torch.float16]
TOL = {
    torch.float32: {"rtol": 2e-6, "atol": 5e-7},
    torch.bfloat16: {"rtol": 2**-7, "atol": 1e-5},
    torch.float16: {"rtol": 2**-10, "atol": 1e-6},
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_no_focusing_no_clip_is_bce(device, dtype):
    gen = torch.Generator().manual_seed(0)
    logits = (3 * torch.randn(40, 6, generator=gen)).to(device=device, dtype=dtype)
    target = (torch.rand(40, 6, generator=gen) < 0.2).to(device=device, dtype=dtype)
    x = logits.clone().requires_grad_()
    ours = asymmetric_loss(x, target, gamma_pos=0.0, gamma_neg=0.0, clip=0.0)
    (g_ours,) = torch.autograd.grad(ours, x)
    x64 = logits.double().requires_grad_()
    ref = F.binary_cross_entropy_with_logits(x64, target.double())
    (g_ref,) = torch.autograd.grad(ref, x64)
    assert ours.dtype == dtype
    torch.testing.assert_close(ours.double(), ref, **TOL[dtype])
    torch.testing.assert_close(g_ours.double(), g_ref, **TOL[dtype])


def test_hand_example():
    logits = torch.tensor([[0.0, 0.0, -5.0]], dtype=torch.float64)
    target = torch.tensor([[1.0, 0.0, 0.0]], dtype=torch.float64)
    loss = asymmetric_loss(
        logits, target, gamma_pos=1.0, gamma_neg=4.0, clip=0.05, reduction="none"
    )
    # Positive at p = 1/2: (1 - p)^1 * log 2. Negative at p = 1/2: shifted p_m = 0.45,
    # p_m^4 * -log(1 - p_m). Negative at sigmoid(-5) < 0.05: discarded.
    expected = [0.5 * math.log(2), 0.45**4 * -math.log(0.55), 0.0]
    assert loss[0].tolist() == pytest.approx(expected)


def test_easy_negatives_below_the_clip_get_no_gradient():
    logits = torch.tensor([-5.0, -4.0, 3.0], dtype=torch.float64, requires_grad=True)
    target = torch.zeros(3, dtype=torch.float64)
    asymmetric_loss(logits, target, clip=0.05, reduction="sum").backward()
    assert logits.grad[:2].tolist() == [0.0, 0.0] and logits.grad[2].item() > 0


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_finite_at_extreme_logits(device, dtype):
    values = torch.tensor([1e4, -1e4, 100.0, -100.0, 0.0], device=device)
    gammas = [0.0, 0.5, 1.0, 2.0, 5.0]
    for gamma_pos, gamma_neg, clip, t in itertools.product(gammas, gammas, [0.0, 0.05], [0, 1]):
        logits = values.to(dtype).requires_grad_()
        target = torch.full_like(logits, float(t))
        loss = asymmetric_loss(
            logits, target, gamma_pos=gamma_pos, gamma_neg=gamma_neg, clip=clip, reduction="sum"
        )
        loss.backward()
        assert torch.isfinite(loss) and torch.isfinite(logits.grad).all()


@pytest.mark.parametrize("clip", [0.0, 0.1])
def test_gradcheck(clip):
    # Logits away from the kink p = clip, where the loss is not differentiable.
    logits = torch.tensor(
        [[1.3, -0.4, 0.8], [-0.2, 2.1, 0.5]], dtype=torch.float64, requires_grad=True
    )
    target = torch.tensor([[1.0, 0.0, 0.3], [0.0, 1.0, 0.0]], dtype=torch.float64)
    weight = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
    fn = lambda x: asymmetric_loss(  # noqa: E731
        x, target, gamma_pos=0.5, gamma_neg=2.5, clip=clip, weight=weight
    )
    assert torch.autograd.gradcheck(fn, (logits,))


def test_mask_and_weight():
    gen = torch.Generator().manual_seed(1)
    logits = torch.randn(6, 4, generator=gen, dtype=torch.float64)
    target = (torch.rand(6, 4, generator=gen) < 0.5).double()
    mask = torch.rand(6, 4, generator=gen) < 0.7
    weight = torch.rand(4, generator=gen, dtype=torch.float64)
    loss = asymmetric_loss(
        logits, target.masked_fill(~mask, float("nan")), mask=mask, weight=weight
    )
    per = asymmetric_loss(logits, target, weight=weight, reduction="none")
    torch.testing.assert_close(loss, per[mask].mean())


@settings(max_examples=40, deadline=None)
@given(
    x=arrays(np.float64, (5, 4), elements=st.floats(-30, 30)),
    t=arrays(np.float64, (5, 4), elements=st.sampled_from([0.0, 1.0])),
    gamma_pos=st.floats(0, 4),
    gamma_neg=st.floats(0, 6),
    clip=st.floats(0, 0.3),
)
def test_never_above_bce(x, t, gamma_pos, gamma_neg, clip):
    logits, target = torch.from_numpy(x), torch.from_numpy(t)
    loss = asymmetric_loss(
        logits, target, gamma_pos=gamma_pos, gamma_neg=gamma_neg, clip=clip, reduction="none"
    )
    bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    assert torch.all(loss >= 0) and torch.all(loss <= bce + 1e-12)


def test_parameters_are_checked():
    x = torch.zeros(2, 3)
    with pytest.raises(InvalidParameterError, match=r"'reduction'"):
        asymmetric_loss(x, torch.zeros(9), reduction="mean ")
    with pytest.raises(InvalidParameterError, match=r"'clip'.*1.0"):
        asymmetric_loss(x, x, clip=1.0)
    with pytest.raises(InvalidParameterError, match=r"'gamma_neg'.*-2"):
        asymmetric_loss(x, x, gamma_neg=-2)
