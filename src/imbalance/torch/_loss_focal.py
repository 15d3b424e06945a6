"""Focal losses (Lin et al., 2017): sigmoid (binary, multi-label) and softmax (multi-class).

Each loss has an autograd reference written as the formula (``*_reference``) and a fused path
(:mod:`._fused`) that the public functions use unless a target or weight needs a gradient.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from .._typing import Reduction
from ._fused import (
    FusedLoss,
    sigmoid_focal_kernel,
    softmax_focal_dense_kernel,
    softmax_focal_index_kernel,
)
from ._loss_common import (
    apply_scale,
    as_class_tensor,
    check_class_weights,
    check_element_weight,
    check_int,
    check_logits,
    check_mask,
    check_probability_target,
    check_real,
    check_reduction,
    check_same_shape,
    elementwise_scale,
    opmath_dtype,
    reduction_scale,
    split_target,
)

__all__ = ["sigmoid_focal_loss", "softmax_focal_loss"]

Alpha = float | Sequence[float] | np.ndarray | Tensor | None


def sigmoid_focal_loss(
    logits: Tensor,
    target: Tensor,
    *,
    alpha: Alpha = None,
    gamma: float = 2.0,
    pos_weight: Tensor | Sequence[float] | None = None,
    weight: Tensor | None = None,
    mask: Tensor | None = None,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Focal loss on independent sigmoids: binary and multi-label classification.

    For a logit :math:`x` with :math:`p = \sigma(x)` and a target :math:`t \in [0, 1]`,

    .. math::
        \ell = -\alpha\, w_+\, t\,(1-p)^\gamma \log p \;-\; (1-\alpha)\,(1-t)\,p^\gamma \log(1-p)

    times the element's ``weight``, with :math:`w_+` the ``pos_weight``. For 0/1 targets this is
    torchvision's ``sigmoid_focal_loss``; with ``gamma=0`` and ``alpha=None`` it is
    :func:`torch.nn.functional.binary_cross_entropy_with_logits`, loss and gradient. It is linear
    in ``t``, so soft targets give the expected loss under the target distribution. Computed from
    ``logsigmoid``: the loss and its gradient are finite for every logit and every ``gamma >= 0``,
    also in float16 and bfloat16 (which run their maths in float32; a float16 loss above 65504
    is ``inf``, see :mod:`imbalance.torch.functional`).

    Parameters
    ----------
    logits : Tensor of any shape
        Raw scores, one per (sample, label).
    target : Tensor of the same shape
        Targets in ``[0, 1]`` (0/1 labels or soft targets), any real or bool dtype.
    alpha : float in [0, 1], or sequence/Tensor of shape (n_labels,), default=None
        Weight of the positive term (``1 - alpha`` weighs the negative term); a sequence gives
        one value per label, along the last dimension. ``None`` weighs both terms by 1.
    gamma : float >= 0, default=2.0
        Focusing parameter; ``0`` gives the (alpha-weighted) binary cross-entropy.
    pos_weight : sequence/Tensor broadcastable to logits, default=None
        Extra weight of the positive term per label (last dimension), as in
        ``BCEWithLogitsLoss``; :func:`imbalance.weights.pos_weight` computes it from ``Y``.
    weight : Tensor broadcastable to logits, default=None
        Weight of each element.
    mask : bool Tensor broadcastable to logits, default=None
        ``False`` marks elements to leave out (missing labels): they add nothing to the loss,
        get zero gradient, may hold any target (even NaN) and are not counted by ``'mean'``.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        ``'mean'`` divides the sum by the number of elements kept by ``mask`` (not by the sum of
        the weights), as ``binary_cross_entropy_with_logits`` does.

    Returns
    -------
    loss : Tensor
        A scalar, or the shape of ``logits`` for ``reduction='none'``; in the logits' dtype.

    See Also
    --------
    imbalance.torch.FocalLoss : The module form.
    softmax_focal_loss : The multi-class (softmax) focal loss.
    asymmetric_loss : Different focusing for positives and negatives.

    References
    ----------
    .. [1] T.-Y. Lin, P. Goyal, R. Girshick, K. He and P. Dollár, "Focal Loss for Dense Object
       Detection", ICCV 2017.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch.functional import sigmoid_focal_loss
    >>> logits = torch.tensor([[3.0, -1.0], [-2.0, 0.5]])
    >>> target = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    >>> round(sigmoid_focal_loss(logits, target, gamma=2.0).item(), 4)
    0.023
    >>> bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, target)
    >>> torch.allclose(sigmoid_focal_loss(logits, target, gamma=0.0), bce)
    True
    """
    owner = "sigmoid_focal_loss"
    check_reduction(reduction, owner)
    gamma = check_real(gamma, "gamma", owner)
    check_logits(logits, owner)
    check_same_shape(logits, target, owner)
    m = None if mask is None else check_mask(mask, logits, owner)
    t = target if m is None else target.masked_fill(~m, 0)
    check_probability_target(t, owner)
    a_pos, a_neg = _sigmoid_alphas(alpha, pos_weight, logits, owner)
    acc = opmath_dtype(logits.dtype)
    w = None if weight is None else weight.to(device=logits.device, dtype=acc)
    if w is not None:
        check_element_weight(w, owner)
    scale = elementwise_scale(logits, m, reduction)
    g = torch.tensor(gamma, dtype=acc, device=logits.device)
    aux = (target, a_pos, a_neg, w)
    if any(isinstance(v, Tensor) and v.requires_grad for v in aux):
        loss = sigmoid_focal_reference(logits, target, a_pos, a_neg, w, m, gamma)
        return apply_scale(loss, scale).to(logits.dtype)
    w_eff = w if m is None else (m.to(acc) if w is None else w * m)
    return FusedLoss.apply(sigmoid_focal_kernel, logits, t, a_pos, a_neg, w_eff, g, scale)


def sigmoid_focal_reference(
    logits: Tensor,
    target: Tensor,
    a_pos: Tensor,
    a_neg: Tensor,
    w: Tensor | None,
    m: Tensor | None,
    gamma: float,
) -> Tensor:
    """Per-element sigmoid focal loss through autograd (the formula as written), in opmath."""
    acc = opmath_dtype(logits.dtype)
    x, t = logits.to(acc), target.to(acc)
    if m is not None:
        t = torch.where(m, t, 0.0)
    log_p, log_q = F.logsigmoid(x), F.logsigmoid(-x)
    loss = a_pos * t * torch.exp(gamma * log_q) * (-log_p)
    loss = loss + a_neg * (1.0 - t) * torch.exp(gamma * log_p) * (-log_q)
    if w is not None:
        loss = loss * w
    return loss if m is None else torch.where(m, loss, 0.0)


def softmax_focal_loss(
    logits: Tensor,
    target: Tensor,
    *,
    alpha: Sequence[float] | np.ndarray | Tensor | None = None,
    gamma: float = 2.0,
    label_smoothing: float = 0.0,
    ignore_index: int = -100,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Focal loss on a softmax: multi-class classification, ``(N, C, *)`` logits.

    With :math:`p_c` the softmax probabilities and :math:`q_c` the target distribution
    (one-hot, label-smoothed or given),

    .. math:: \ell = -\sum_c q_c\, \alpha_c\, (1 - p_c)^\gamma \log p_c .

    The focal factor uses the *unweighted* probability :math:`p_c`; the class weight
    :math:`\alpha_c` multiplies the result (computing :math:`p_t` from a weighted
    cross-entropy, as some implementations do, makes the factor vanish for rare classes).
    With ``gamma=0`` this is :func:`torch.nn.functional.cross_entropy` with ``weight=alpha``
    and the same ``label_smoothing``, ``ignore_index`` and reduction, loss and gradient.

    Parameters
    ----------
    logits : Tensor of shape (N, C, *) or (C,)
        Raw scores; the class dimension is dim 1.
    target : Tensor of shape (N, *) with class indices, or (N, C, *) with class probabilities
        Integer indices in ``[0, C)`` (or ``ignore_index``), or a float distribution per row.
    alpha : sequence/Tensor of shape (C,), default=None
        Weight of each class, as ``weight`` in ``cross_entropy``; e.g.
        ``imbalance.weights.weights_from_counts(counts)``.
    gamma : float >= 0, default=2.0
        Focusing parameter; ``0`` gives the cross-entropy.
    label_smoothing : float in [0, 1), default=0.0
        Mixes the target with the uniform distribution, as in ``cross_entropy``.
    ignore_index : int, default=-100
        Class-index targets equal to it add nothing and are not counted by ``'mean'``.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        For index targets ``'mean'`` divides by the summed ``alpha`` of the kept targets (by
        their number when ``alpha`` is None); for probability targets by the number of rows.

    Returns
    -------
    loss : Tensor
        A scalar, or shape (N, *) for ``reduction='none'``; in the logits' dtype.

    See Also
    --------
    imbalance.torch.SoftmaxFocalLoss : The module form.
    sigmoid_focal_loss : The binary and multi-label focal loss.

    References
    ----------
    .. [1] T.-Y. Lin, P. Goyal, R. Girshick, K. He and P. Dollár, "Focal Loss for Dense Object
       Detection", ICCV 2017.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch.functional import softmax_focal_loss
    >>> logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
    >>> target = torch.tensor([0, 2])
    >>> round(softmax_focal_loss(logits, target, gamma=2.0).item(), 4)
    0.0061
    >>> ce = torch.nn.functional.cross_entropy(logits, target)
    >>> torch.allclose(softmax_focal_loss(logits, target, gamma=0.0), ce)
    True
    """
    owner = "softmax_focal_loss"
    check_reduction(reduction, owner)
    gamma = check_real(gamma, "gamma", owner)
    smoothing = check_real(label_smoothing, "label_smoothing", owner, high=1.0, high_open=True)
    ignore_index = check_int(ignore_index, "ignore_index", owner)
    check_logits(logits, owner)
    if logits.ndim == 1 and isinstance(target, Tensor):  # one sample, no batch dimension
        loss = softmax_focal_loss(
            logits.unsqueeze(0),
            target.unsqueeze(0),
            alpha=alpha,
            gamma=gamma,
            label_smoothing=smoothing,
            ignore_index=ignore_index,
            reduction=reduction,
        )
        return loss.squeeze(0)
    is_index = split_target(logits, target, owner, ignore_index)
    n_classes = logits.shape[1]
    a = None
    if alpha is not None:
        a = as_class_tensor(alpha, "alpha", owner, n_classes=n_classes, like=logits)
        check_class_weights(a, "alpha", owner)
    z = logits.movedim(1, -1).reshape(-1, n_classes)
    out_shape = logits.shape[:1] + logits.shape[2:]
    if is_index:
        loss = _softmax_index(z, target.reshape(-1), a, gamma, smoothing, ignore_index, reduction)
    else:
        q = target.movedim(1, -1).reshape(-1, n_classes)
        if smoothing:
            q = q.to(opmath_dtype(z.dtype)) * (1 - smoothing) + smoothing / n_classes
        rows = torch.tensor(float(z.shape[0]), device=z.device)
        scale = reduction_scale(reduction, rows, opmath_dtype(z.dtype))
        loss = _softmax_dense(z, q, a, gamma, scale)
    return loss.reshape(out_shape) if reduction == "none" else loss


def _softmax_index(
    z: Tensor,
    y: Tensor,
    a: Tensor | None,
    gamma: float,
    smoothing: float,
    ignore_index: int,
    reduction: Reduction,
) -> Tensor:
    n_classes = z.shape[1]
    valid = y != ignore_index
    y_safe = torch.where(valid, y, torch.zeros((), dtype=y.dtype, device=y.device))
    kept = valid.sum() if a is None else (a[y_safe] * valid).sum()
    scale = reduction_scale(reduction, kept, opmath_dtype(z.dtype))
    if smoothing == 0.0:
        g = torch.tensor(gamma, dtype=opmath_dtype(z.dtype), device=z.device)
        if a is not None and a.requires_grad:
            return apply_scale(softmax_focal_reference(z, y_safe, valid, None, a, gamma), scale)
        return FusedLoss.apply(softmax_focal_index_kernel, z, y_safe, valid, a, g, scale)
    onehot = F.one_hot(y_safe, n_classes).to(opmath_dtype(z.dtype))
    q = (onehot * (1.0 - smoothing) + smoothing / n_classes) * valid.unsqueeze(1)
    return _softmax_dense(z, q, a, gamma, scale)


def _softmax_dense(
    z: Tensor, q: Tensor, a: Tensor | None, gamma: float, scale: Tensor | None
) -> Tensor:
    if q.requires_grad or (a is not None and a.requires_grad):
        return apply_scale(softmax_focal_reference(z, None, None, q, a, gamma), scale)
    g = torch.tensor(gamma, dtype=opmath_dtype(z.dtype), device=z.device)
    return FusedLoss.apply(softmax_focal_dense_kernel, z, q, a, g, scale)


def softmax_focal_reference(
    z: Tensor,
    y: Tensor | None,
    valid: Tensor | None,
    q: Tensor | None,
    a: Tensor | None,
    gamma: float,
) -> Tensor:
    """Per-row softmax focal loss of ``(M, C)`` logits through autograd, in opmath.

    Give either class indices ``y`` with their ``valid`` mask, or target weights ``q``.
    """
    acc = opmath_dtype(z.dtype)
    log_p = F.log_softmax(z.to(acc), dim=1)
    # (1 - p) from expm1 keeps precision near p = 1; the clamp keeps the gradient finite at 0.
    one_minus = (-torch.expm1(log_p)).clamp_min(torch.finfo(acc).tiny)
    focal = one_minus.pow(gamma) * (-log_p)
    if y is not None and valid is not None:
        per_row = focal.gather(1, y.unsqueeze(1)).squeeze(1)
        return per_row * valid if a is None else per_row * a[y] * valid
    assert q is not None
    weighted = q.to(acc) if a is None else q.to(acc) * a
    return (weighted * focal).sum(dim=1)


def _sigmoid_alphas(
    alpha: Alpha, pos_weight: Any, logits: Tensor, owner: str
) -> tuple[Tensor, Tensor]:
    acc = opmath_dtype(logits.dtype)
    if alpha is None:
        a_pos = torch.ones((), dtype=acc, device=logits.device)
        a_neg = a_pos
    elif isinstance(alpha, int | float) and not isinstance(alpha, bool):
        value = check_real(alpha, "alpha", owner, high=1.0)
        a_pos = torch.tensor(value, dtype=acc, device=logits.device)
        a_neg = torch.tensor(1.0 - value, dtype=acc, device=logits.device)
    else:
        n_labels = logits.shape[-1] if logits.ndim else 1
        a_pos = check_class_weights(
            as_class_tensor(alpha, "alpha", owner, n_classes=n_labels, like=logits),
            "alpha",
            owner,
            upper=1.0,
        )
        a_neg = 1.0 - a_pos
    if pos_weight is not None:
        pw = (
            pos_weight
            if isinstance(pos_weight, Tensor)
            else torch.as_tensor(np.asarray(pos_weight, dtype=np.float64))
        )
        pw = pw.to(device=logits.device, dtype=acc)
        check_element_weight(pw, owner, "pos_weight")
        a_pos = a_pos * pw
    return a_pos, a_neg
