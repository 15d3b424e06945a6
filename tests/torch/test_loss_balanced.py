"""Class-count losses: published formulas on hand examples, references against torch."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.torch import drw_weights
from imbalance.torch.functional import (
    adjust_logits,
    balanced_softmax_loss,
    class_balanced_loss,
    ldam_loss,
    ldam_margins,
    logit_adjusted_loss,
    sigmoid_focal_loss,
)
from imbalance.weights import weights_from_counts

DEVICES = [
    "cpu",
    pytest.param(
        "cuda", marks=pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
    ),
]
DTYPES = [torch.float32, torch.bfloat16, torch.float16]


def _logits(shape, seed=0, dtype=torch.float64):
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=gen, dtype=torch.float64).to(dtype).requires_grad_()


# --- hand-computed published formulas -------------------------------------------------------------


def test_ldam_margins_hand_example():
    # (16 / 10000) ** 0.25 = 0.2 and (16 / 625) ** 0.25 = 0.4, times max_margin = 0.5.
    assert ldam_margins([10000, 625, 16], max_margin=0.5).tolist() == pytest.approx([0.1, 0.2, 0.5])
    assert ldam_margins([81, 1], max_margin=1.0).tolist() == pytest.approx([1 / 3, 1.0])


def test_ldam_loss_hand_example():
    # counts (81, 1): margins (1/3, 1) at max_margin=1. Row 0 (class 0): logits (1 - 1/3, 0);
    # row 1 (class 1): logits (0, 2 - 1). Scale s = 2 multiplies both.
    logits = torch.tensor([[1.0, 0.0], [0.0, 2.0]], dtype=torch.float64)
    loss = ldam_loss(
        logits,
        torch.tensor([0, 1]),
        class_counts=[81, 1],
        max_margin=1.0,
        scale=2.0,
        reduction="none",
    )
    expected = [math.log(1 + math.exp(-2 * (2 / 3))), math.log(1 + math.exp(-2 * 1.0))]
    assert loss.tolist() == pytest.approx(expected)


def test_class_balanced_weights_hand_example():
    # beta = 1/2, counts (1, 2): effective numbers (1 - b^n) / (1 - b) = (1, 3/2); weights
    # 1 / E = (1, 2/3), scaled to sum to 2: (6/5, 4/5).
    logits = torch.tensor([[0.0, 0.0], [0.0, 0.0]], dtype=torch.float64)
    target = torch.tensor([0, 1])
    loss = class_balanced_loss(logits, target, class_counts=[1, 2], beta=0.5, reduction="none")
    assert loss.tolist() == pytest.approx([1.2 * math.log(2), 0.8 * math.log(2)])


def test_logit_adjustment_offsets_hand_example():
    # counts (1, 3): priors (1/4, 3/4); tau = 2 doubles the log-priors.
    logits = torch.zeros(1, 2, dtype=torch.float64)
    adjusted = adjust_logits(logits, class_counts=[1, 3], tau=2.0)
    assert adjusted.tolist()[0] == pytest.approx([-2 * math.log(1 / 4), -2 * math.log(3 / 4)])
    loss = logit_adjusted_loss(logits, torch.tensor([0]), class_counts=[1, 3], tau=1.0)
    assert loss.item() == pytest.approx(-math.log(1 / 4))  # softmax of log-priors is the prior


def test_drw_schedule():
    counts = [500, 50, 5]
    for epoch in range(3):
        assert drw_weights(counts, epoch, start_epoch=3).tolist() == [1.0, 1.0, 1.0]
    late = drw_weights(counts, 3, start_epoch=3, beta=0.999)
    expected = weights_from_counts(counts, scheme="effective_number", beta=0.999)
    np.testing.assert_allclose(late.numpy(), expected, rtol=1e-6)
    assert late.dtype == torch.float32 and late.sum().item() == pytest.approx(3.0)


# --- references against torch ---------------------------------------------------------------------


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_class_balanced_softmax_is_weighted_cross_entropy(reduction):
    logits = _logits((30, 4))
    target = torch.randint(0, 4, (30,), generator=torch.Generator().manual_seed(1))
    target[::7] = -100
    counts = [400, 120, 30, 6]
    w = torch.as_tensor(weights_from_counts(counts, scheme="effective_number", beta=0.99))
    loss = class_balanced_loss(logits, target, class_counts=counts, beta=0.99, reduction=reduction)
    per_row = F.cross_entropy(logits, target, weight=w, reduction="none")
    kept = (target != -100).sum()
    expected = {"none": per_row, "sum": per_row.sum(), "mean": per_row.sum() / kept}[reduction]
    torch.testing.assert_close(loss, expected)


@pytest.mark.parametrize("loss_type", ["sigmoid", "focal"])
def test_class_balanced_sigmoid_and_focal_weigh_rows_by_their_class(loss_type):
    logits = _logits((12, 3), seed=2)
    target = torch.tensor([0, 1, 2, 0, 0, 1, 2, 0, 1, 0, 0, -100])
    counts = [60, 25, 5]
    w = torch.as_tensor(weights_from_counts(counts, scheme="effective_number", beta=0.9))
    loss = class_balanced_loss(
        logits, target, class_counts=counts, beta=0.9, loss_type=loss_type, gamma=1.5
    )
    keep = target != -100
    onehot = F.one_hot(target[keep], 3).double()
    gamma = 1.5 if loss_type == "focal" else 0.0
    expected = sigmoid_focal_loss(
        logits[keep], onehot, gamma=gamma, weight=w[target[keep]].unsqueeze(1)
    )
    torch.testing.assert_close(loss, expected)
    if loss_type == "sigmoid":
        bce = F.binary_cross_entropy_with_logits(
            logits[keep], onehot, weight=w[target[keep]].unsqueeze(1)
        )
        torch.testing.assert_close(loss, bce)


def test_class_balanced_multilabel_indicator_weighs_columns():
    logits = _logits((8, 3), seed=3)
    indicator = (torch.rand(8, 3, generator=torch.Generator().manual_seed(4)) < 0.4).double()
    counts = [30, 10, 2]
    w = torch.as_tensor(weights_from_counts(counts, scheme="effective_number", beta=0.99))
    loss = class_balanced_loss(
        logits, indicator, class_counts=counts, beta=0.99, loss_type="sigmoid"
    )
    bce = F.binary_cross_entropy_with_logits(logits, indicator, weight=w)
    torch.testing.assert_close(loss, bce)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_ldam_is_cross_entropy_of_shifted_scaled_logits(reduction):
    logits = _logits((20, 5), seed=5)
    target = torch.randint(0, 5, (20,), generator=torch.Generator().manual_seed(6))
    target[2] = -100
    counts = [1000, 300, 100, 30, 10]
    weight = drw_weights(counts, 1, start_epoch=0).double()
    loss = ldam_loss(
        logits,
        target,
        class_counts=counts,
        max_margin=0.4,
        scale=5.0,
        weight=weight,
        reduction=reduction,
    )
    margins = ldam_margins(counts, max_margin=0.4)
    shifted = logits.detach().clone()
    for i, y in enumerate(target.tolist()):
        if y != -100:
            shifted[i, y] -= margins[y]
    expected = F.cross_entropy(5.0 * shifted, target, weight=weight, reduction=reduction)
    torch.testing.assert_close(loss.detach(), expected)


def test_ldam_gradcheck_and_spatial_dims():
    logits = _logits((3, 4, 2), seed=7)
    target = torch.tensor([[0, 3], [1, 2], [3, -100]])
    kw = {"class_counts": [50, 20, 8, 2], "scale": 3.0}
    assert torch.autograd.gradcheck(lambda x: ldam_loss(x, target, **kw), (logits,))
    assert ldam_loss(logits, target, reduction="none", **kw).shape == (3, 2)


@settings(max_examples=30, deadline=None)
@given(
    x=arrays(np.float64, (6, 4), elements=st.floats(-20, 20)),
    y=arrays(np.int64, (6,), elements=st.integers(0, 3)),
    counts=st.lists(st.integers(1, 10_000), min_size=4, max_size=4),
)
# found by CI: a float32 log-prior cost float64 logits 3e-7 (the prior now follows their dtype)
@example(
    x=np.pad(np.array([[6.0]]), ((0, 5), (0, 3))),
    y=np.zeros(6, dtype=np.int64),
    counts=[2, 1, 1, 7031],
)
def test_balanced_softmax_equals_logit_adjusted_at_tau_one(x, y, counts):
    logits, target = torch.from_numpy(x), torch.from_numpy(y)
    bs = balanced_softmax_loss(logits, target, class_counts=counts, reduction="none")
    la = logit_adjusted_loss(logits, target, class_counts=counts, tau=1.0, reduction="none")
    torch.testing.assert_close(bs, la)
    shifted = logits + torch.log(torch.tensor(counts, dtype=torch.float64))
    torch.testing.assert_close(bs, F.cross_entropy(shifted, target, reduction="none"))


@settings(max_examples=30, deadline=None)
@given(
    x=arrays(np.float64, (5, 3), elements=st.floats(-20, 20)),
    counts=st.lists(st.integers(1, 1000), min_size=3, max_size=3),
    tau=st.floats(0.0, 3.0),
)
def test_post_hoc_adjustment_undoes_training_adjustment(x, counts, tau):
    """A model trained with the adjusted loss and the post-hoc rule agree on the class scores."""
    logits = torch.from_numpy(x)
    target = torch.tensor([0, 1, 2, 0, 1])
    adjusted = adjust_logits(logits, class_counts=counts, tau=tau)
    la = logit_adjusted_loss(adjusted, target, class_counts=counts, tau=tau, reduction="none")
    torch.testing.assert_close(la, F.cross_entropy(logits, target, reduction="none"))


def test_logit_adjusted_with_probability_targets_weight_and_unbatched():
    logits = _logits((4, 3), seed=8)
    probs = torch.softmax(torch.randn(4, 3, dtype=torch.float64), dim=1)
    counts = [10, 5, 1]
    log_prior = torch.log(torch.tensor(counts, dtype=torch.float64) / 16)
    loss = logit_adjusted_loss(logits, probs, class_counts=counts, tau=0.5, weight=[1, 2, 3])
    expected = F.cross_entropy(
        logits + 0.5 * log_prior, probs, weight=torch.tensor([1.0, 2, 3], dtype=torch.float64)
    )
    torch.testing.assert_close(loss, expected)
    one = logit_adjusted_loss(logits[0], torch.tensor(2), class_counts=counts)
    torch.testing.assert_close(one, F.cross_entropy(logits[0] + log_prior, torch.tensor(2)))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_count_losses_keep_dtype_and_stay_finite(device, dtype):
    logits = torch.tensor([[1e4, -1e4, 0.0], [-100.0, 100.0, 0.0]], device=device, dtype=dtype)
    target = torch.tensor([1, 0], device=device)
    counts = [100, 10, 1]
    losses = [
        lambda x: class_balanced_loss(x, target, class_counts=counts),
        lambda x: class_balanced_loss(x, target, class_counts=counts, loss_type="focal"),
        # scale=1: at scale 30 a logit of 1e4 gives a loss of 3e5, beyond float16's 65504.
        lambda x: ldam_loss(x, target, class_counts=counts, scale=1.0),
        lambda x: logit_adjusted_loss(x, target, class_counts=counts),
        lambda x: balanced_softmax_loss(x, target, class_counts=counts),
    ]
    for fn in losses:
        x = logits.clone().requires_grad_()
        loss = fn(x)
        loss.backward()
        assert loss.dtype == dtype
        assert torch.isfinite(loss) and torch.isfinite(x.grad).all()
    assert adjust_logits(logits, class_counts=counts).dtype == dtype


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_count_losses_in_low_precision_match_float64(dtype):
    logits = _logits((16, 4), seed=9, dtype=dtype)
    target = torch.randint(0, 4, (16,), generator=torch.Generator().manual_seed(10))
    counts = [90, 40, 10, 2]
    for fn in (class_balanced_loss, ldam_loss, logit_adjusted_loss, balanced_softmax_loss):
        low = fn(logits, target, class_counts=counts)
        exact = fn(logits.detach().double(), target, class_counts=counts)
        torch.testing.assert_close(low.double(), exact, rtol=2**-7, atol=1e-3)


# --- checks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn", [class_balanced_loss, ldam_loss, logit_adjusted_loss, balanced_softmax_loss]
)
def test_reduction_checked_first_and_counts_checked(fn):
    with pytest.raises(InvalidParameterError, match=r"'reduction'.*'avg'"):
        fn(torch.zeros(2, 3), torch.zeros(7), class_counts=[0], reduction="avg")
    with pytest.raises(InvalidParameterError, match=r"'class_counts'.*class 1 has 0.0"):
        fn(torch.zeros(2, 3), torch.tensor([0, 1]), class_counts=[3, 0, 1])
    with pytest.raises(InvalidParameterError, match=r"2 classes but the logits have 3"):
        fn(torch.zeros(2, 3), torch.tensor([0, 1]), class_counts=[3, 1])


def test_parameter_messages():
    x, y = torch.zeros(2, 3), torch.tensor([0, 1])
    with pytest.raises(InvalidParameterError, match=r"'beta'.*1.0"):
        class_balanced_loss(x, y, class_counts=[1, 2, 3], beta=1.0)
    with pytest.raises(InvalidParameterError, match=r"'loss_type'.*'bce'"):
        class_balanced_loss(x, y, class_counts=[1, 2, 3], loss_type="bce")
    with pytest.raises(InvalidParameterError, match=r"'max_margin'.*\(0, inf\).*0"):
        ldam_loss(x, y, class_counts=[1, 2, 3], max_margin=0)
    with pytest.raises(InvalidParameterError, match=r"'tau'.*-1"):
        logit_adjusted_loss(x, y, class_counts=[1, 2, 3], tau=-1)
    with pytest.raises(InvalidDataError, match=r"class indices as target"):
        ldam_loss(x, torch.zeros(2, 3), class_counts=[1, 2, 3])
    with pytest.raises(InvalidDataError, match=r"shape \(N, C, \*\)"):
        ldam_loss(torch.zeros(3), torch.tensor(0), class_counts=[1, 2, 3])
    with pytest.raises(InvalidParameterError, match=r"'start_epoch'.*-1"):
        drw_weights([1, 2], 0, start_epoch=-1)
    with pytest.raises(InvalidParameterError, match=r"'epoch'.*1.5"):
        drw_weights([1, 2], 1.5, start_epoch=0)
