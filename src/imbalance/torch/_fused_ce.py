"""The cross-entropy family (logit-adjusted, balanced softmax, LDAM, class-balanced) fused.

For inputs large enough to be compiled (see :mod:`._fused`), these losses run one fused kernel
instead of building shifted logits and calling ``cross_entropy``; below that, and for targets
that are class probabilities, the callers keep ``torch.nn.functional.cross_entropy``.
"""

from __future__ import annotations

import torch
from torch import Tensor

from .._typing import Reduction
from ._fused import FusedLoss, shifted_cross_entropy_kernel, wants_compiled
from ._loss_common import opmath_dtype, reduction_scale


def fused_cross_entropy(
    logits: Tensor,
    target: Tensor,
    *,
    weight: Tensor | None,
    shift: Tensor | None = None,
    margin: Tensor | None = None,
    logit_scale: float = 1.0,
    ignore_index: int,
    reduction: Reduction,
    mean_by_weight: bool = True,
) -> Tensor | None:
    """CE of ``logit_scale * (logits + shift - margin_y)`` with class-index targets, or None.

    ``None`` means the fused path does not apply here (small input, no compiler, or a weight
    that needs a gradient): the caller computes the loss its own way. ``'mean'`` divides by the
    summed ``weight`` of the kept targets (``mean_by_weight``, as ``cross_entropy``) or by their
    number. ``logits`` are ``(N, C, *)``, ``target`` ``(N, *)`` integer indices, already
    checked by the caller (:func:`._loss_common.split_target`).
    """
    if not wants_compiled(logits.numel(), logits.device):
        return None
    if weight is not None and weight.requires_grad:
        return None
    acc = opmath_dtype(logits.dtype)
    n_classes = logits.shape[1]
    z = logits.movedim(1, -1).reshape(-1, n_classes)
    y = target.reshape(-1)
    valid = y != ignore_index
    y_safe = torch.where(valid, y, torch.zeros((), dtype=y.dtype, device=y.device))
    a = None if weight is None else weight.to(device=logits.device, dtype=acc)
    kept = (a[y_safe] * valid).sum() if a is not None and mean_by_weight else valid.sum()
    scale = reduction_scale(reduction, kept, acc)
    shift = None if shift is None else shift.to(device=logits.device, dtype=acc)
    margin = None if margin is None else margin.to(device=logits.device, dtype=acc)
    loss = FusedLoss.apply(
        shifted_cross_entropy_kernel, z, y_safe, valid, a, shift, margin, logit_scale, scale
    )
    return loss.reshape(logits.shape[:1] + logits.shape[2:]) if reduction == "none" else loss
