"""Losses weighted or margined by the class counts: class-balanced, LDAM, and DRW weights.

Every class weight comes from :func:`imbalance.weights.weights_from_counts`. The losses that
shift logits by the class prior (logit-adjusted, balanced softmax) are in ``_loss_prior``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from .._typing import Reduction
from ..exceptions import InvalidDataError, InvalidParameterError
from ..weights import weights_from_counts
from ._fused_ce import fused_cross_entropy
from ._loss_common import (
    Counts,
    as_class_tensor,
    check_batched,
    check_class_weights,
    check_counts,
    check_int,
    check_logits,
    check_n_classes,
    check_real,
    check_reduction,
    class_view,
    counts_for,
    opmath_dtype,
    split_target,
)
from ._loss_focal import sigmoid_focal_loss

__all__ = [
    "class_balanced_loss",
    "class_balanced_weighted",
    "drw_weights",
    "ldam_loss",
    "ldam_margins",
    "ldam_with_margins",
]

LossType = Literal["softmax", "sigmoid", "focal"]
_LOSS_TYPES = ("softmax", "sigmoid", "focal")


def class_balanced_loss(
    logits: Tensor,
    target: Tensor,
    *,
    class_counts: Counts,
    beta: float = 0.999,
    loss_type: LossType = "softmax",
    gamma: float = 2.0,
    ignore_index: int = -100,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Class-balanced loss (Cui et al., 2019): a loss weighted by the effective number.

    Class :math:`c` with :math:`n_c` samples weighs :math:`(1 - \beta) / (1 - \beta^{n_c})`,
    scaled so the weights sum to the number of classes
    (``weights_from_counts(class_counts, scheme="effective_number", beta=beta)``).

    - ``"softmax"``: each row's cross-entropy times the weight of its class.
    - ``"sigmoid"`` / ``"focal"``: binary cross-entropy / sigmoid focal loss on one-hot targets,
      every element of a row times the weight of the row's class. With a 0/1 indicator target
      (multi-label), each column takes the weight of its label instead.

    Parameters
    ----------
    logits : Tensor of shape (N, C, *)
        Raw scores; the class dimension is dim 1.
    target : Tensor of shape (N, *) with class indices, or (N, C, *) with per-class values
        Indices in ``[0, C)`` (or ``ignore_index``); or class probabilities (``"softmax"``), or a
        0/1 indicator (``"sigmoid"``, ``"focal"``).
    class_counts : sequence of shape (C,)
        Training samples per class (positives per label for an indicator).
    beta : float in [0, 1), default=0.999
        ``0`` gives no re-weighting; values towards 1 approach inverse-frequency weights.
    loss_type : {"softmax", "sigmoid", "focal"}, default="softmax"
        The loss that is re-weighted.
    gamma : float >= 0, default=2.0
        Focusing parameter of ``"focal"``.
    ignore_index : int, default=-100
        Index targets equal to it are left out, and not counted by ``'mean'``.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        ``'mean'`` divides by the number of kept rows (``"softmax"``) or kept elements (rows
        times classes, ``"sigmoid"`` and ``"focal"``), not by the summed weights: the weights
        are normalised to sum to C so the loss keeps the scale of the unweighted one.

    Returns
    -------
    loss : Tensor
        A scalar, or per row (``"softmax"``, shape (N, *)) or per element (shape of logits)
        for ``reduction='none'``.

    See Also
    --------
    imbalance.torch.ClassBalancedLoss : The module form, with ``from_targets``.
    imbalance.weights.weights_from_counts : The weights.

    References
    ----------
    .. [1] Y. Cui, M. Jia, T.-Y. Lin, Y. Song and S. Belongie, "Class-Balanced Loss Based on
       Effective Number of Samples", CVPR 2019.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch.functional import class_balanced_loss
    >>> logits = torch.tensor([[1.0, -1.0], [0.0, 2.0], [0.5, 0.5]])
    >>> target = torch.tensor([0, 1, 1])
    >>> round(class_balanced_loss(logits, target, class_counts=[90, 10], beta=0.99).item(), 4)
    0.4828
    """
    owner = "class_balanced_loss"
    check_reduction(reduction, owner)
    beta = check_real(beta, "beta", owner, high=1.0, high_open=True)
    if loss_type not in _LOSS_TYPES:
        raise InvalidParameterError(
            f"The 'loss_type' parameter of {owner} must be 'softmax', 'sigmoid' or 'focal'. "
            f"Got {loss_type!r} instead."
        )
    gamma = check_real(gamma, "gamma", owner)
    ignore_index = check_int(ignore_index, "ignore_index", owner)
    check_logits(logits, owner)
    check_batched(logits, owner)
    counts = counts_for(class_counts, logits, owner)
    w = torch.as_tensor(weights_from_counts(counts, scheme="effective_number", beta=beta))
    return class_balanced_weighted(
        logits, target, w, loss_type, gamma, ignore_index, reduction, owner
    )


def class_balanced_weighted(
    logits: Tensor,
    target: Tensor,
    class_weight: Tensor,
    loss_type: str,
    gamma: float,
    ignore_index: int,
    reduction: Reduction,
    owner: str,
) -> Tensor:
    """:func:`class_balanced_loss` with the class weights given (checked arguments)."""
    check_n_classes(class_weight, logits, owner)
    w = class_weight.to(device=logits.device, dtype=opmath_dtype(logits.dtype))
    is_index = split_target(logits, target, owner, ignore_index)
    if loss_type == "softmax":
        return _weighted_ce(logits, target, w, is_index, ignore_index, reduction)
    focal_gamma = gamma if loss_type == "focal" else 0.0
    if not is_index:
        return sigmoid_focal_loss(
            logits,
            target,
            gamma=focal_gamma,
            reduction=reduction,
            weight=class_view(w, logits.ndim),
        )
    valid = target != ignore_index
    y = torch.where(valid, target, torch.zeros_like(target))
    onehot = F.one_hot(y, logits.shape[1]).movedim(-1, 1).to(logits.dtype)
    return sigmoid_focal_loss(
        logits,
        onehot,
        gamma=focal_gamma,
        reduction=reduction,
        weight=w[y].unsqueeze(1),
        mask=valid.unsqueeze(1),
    )


def _weighted_ce(
    logits: Tensor,
    target: Tensor,
    w: Tensor,
    is_index: bool,
    ignore_index: int,
    reduction: Reduction,
) -> Tensor:
    if is_index:
        fused = fused_cross_entropy(
            logits,
            target,
            weight=w,
            ignore_index=ignore_index,
            reduction=reduction,
            mean_by_weight=False,
        )
        if fused is not None:
            return fused
    z = logits.to(opmath_dtype(logits.dtype))
    tgt = target if is_index else target.to(z.dtype)
    per_row = F.cross_entropy(z, tgt, weight=w, ignore_index=ignore_index, reduction="none")
    if reduction == "none":
        return per_row.to(logits.dtype)
    total = per_row.sum()
    if reduction == "mean":
        total = total / ((target != ignore_index).sum() if is_index else per_row.numel())
    return total.to(logits.dtype)


def ldam_margins(class_counts: Counts, *, max_margin: float = 0.5) -> Tensor:
    r"""LDAM margins :math:`\Delta_j = C / n_j^{1/4}`, the largest equal to ``max_margin``.

    That is :math:`\Delta_j = \text{max\_margin} \cdot (n_{\min} / n_j)^{1/4}`: the rarest class
    gets ``max_margin``.

    Parameters
    ----------
    class_counts : sequence of shape (C,)
        Training samples per class.
    max_margin : float > 0, default=0.5
        Margin of the rarest class.

    Returns
    -------
    margins : Tensor of shape (C,), float64

    Examples
    --------
    >>> from imbalance.torch.functional import ldam_margins
    >>> ldam_margins([10000, 625, 16], max_margin=0.5).tolist()
    [0.1, 0.2, 0.5]
    """
    owner = "ldam_margins"
    max_margin = check_real(max_margin, "max_margin", owner, low_open=True)
    counts = check_counts(class_counts, owner)
    return torch.from_numpy(max_margin * (counts.min() / counts) ** 0.25)


def ldam_loss(
    logits: Tensor,
    target: Tensor,
    *,
    class_counts: Counts,
    max_margin: float = 0.5,
    scale: float = 30.0,
    weight: Sequence[float] | np.ndarray | Tensor | None = None,
    ignore_index: int = -100,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Label-distribution-aware margin loss (Cao et al., 2019).

    The logit of the true class is lowered by the class's margin :math:`\Delta_y` (see
    :func:`ldam_margins`) and the cross-entropy is taken of ``scale`` times the result:
    :math:`\ell = \mathrm{CE}(s\,(z - \Delta_y e_y), y)`. The paper uses normalised features
    and weights (cosine logits in [-1, 1]) with ``scale=30``; with unnormalised logits use a
    scale near 1. Pair with deferred re-weighting: ``weight=drw_weights(counts, epoch, ...)``.

    Parameters
    ----------
    logits : Tensor of shape (N, C, *)
        Raw scores (cosine similarities in the paper).
    target : Tensor of shape (N, *)
        Class indices in ``[0, C)``, or ``ignore_index``.
    class_counts : sequence of shape (C,)
        Training samples per class.
    max_margin : float > 0, default=0.5
        Margin of the rarest class.
    scale : float > 0, default=30.0
        Multiplies the adjusted logits (``s`` in the paper).
    weight : sequence/Tensor of shape (C,), default=None
        Class weights, as in ``cross_entropy`` (the DRW stage).
    ignore_index : int, default=-100
        Targets equal to it are left out.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        As in ``cross_entropy``: ``'mean'`` divides by the summed weights of the kept targets.

    Returns
    -------
    loss : Tensor
        A scalar, or shape (N, *) for ``reduction='none'``.

    See Also
    --------
    imbalance.torch.LDAMLoss : The module form, with ``from_targets``.
    drw_weights : The deferred re-weighting schedule.

    References
    ----------
    .. [1] K. Cao, C. Wei, A. Gaidon, N. Arechiga and T. Ma, "Learning Imbalanced Datasets with
       Label-Distribution-Aware Margin Loss", NeurIPS 2019.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch.functional import ldam_loss
    >>> logits = torch.tensor([[0.9, 0.1], [0.2, 0.6]])
    >>> target = torch.tensor([0, 1])
    >>> round(ldam_loss(logits, target, class_counts=[100, 10], scale=1.0).item(), 4)
    0.6057
    """
    owner = "ldam_loss"
    check_reduction(reduction, owner)
    scale = check_real(scale, "scale", owner, low_open=True)
    ignore_index = check_int(ignore_index, "ignore_index", owner)
    check_logits(logits, owner)
    check_batched(logits, owner)
    margins = ldam_margins(counts_for(class_counts, logits, owner), max_margin=max_margin)
    return ldam_with_margins(logits, target, margins, scale, weight, ignore_index, reduction, owner)


def ldam_with_margins(
    logits: Tensor,
    target: Tensor,
    margins: Tensor,
    scale: float,
    weight: Any,
    ignore_index: int,
    reduction: Reduction,
    owner: str,
) -> Tensor:
    """:func:`ldam_loss` with the margins given (checked arguments)."""
    if not split_target(logits, target, owner, ignore_index):
        raise InvalidDataError(
            f"{owner} needs class indices as target (the logits' shape without dim 1); got "
            f"per-class values of shape {tuple(target.shape)}."
        )
    check_n_classes(margins, logits, owner)
    acc = opmath_dtype(logits.dtype)
    m = margins.to(device=logits.device, dtype=acc)
    w = None
    if weight is not None:
        w = as_class_tensor(weight, "weight", owner, n_classes=logits.shape[1], like=logits)
        check_class_weights(w, "weight", owner)
    fused = fused_cross_entropy(
        logits,
        target,
        weight=w,
        margin=m,
        logit_scale=scale,
        ignore_index=ignore_index,
        reduction=reduction,
    )
    if fused is not None:
        return fused
    valid = target != ignore_index
    y = torch.where(valid, target, torch.zeros_like(target))
    # s * (z - margin at the target), built in one fresh tensor.
    z = logits.to(acc) * scale
    z.scatter_add_(1, y.unsqueeze(1), (m[y] * valid).mul_(-scale).unsqueeze(1))
    loss = F.cross_entropy(z, target, weight=w, ignore_index=ignore_index, reduction=reduction)
    return loss.to(logits.dtype)


def drw_weights(
    class_counts: Counts, epoch: int, *, start_epoch: int, beta: float = 0.9999
) -> Tensor:
    """Deferred re-weighting (Cao et al., 2019): class weights for ``epoch``.

    All ones before ``start_epoch``; from it on, the class-balanced (effective-number) weights
    of :func:`imbalance.weights.weights_from_counts`. Train with the plain loss first, then
    re-weight once the features are learned. The paper trains 200 epochs and starts at 160.

    Parameters
    ----------
    class_counts : sequence of shape (C,)
        Training samples per class.
    epoch : int >= 0
        The current epoch (0-based).
    start_epoch : int >= 0
        First epoch with re-weighting.
    beta : float in [0, 1), default=0.9999
        Effective-number parameter of the re-weighting stage.

    Returns
    -------
    weight : Tensor of shape (C,), float32
        Pass as ``weight`` to a loss, or assign to a module's ``weight`` buffer (then move it to
        the module's device, e.g. ``drw_weights(...).to(device)``).

    Examples
    --------
    >>> from imbalance.torch import drw_weights
    >>> drw_weights([90, 10], epoch=0, start_epoch=2).tolist()
    [1.0, 1.0]
    >>> [round(v, 3) for v in drw_weights([90, 10], epoch=2, start_epoch=2).tolist()]
    [0.201, 1.799]
    """
    owner = "drw_weights"
    epoch = _check_non_negative_int(epoch, "epoch", owner)
    start_epoch = _check_non_negative_int(start_epoch, "start_epoch", owner)
    beta = check_real(beta, "beta", owner, high=1.0, high_open=True)
    counts = check_counts(class_counts, owner)
    if epoch < start_epoch:
        return torch.ones(counts.size, dtype=torch.float32)
    weights = weights_from_counts(counts, scheme="effective_number", beta=beta)
    return torch.as_tensor(weights, dtype=torch.float32)


def _check_non_negative_int(value: Any, name: str, owner: str) -> int:
    value = check_int(value, name, owner)
    if value < 0:
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} must be an int >= 0. Got {value!r} instead."
        )
    return value
