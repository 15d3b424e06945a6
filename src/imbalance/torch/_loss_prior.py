"""Losses that shift the logits by the class prior: logit-adjusted and balanced softmax.

Also the post-hoc form (:func:`adjust_logits`) for a model trained without adjustment.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from .._typing import Reduction
from ._fused_ce import fused_cross_entropy
from ._loss_common import (
    Counts,
    as_class_tensor,
    check_class_weights,
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

__all__ = [
    "adjust_logits",
    "balanced_softmax_loss",
    "log_prior",
    "logit_adjusted_loss",
    "offset_cross_entropy",
    "shift_logits",
]


def logit_adjusted_loss(
    logits: Tensor,
    target: Tensor,
    *,
    class_counts: Counts,
    tau: float = 1.0,
    weight: Sequence[float] | np.ndarray | Tensor | None = None,
    ignore_index: int = -100,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Logit-adjusted cross-entropy (Menon et al., 2021).

    :math:`\ell = \mathrm{CE}(z + \tau \log \pi, y)` with :math:`\pi` the class priors
    (``class_counts`` over their sum). Training with it makes the plain ``argmax`` of ``z`` a
    balanced-error classifier; ``tau=1`` is the paper's choice.

    Parameters
    ----------
    logits : Tensor of shape (N, C, *)
        Raw scores; the class dimension is dim 1.
    target : Tensor of shape (N, *) or (N, C, *)
        Class indices, or class probabilities, as in ``cross_entropy``.
    class_counts : sequence of shape (C,)
        Training samples per class.
    tau : float >= 0, default=1.0
        Strength of the adjustment; ``0`` gives the cross-entropy.
    weight : sequence/Tensor of shape (C,), default=None
        Class weights, as in ``cross_entropy``.
    ignore_index : int, default=-100
        Index targets equal to it are left out.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        As in ``cross_entropy``.

    Returns
    -------
    loss : Tensor
        A scalar, or shape (N, *) for ``reduction='none'``.

    See Also
    --------
    imbalance.torch.LogitAdjustedLoss : The module form, with ``from_targets``.
    adjust_logits : The post-hoc counterpart, for a model trained with plain cross-entropy.
    balanced_softmax_loss : The same loss at ``tau=1``.

    References
    ----------
    .. [1] A. K. Menon, S. Jayasumana, A. S. Rawat, H. Jain, A. Veit and S. Kumar, "Long-tail
       learning via logit adjustment", ICLR 2021.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch.functional import logit_adjusted_loss
    >>> logits = torch.tensor([[2.0, 0.0], [0.0, 1.0]])
    >>> target = torch.tensor([0, 1])
    >>> round(logit_adjusted_loss(logits, target, class_counts=[3, 1]).item(), 4)
    0.3939
    """
    owner = "logit_adjusted_loss"
    check_reduction(reduction, owner)
    tau = check_real(tau, "tau", owner)
    ignore_index = check_int(ignore_index, "ignore_index", owner)
    check_logits(logits, owner)
    offsets = log_prior(counts_for(class_counts, logits, owner), tau, logits)
    return offset_cross_entropy(logits, target, offsets, weight, ignore_index, reduction, owner)


def balanced_softmax_loss(
    logits: Tensor,
    target: Tensor,
    *,
    class_counts: Counts,
    weight: Sequence[float] | np.ndarray | Tensor | None = None,
    ignore_index: int = -100,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Balanced softmax cross-entropy (Ren et al., 2020).

    The softmax is weighted by the class counts,
    :math:`p_y = n_y e^{z_y} / \sum_j n_j e^{z_j}`, which is the cross-entropy of
    :math:`z + \log n`: the same as :func:`logit_adjusted_loss` with ``tau=1``.

    Parameters
    ----------
    logits : Tensor of shape (N, C, *)
        Raw scores; the class dimension is dim 1.
    target : Tensor of shape (N, *) or (N, C, *)
        Class indices, or class probabilities, as in ``cross_entropy``.
    class_counts : sequence of shape (C,)
        Training samples per class.
    weight : sequence/Tensor of shape (C,), default=None
        Class weights, as in ``cross_entropy``.
    ignore_index : int, default=-100
        Index targets equal to it are left out.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        As in ``cross_entropy``.

    Returns
    -------
    loss : Tensor
        A scalar, or shape (N, *) for ``reduction='none'``.

    See Also
    --------
    imbalance.torch.BalancedSoftmaxLoss : The module form, with ``from_targets``.

    References
    ----------
    .. [1] J. Ren, C. Yu, S. Sheng, X. Ma, H. Zhao, S. Yi and H. Li, "Balanced Meta-Softmax for
       Long-Tailed Visual Recognition", NeurIPS 2020.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch.functional import balanced_softmax_loss
    >>> logits = torch.tensor([[2.0, 0.0], [0.0, 1.0]])
    >>> target = torch.tensor([0, 1])
    >>> round(balanced_softmax_loss(logits, target, class_counts=[3, 1]).item(), 4)
    0.3939
    """
    owner = "balanced_softmax_loss"
    check_reduction(reduction, owner)
    ignore_index = check_int(ignore_index, "ignore_index", owner)
    check_logits(logits, owner)
    offsets = log_prior(counts_for(class_counts, logits, owner), 1.0, logits)
    return offset_cross_entropy(logits, target, offsets, weight, ignore_index, reduction, owner)


def log_prior(counts: np.ndarray, tau: float, like: Tensor | None = None) -> Tensor:
    """``tau * log(counts / counts.sum())``: float64 for float64 ``like``, else float32
    (a float32 prior added to float64 logits would cost them 1e-7 of relative precision)."""
    dtype = torch.float64 if like is not None and like.dtype == torch.float64 else torch.float32
    return torch.as_tensor(tau * np.log(counts / counts.sum()), dtype=dtype)


def offset_cross_entropy(
    logits: Tensor,
    target: Tensor,
    offsets: Tensor,
    weight: Any,
    ignore_index: int,
    reduction: Reduction,
    owner: str,
) -> Tensor:
    """Cross-entropy of ``logits + offsets`` (offsets along the class dimension)."""
    check_n_classes(offsets, logits, owner)
    is_index = split_target(logits, target, owner, ignore_index)
    acc = opmath_dtype(logits.dtype)
    shift = offsets.to(device=logits.device, dtype=acc)
    w = None
    if weight is not None:
        w = as_class_tensor(weight, "weight", owner, n_classes=shift.shape[0], like=logits)
        check_class_weights(w, "weight", owner)
    if is_index and logits.ndim >= 2:
        fused = fused_cross_entropy(
            logits, target, weight=w, shift=shift, ignore_index=ignore_index, reduction=reduction
        )
        if fused is not None:
            return fused
    z = logits.to(acc) + class_view(shift, logits.ndim)
    tgt = target if is_index else target.to(acc)
    loss = F.cross_entropy(z, tgt, weight=w, ignore_index=ignore_index, reduction=reduction)
    return loss.to(logits.dtype)


def adjust_logits(logits: Tensor, *, class_counts: Counts, tau: float = 1.0) -> Tensor:
    r"""Post-hoc logit adjustment (Menon et al., 2021): :math:`z - \tau \log \pi`.

    For a model trained with plain cross-entropy on imbalanced data, the ``argmax`` of the
    adjusted logits estimates the balanced-error-optimal class. Apply at prediction time only.

    Parameters
    ----------
    logits : Tensor of shape (N, C, *) or (C,)
        Raw scores of a trained model; the class dimension is dim 1 (dim 0 for 1-D logits).
    class_counts : sequence of shape (C,)
        Training samples per class (the priors the model learned).
    tau : float >= 0, default=1.0
        Strength of the adjustment; tune it on a balanced validation set.

    Returns
    -------
    adjusted : Tensor of the shape and dtype of ``logits``

    See Also
    --------
    imbalance.torch.PostHocLogitAdjustment : The module form, to append to a trained model.
    logit_adjusted_loss : The training-time counterpart.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch.functional import adjust_logits
    >>> logits = torch.tensor([[1.0, 0.0]])
    >>> adjust_logits(logits, class_counts=[9, 1]).argmax(dim=1).tolist()
    [1]
    """
    owner = "adjust_logits"
    tau = check_real(tau, "tau", owner)
    check_logits(logits, owner)
    offsets = log_prior(counts_for(class_counts, logits, owner), tau, logits)
    return shift_logits(logits, -offsets)


def shift_logits(logits: Tensor, offsets: Tensor) -> Tensor:
    """``logits + offsets`` along the class dimension, in the logits' dtype."""
    check_n_classes(offsets, logits, "PostHocLogitAdjustment")
    acc = opmath_dtype(logits.dtype)
    shift = offsets.to(device=logits.device, dtype=acc)
    return (logits.to(acc) + class_view(shift, logits.ndim)).to(logits.dtype)
