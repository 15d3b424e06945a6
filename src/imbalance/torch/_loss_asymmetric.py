"""Asymmetric loss (Ridnik et al., 2021) for multi-label classification."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from .._typing import Reduction
from ._loss_common import (
    apply_scale,
    check_logits,
    check_mask,
    check_real,
    check_reduction,
    check_same_shape,
    elementwise_scale,
    opmath_dtype,
)

__all__ = ["asymmetric_loss"]


def asymmetric_loss(
    logits: Tensor,
    target: Tensor,
    *,
    gamma_pos: float = 0.0,
    gamma_neg: float = 4.0,
    clip: float = 0.05,
    weight: Tensor | None = None,
    mask: Tensor | None = None,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Asymmetric loss for multi-label classification (Ridnik et al., 2021).

    With :math:`p = \sigma(x)` and the shifted probability :math:`p_m = \max(p - m, 0)`,

    .. math::
        \ell = -t\,(1-p)^{\gamma_+} \log p \;-\; (1-t)\, p_m^{\gamma_-} \log(1 - p_m) .

    Negatives are focused harder than positives (``gamma_neg > gamma_pos``), and easy negatives
    with :math:`p \le m` are discarded outright. With ``gamma_pos = gamma_neg = clip = 0`` it is
    the binary cross-entropy. The gradient is the exact one (the reference code can detach the
    focusing factor; this one does not), finite for every logit.

    Parameters
    ----------
    logits : Tensor of any shape
        Raw scores, one per (sample, label).
    target : Tensor of the same shape
        Targets in ``[0, 1]``.
    gamma_pos : float >= 0, default=0.0
        Focusing parameter of the positive term.
    gamma_neg : float >= 0, default=4.0
        Focusing parameter of the negative term.
    clip : float in [0, 1), default=0.05
        Probability margin ``m`` of the negatives; ``0`` turns the shift off.
    weight : Tensor broadcastable to logits, default=None
        Weight of each element.
    mask : bool Tensor broadcastable to logits, default=None
        ``False`` marks elements to leave out; they are not counted by ``'mean'``.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        ``'mean'`` divides by the number of kept elements. (The paper sums.)

    Returns
    -------
    loss : Tensor
        A scalar, or the shape of ``logits`` for ``reduction='none'``.

    See Also
    --------
    imbalance.torch.AsymmetricLoss : The module form.
    sigmoid_focal_loss : The symmetric focal loss.

    References
    ----------
    .. [1] T. Ridnik, E. Ben-Baruch, N. Zamir, A. Noy, I. Friedman, M. Protter and
       L. Zelnik-Manor, "Asymmetric Loss For Multi-Label Classification", ICCV 2021.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch.functional import asymmetric_loss
    >>> logits = torch.tensor([[2.0, -3.0, 0.0]])
    >>> target = torch.tensor([[1.0, 0.0, 0.0]])
    >>> round(asymmetric_loss(logits, target).item(), 4)
    0.0505
    """
    owner = "asymmetric_loss"
    check_reduction(reduction, owner)
    gamma_pos = check_real(gamma_pos, "gamma_pos", owner)
    gamma_neg = check_real(gamma_neg, "gamma_neg", owner)
    clip = check_real(clip, "clip", owner, high=1.0, high_open=True)
    check_logits(logits, owner)
    check_same_shape(logits, target, owner)
    m = None if mask is None else check_mask(mask, logits, owner)
    acc = opmath_dtype(logits.dtype)
    x = logits.to(acc)
    t = target.to(acc) if m is None else torch.where(m, target.to(acc), 0.0)
    log_p = F.logsigmoid(x)
    positive = t * torch.exp(gamma_pos * F.logsigmoid(-x)) * (-log_p)
    focus_neg, log_one_minus = _shifted_negative(x, gamma_neg, clip)
    loss = positive + (1.0 - t) * focus_neg * (-log_one_minus)
    if weight is not None:
        loss = loss * weight.to(device=logits.device, dtype=acc)
    if m is not None:
        loss = torch.where(m, loss, 0.0)
    return apply_scale(loss, elementwise_scale(logits, m, reduction)).to(logits.dtype)


def _shifted_negative(x: Tensor, gamma: float, clip: float) -> tuple[Tensor, Tensor]:
    """``p_m ** gamma`` and ``log(1 - p_m)``, with finite gradients everywhere."""
    if clip == 0.0:
        return torch.exp(gamma * F.logsigmoid(x)), F.logsigmoid(-x)
    shifted = torch.sigmoid(x) - clip
    above = shifted > 0
    # The inner where keeps pow away from 0 and negatives, whose gradient would be inf or NaN.
    safe = torch.where(above, shifted, 1.0)
    focus = torch.where(above, safe.pow(gamma), 0.0)
    log_one_minus = torch.log(torch.clamp(torch.sigmoid(-x) + clip, max=1.0))
    return focus, log_one_minus
