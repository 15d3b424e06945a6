"""Asymmetric loss (Ridnik et al., 2021) for multi-label classification."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from .._typing import Reduction
from ._fused import FusedLoss
from ._loss_common import (
    apply_scale,
    check_element_weight,
    check_logits,
    check_mask,
    check_probability_target,
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
    focusing factor; this one does not), finite for every logit, and computed in the same fused
    pass as the loss (see :mod:`imbalance.torch.functional`).

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
    t = target if m is None else target.masked_fill(~m, 0)
    check_probability_target(t, owner)
    acc = opmath_dtype(logits.dtype)
    w = None if weight is None else weight.to(device=logits.device, dtype=acc)
    if w is not None:
        check_element_weight(w, owner)
    scale = elementwise_scale(logits, m, reduction)
    if target.requires_grad or (w is not None and w.requires_grad):
        loss = asymmetric_reference(logits, target, w, m, gamma_pos, gamma_neg, clip)
        return apply_scale(loss, scale).to(logits.dtype)
    w_eff = w if m is None else (m.to(acc) if w is None else w * m)
    gammas = torch.tensor([gamma_pos, gamma_neg], dtype=acc, device=logits.device)
    return FusedLoss.apply(asymmetric_kernel, logits, t, w_eff, gammas, clip, scale)


def asymmetric_reference(
    logits: Tensor,
    target: Tensor,
    w: Tensor | None,
    m: Tensor | None,
    gamma_pos: float,
    gamma_neg: float,
    clip: float,
) -> Tensor:
    """Per-element asymmetric loss through autograd (the formula as written), in opmath."""
    x = logits.to(opmath_dtype(logits.dtype))
    t = target.to(x.dtype) if m is None else torch.where(m, target.to(x.dtype), 0.0)
    log_p = F.logsigmoid(x)
    positive = t * torch.exp(gamma_pos * F.logsigmoid(-x)) * (-log_p)
    focus_neg, log_one_minus = _shifted_negative(x, gamma_neg, clip)
    loss = positive + (1.0 - t) * focus_neg * (-log_one_minus)
    if w is not None:
        loss = loss * w
    return loss if m is None else torch.where(m, loss, 0.0)


def asymmetric_kernel(
    x: Tensor,
    t: Tensor,
    w: Tensor | None,
    gammas: Tensor,
    clip: float,
    scale: Tensor | None,
    want_grad: bool,
) -> tuple[Tensor, Tensor | None]:
    """Loss and gradient in one pass (see :mod:`._fused`); ``gammas`` = (gamma_pos, gamma_neg).

    With the shifted probability ``q = p - clip > 0`` and ``v = 1 - q``, the negative term
    ``q**g * (-log v)`` has the derivative ``p * u * (g * q**(g - 1) * (-log v) + q**g / v)``;
    it and the term are 0 where ``p <= clip``.
    """
    g_pos, g_neg = gammas[0], gammas[1]
    xf, tf = x.to(gammas.dtype), t.to(gammas.dtype)
    e = xf.abs().neg_().exp_()
    l1 = torch.log1p(e)
    lp = xf.clamp(max=0.0).sub_(l1)  # log p
    ln = xf.neg().clamp_(max=0.0).sub_(l1)  # log(1 - p)
    p, u = lp.exp(), ln.exp()
    pos, neg = (tf, tf.neg().add_(1.0)) if w is None else (tf * w, tf.neg().add_(1.0).mul_(w))
    pos = pos * ln.mul(g_pos).exp_()  # times (1 - p) ** gamma_pos
    if clip > 0.0:
        q = (p - clip).clamp_(min=0.0)
        log_v = (u + clip).clamp_(max=1.0).log_()
        focus = q.pow(g_neg).mul_(q > 0)  # 0 ** 0 is 1, but the term is flat where q = 0
    else:
        q, log_v, focus = p, ln, lp.mul(g_neg).exp_()
    neg = neg.mul_(focus)
    loss = (pos * lp).addcmul_(neg, log_v).neg_()
    loss = loss if scale is None else loss.sum() * scale
    if not want_grad:
        return loss, None
    grad = (p * lp).mul_(-g_pos).add_(u).mul_(pos).neg_()
    if clip > 0.0:
        # neg already holds (1 - t) w q**g; q**(g - 1) = q**g / q where q > 0, else unused.
        ratio = log_v.neg().mul_(g_neg).div_(q.clamp(min=torch.finfo(q.dtype).tiny))
        ratio.add_(log_v.exp_().reciprocal_())
        grad.add_(neg.mul_(ratio).mul_(p * u))
    else:
        grad.add_((u * ln).mul_(-g_neg).add_(p).mul_(neg))
    if scale is not None:
        grad.mul_(scale)
    return loss, grad.to(x.dtype)


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
