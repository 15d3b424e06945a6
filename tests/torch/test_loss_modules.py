"""Loss modules: thin wrappers (same numbers as the functions), buffers, from_targets, checks."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import imbalance.torch as it
from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.torch import (
    AsymmetricLoss,
    BalancedSoftmaxLoss,
    ClassBalancedLoss,
    FocalLoss,
    LDAMLoss,
    LogitAdjustedLoss,
    PostHocLogitAdjustment,
    SoftmaxFocalLoss,
    drw_weights,
)
from imbalance.torch import functional as LF

COUNTS = [120, 40, 10, 3]
GEN = torch.Generator().manual_seed(0)
LOGITS = torch.randn(16, 4, generator=GEN, dtype=torch.float64)
LABELS = torch.randint(0, 4, (16,), generator=GEN)
INDICATOR = (torch.rand(16, 4, generator=GEN) < 0.3).double()

# (module, the same loss as a function call)
PAIRS = [
    (
        FocalLoss(alpha=0.3, gamma=1.5, pos_weight=[1, 2, 3, 4]),
        lambda x: LF.sigmoid_focal_loss(
            x, INDICATOR, alpha=0.3, gamma=1.5, pos_weight=torch.tensor([1.0, 2, 3, 4])
        ),
    ),
    (
        FocalLoss(alpha=[0.1, 0.2, 0.3, 0.4], reduction="sum"),
        lambda x: LF.sigmoid_focal_loss(x, INDICATOR, alpha=[0.1, 0.2, 0.3, 0.4], reduction="sum"),
    ),
    (
        SoftmaxFocalLoss(alpha=[1, 2, 3, 4], gamma=0.5, label_smoothing=0.1, reduction="none"),
        lambda x: LF.softmax_focal_loss(
            x, LABELS, alpha=[1, 2, 3, 4], gamma=0.5, label_smoothing=0.1, reduction="none"
        ),
    ),
    (
        ClassBalancedLoss(COUNTS, beta=0.99, loss_type="focal", gamma=1.0),
        lambda x: LF.class_balanced_loss(
            x, LABELS, class_counts=COUNTS, beta=0.99, loss_type="focal", gamma=1.0
        ),
    ),
    (
        LDAMLoss(COUNTS, max_margin=0.3, scale=10.0, weight=[1, 1, 2, 2]),
        lambda x: LF.ldam_loss(
            x, LABELS, class_counts=COUNTS, max_margin=0.3, scale=10.0, weight=[1, 1, 2, 2]
        ),
    ),
    (
        LogitAdjustedLoss(COUNTS, tau=1.5),
        lambda x: LF.logit_adjusted_loss(x, LABELS, class_counts=COUNTS, tau=1.5),
    ),
    (
        BalancedSoftmaxLoss(COUNTS, reduction="sum"),
        lambda x: LF.balanced_softmax_loss(x, LABELS, class_counts=COUNTS, reduction="sum"),
    ),
    (
        AsymmetricLoss(gamma_pos=1.0, gamma_neg=3.0, clip=0.1),
        lambda x: LF.asymmetric_loss(x, INDICATOR, gamma_pos=1.0, gamma_neg=3.0, clip=0.1),
    ),
]
MULTILABEL = (FocalLoss, AsymmetricLoss)


@pytest.mark.parametrize(("module", "function"), PAIRS, ids=lambda v: type(v).__name__)
def test_module_equals_function(module, function):
    target = INDICATOR if isinstance(module, MULTILABEL) else LABELS
    torch.testing.assert_close(module(LOGITS, target), function(LOGITS), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(("module", "function"), PAIRS, ids=lambda v: type(v).__name__)
def test_buffers_follow_dtype_and_state_dict_round_trips(module, function):
    target = INDICATOR if isinstance(module, MULTILABEL) else LABELS
    clone = type(module)(**_params(module))
    clone.load_state_dict(module.state_dict())
    torch.testing.assert_close(clone(LOGITS, target), module(LOGITS, target))
    as_double = type(module)(**_params(module)).double()
    for buffer in as_double.buffers():
        assert buffer.dtype == torch.float64
    half = LOGITS.to(torch.bfloat16)
    assert (
        module(half, target.to(torch.bfloat16) if target.is_floating_point() else target).dtype
        == torch.bfloat16
    )


def _params(module):
    """The constructor arguments, read back from the attributes (as skorch and clone do)."""
    params = {}
    for name in inspect.signature(type(module)).parameters:
        value = getattr(module, name)
        params[name] = value.tolist() if isinstance(value, torch.Tensor) else value
    return params


def test_plain_keyword_arguments_for_grid_search():
    grid = [{"gamma": g, "alpha": a} for g in (0.5, 2.0) for a in (None, 0.25)]
    for params in grid:
        loss = FocalLoss(**params)
        assert (loss.gamma, loss.alpha) == (params["gamma"], params["alpha"])
    ldam = LDAMLoss(class_counts=[900, 100], max_margin=0.5)  # criterion__class_counts=...
    assert ldam.class_counts == [900, 100] and ldam.max_margin == 0.5


def test_every_public_name_is_exported_and_documented():
    expected = {
        "AsymmetricLoss",
        "BalancedSoftmaxLoss",
        "ClassBalancedLoss",
        "FocalLoss",
        "LDAMLoss",
        "LogitAdjustedLoss",
        "PostHocLogitAdjustment",
        "SoftmaxFocalLoss",
        "drw_weights",
    }
    assert expected <= set(it.__all__)
    for name in expected | set(LF.__all__):
        obj = getattr(it, name, None) or getattr(LF, name)
        doc = inspect.getdoc(obj)
        assert doc and "Examples" in doc and ">>>" in doc, name


@pytest.mark.parametrize(
    "y",
    [
        torch.tensor([0, 0, 0, 1, 2, 2]),
        np.array([0, 0, 0, 1, 2, 2]),
        [0, 0, 0, 1, 2, 2],
        np.eye(3, dtype=int)[[0, 0, 0, 1, 2, 2]],
        torch.eye(3)[[0, 0, 0, 1, 2, 2]],
    ],
    ids=["tensor", "numpy", "list", "one-hot numpy", "one-hot tensor"],
)
@pytest.mark.parametrize(
    "cls",
    [ClassBalancedLoss, LDAMLoss, LogitAdjustedLoss, BalancedSoftmaxLoss, PostHocLogitAdjustment],
)
def test_from_targets_counts_classes(y, cls):
    loss = cls.from_targets(y)
    assert loss.class_counts == [3, 1, 2]
    assert type(loss) is cls


def test_from_targets_multilabel_counts_positives_and_passes_kwargs():
    y = np.array([[1, 0, 1], [1, 1, 0], [0, 0, 1], [1, 0, 1]])
    loss = ClassBalancedLoss.from_targets(y, loss_type="sigmoid", beta=0.9)
    assert loss.class_counts == [3, 1, 3] and loss.loss_type == "sigmoid" and loss.beta == 0.9
    logits = torch.zeros(4, 3)
    assert torch.isfinite(loss(logits, torch.as_tensor(y, dtype=torch.float32)))


def test_from_targets_errors_name_the_problem():
    with pytest.raises(InvalidParameterError, match=r"class 1 has 0.0"):
        LDAMLoss.from_targets([0, 0, 2])
    with pytest.raises(InvalidParameterError, match=r"class 3 has 0.0"):
        LDAMLoss.from_targets([0, 1, 2], n_classes=4)
    with pytest.raises(InvalidDataError, match=r"LabelEncoder"):
        LDAMLoss.from_targets(["cat", "dog"])
    with pytest.raises(InvalidDataError, match=r"ignored rows"):
        LDAMLoss.from_targets([0, 1, -100])
    with pytest.raises(InvalidDataError, match=r"n_classes=2"):
        LDAMLoss.from_targets([0, 1, 2], n_classes=2)


def test_drw_with_ldam_module():
    counts = [500, 50, 5]
    criterion = LDAMLoss(counts, scale=1.0)
    logits = torch.randn(9, 3, generator=GEN)
    target = torch.tensor([0, 1, 2] * 3)
    before = criterion(logits, target)
    for epoch in range(4):
        criterion.weight = drw_weights(counts, epoch, start_epoch=2)
    assert "weight" in dict(criterion.named_buffers())
    after = criterion(logits, target)
    expected = LF.ldam_loss(
        logits, target, class_counts=counts, scale=1.0, weight=drw_weights(counts, 3, start_epoch=2)
    )
    torch.testing.assert_close(after, expected)
    assert not torch.allclose(before, after)


def test_post_hoc_adjustment_layer():
    counts = [900, 100]
    layer = PostHocLogitAdjustment(counts, tau=1.0)
    model = torch.nn.Sequential(torch.nn.Identity(), layer)
    scores = torch.tensor([[1.0, 0.0], [3.0, 0.0]])
    assert model(scores).argmax(dim=1).tolist() == [1, 0]  # log(9) = 2.2 moves the first only
    torch.testing.assert_close(model(scores), LF.adjust_logits(scores, class_counts=counts))
    assert list(layer.parameters()) == []


def test_ldam_margins_buffer_and_balanced_softmax_reference():
    ldam = LDAMLoss([10000, 625, 16])
    assert ldam.margins.tolist() == pytest.approx([0.1, 0.2, 0.5])
    bs = BalancedSoftmaxLoss(COUNTS)
    shifted = LOGITS + torch.log(torch.tensor(COUNTS, dtype=torch.float64))
    torch.testing.assert_close(bs(LOGITS, LABELS), F.cross_entropy(shifted, LABELS))


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: FocalLoss(gamma=-0.5), "'gamma' parameter of FocalLoss.*-0.5"),
        (lambda: FocalLoss(alpha=2.0), "'alpha' parameter of FocalLoss.*2.0"),
        (lambda: FocalLoss(alpha=[0.5, 1.5]), "'alpha' parameter of FocalLoss.*in \\[0, 1\\]"),
        (lambda: FocalLoss(reduction="batchmean"), "'reduction' parameter of FocalLoss"),
        (lambda: FocalLoss(pos_weight=[1.0, -1.0]), "'pos_weight'.*>= 0"),
        (lambda: SoftmaxFocalLoss(label_smoothing=-0.1), "'label_smoothing'.*SoftmaxFocalLoss"),
        (lambda: SoftmaxFocalLoss(ignore_index=1.5), "'ignore_index'.*1.5"),
        (lambda: ClassBalancedLoss([1, 2], beta=1.5), "'beta' parameter of ClassBalancedLoss"),
        (lambda: ClassBalancedLoss([1, 2], loss_type="ce"), "'loss_type'.*'ce'"),
        (lambda: ClassBalancedLoss([[1, 2]]), "'class_counts'.*1-D"),
        (lambda: LDAMLoss([5, 0]), "'class_counts' parameter of LDAMLoss.*class 1"),
        (lambda: LDAMLoss([5, 1], scale=0.0), "'scale' parameter of LDAMLoss"),
        (lambda: LogitAdjustedLoss([5, 1], tau=float("inf")), "'tau'.*inf"),
        (lambda: AsymmetricLoss(clip=-0.01), "'clip' parameter of AsymmetricLoss"),
        (lambda: PostHocLogitAdjustment(["a", "b"]), "'class_counts'.*sequence of positive"),
    ],
)
def test_constructor_checks(make, match):
    with pytest.raises(InvalidParameterError, match=match):
        make()


def test_class_count_mismatch_at_forward():
    with pytest.raises(InvalidDataError, match=r"built for 3 classes but the logits have 4"):
        LogitAdjustedLoss([5, 2, 1])(LOGITS, LABELS)
    with pytest.raises(InvalidDataError, match=r"built for 2 classes"):
        PostHocLogitAdjustment([5, 2])(LOGITS)


def test_repr_shows_configuration():
    assert "gamma=2.0" in repr(FocalLoss()) and "tau=0.5" in repr(
        LogitAdjustedLoss([3, 1], tau=0.5)
    )
