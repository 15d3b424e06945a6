"""Fused losses (focal, asymmetric): one pass over the logits gives the loss and its gradient.

Autograd through the textbook formula keeps a dozen logits-sized intermediates and reads them
back in the backward pass. Here a custom :class:`torch.autograd.Function` computes the loss and
the gradient together in its forward pass (when the logits need a gradient) and keeps only the
gradient; the backward pass scales it by the incoming gradient, in place. The kernels are plain
tensor functions. When the tensors are large and :func:`torch.compile` works here (a C++
compiler on CPU, Triton on CUDA), they are compiled into one loop; otherwise, or if compiling
fails, they run eagerly, with the same results to float tolerance.

The choice is made per call and can be forced with the environment variable
``IMBALANCE_TORCH_COMPILE``: ``"auto"`` (the default: compile from ``COMPILE_MIN_NUMEL`` logits
up), ``"1"`` (always compile) or ``"0"`` (never).

The derivatives, with ``p = sigmoid(x)``, ``u = 1 - p``, ``lp = log p`` and ``ln = log u``:

- sigmoid focal, positive term ``u**g * (-lp)``: ``-u**g * (u - g * p * lp)``;
  negative term ``p**g * (-ln)``: ``p**g * (p - g * u * ln)``.
- softmax focal, ``f(l) = (1 - e**l)**g * (-l)`` of ``l = log_softmax(z)_c``:
  ``f'(l) = -(1 - e**l)**g * (1 - g * e**l * l / (1 - e**l))``, where ``l / (1 - e**l) -> -1``
  as ``l -> 0``; and ``d l_c / d z_j = [c == j] - p_j``.

Every factor is bounded, so the gradient is finite for any logit and any ``g >= 0``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor
from torch.autograd.function import FunctionCtx, once_differentiable

from ._loss_common import opmath_dtype

COMPILE_MIN_NUMEL = 1 << 20
"""Logits with at least this many elements use compiled kernels when ``"auto"``."""

_ENV = "IMBALANCE_TORCH_COMPILE"
_compiled: dict[Callable[..., Any], Callable[..., Any]] = {}
_failed: set[str] = set()


def sigmoid_focal_kernel(
    x: Tensor,
    t: Tensor,
    a_pos: Tensor,
    a_neg: Tensor,
    w: Tensor | None,
    gamma: Tensor,
    scale: Tensor | None,
    want_grad: bool,
) -> tuple[Tensor, Tensor | None]:
    """Loss (summed times ``scale``, or per element when ``scale`` is None) and its gradient.

    In-place steps only touch fresh intermediates, never ``x`` or ``t``: fewer allocations make
    the eager run faster, and the compiler fuses them all the same.
    """
    acc = opmath_dtype(x.dtype)
    xf, tf = x.to(acc), t.to(acc)
    e = xf.abs().neg_().exp_()  # exp(-|x|)
    l1 = torch.log1p(e)
    del e
    lp = xf.clamp(max=0.0).sub_(l1)  # log p
    ln = xf.neg().clamp_(max=0.0).sub_(l1)  # log(1 - p)
    del l1
    pos = tf * a_pos  # weight of the positive term, then times its focal factor
    neg = tf.neg().add_(1.0).mul_(a_neg)
    if w is not None:
        pos, neg = pos.mul_(w), neg.mul_(w)
    pos.mul_(ln.mul(gamma).exp_())  # (1 - p) ** gamma
    neg.mul_(lp.mul(gamma).exp_())  # p ** gamma
    loss = (pos * lp).addcmul_(neg, ln).neg_()
    loss = loss if scale is None else loss.sum() * scale
    if not want_grad:
        return loss, None
    p, u = lp.exp(), ln.exp()
    # d/dx = neg * (p - g u ln) - pos * (u - g p lp)
    grad = (u * ln).mul_(-gamma).add_(p).mul_(neg)
    grad.sub_((p * lp).mul_(-gamma).add_(u).mul_(pos))
    if scale is not None:
        grad.mul_(scale)
    return loss, grad.to(x.dtype)


def _focal_derivative(logp: Tensor, gamma: Tensor) -> tuple[Tensor, Tensor]:
    """``f(l)`` and ``f'(l)`` for ``f(l) = (1 - e**l)**g * (-l)``, finite at ``l = 0``.

    ``f'(l) = -(1 - p)**g * (1 - g * p * l / (1 - p))`` with ``p = e**l``. Where ``1 - p`` is 0,
    the ratio ``l / (1 - p)`` (whose limit is -1) is multiplied by ``g * 0**g = 0``, so the
    clamp that keeps it finite there changes nothing.
    """
    logp = logp.clamp(max=0.0)
    u = torch.expm1(logp).neg_()  # 1 - p
    factor = u.pow(gamma)
    ratio = logp / u.clamp(min=torch.finfo(u.dtype).tiny)
    df = ratio.mul_(u.neg_().add_(1.0)).mul_(-gamma).add_(1.0).mul_(factor).neg_()
    return logp.neg_().mul_(factor), df


def softmax_focal_index_kernel(
    z: Tensor,
    y: Tensor,
    valid: Tensor,
    a: Tensor | None,
    gamma: Tensor,
    scale: Tensor | None,
    want_grad: bool,
) -> tuple[Tensor, Tensor | None]:
    """Softmax focal loss of ``(M, C)`` logits against class indices ``y`` of shape ``(M,)``."""
    acc = opmath_dtype(z.dtype)
    zf = z.to(acc)
    lse = torch.logsumexp(zf, dim=1, keepdim=True)
    ly = zf.gather(1, y.unsqueeze(1)).sub_(lse).squeeze(1)
    f, df = _focal_derivative(ly, gamma)
    coef = valid.to(acc) if a is None else a[y] * valid
    loss = coef * f
    loss = loss if scale is None else loss.sum() * scale
    if not want_grad:
        return loss, None
    row = (coef * df).unsqueeze(1)
    if scale is not None:
        row = row * scale
    # d/dz_j = row * ([j == y] - p_j)
    grad = zf.sub(lse).exp_().mul_(row.neg())
    grad.scatter_add_(1, y.unsqueeze(1), row)
    return loss, grad.to(z.dtype)


def shifted_cross_entropy_kernel(
    z: Tensor,
    y: Tensor,
    valid: Tensor,
    a: Tensor | None,
    shift: Tensor | None,
    margin: Tensor | None,
    logit_scale: float,
    scale: Tensor | None,
    want_grad: bool,
) -> tuple[Tensor, Tensor | None]:
    """Cross-entropy of ``logit_scale * (z + shift - margin_y e_y)`` against class indices.

    ``shift`` (per class) gives the logit-adjusted and balanced-softmax losses, ``margin`` (per
    class, taken at the target) and ``logit_scale`` give LDAM; ``a`` weighs each row by its
    class. The gradient is ``logit_scale * a_y * (softmax_j - [j == y])``.
    """
    zf = z.to(opmath_dtype(z.dtype))
    if shift is not None:
        zf = zf + shift
    if margin is not None:
        zf = zf.scatter_add(1, y.unsqueeze(1), margin[y].neg().unsqueeze(1))
    if logit_scale != 1.0:
        zf = zf * logit_scale
    lse = torch.logsumexp(zf, dim=1, keepdim=True)
    log_py = zf.gather(1, y.unsqueeze(1)).sub_(lse).squeeze(1)
    coef = valid.to(zf.dtype) if a is None else a[y] * valid
    loss = coef * log_py.neg_()
    loss = loss if scale is None else loss.sum() * scale
    if not want_grad:
        return loss, None
    row = (coef * logit_scale).unsqueeze(1)
    if scale is not None:
        row = row * scale
    grad = zf.sub(lse).exp_().mul_(row)
    grad.scatter_add_(1, y.unsqueeze(1), row.neg())
    return loss, grad.to(z.dtype)


def softmax_focal_dense_kernel(
    z: Tensor, q: Tensor, a: Tensor | None, gamma: Tensor, scale: Tensor | None, want_grad: bool
) -> tuple[Tensor, Tensor | None]:
    """Softmax focal loss of ``(M, C)`` logits against per-class target weights ``q``."""
    acc = opmath_dtype(z.dtype)
    zf = z.to(acc)
    logp = zf - torch.logsumexp(zf, dim=1, keepdim=True)
    f, df = _focal_derivative(logp, gamma)
    qa = q.to(acc) if a is None else q.to(acc) * a
    loss = (qa * f).sum(dim=1)
    grad = None
    if want_grad:
        b = qa * df
        grad = b - torch.exp(logp) * b.sum(dim=1, keepdim=True)
        grad = (grad if scale is None else grad * scale).to(z.dtype)
    return (loss if scale is None else loss.sum() * scale), grad


def run_kernel(kernel: Callable[..., Any], numel: int, device: torch.device, *args: Any) -> Any:
    """Run ``kernel`` compiled when that is wanted and works, eagerly otherwise."""
    if not wants_compiled(numel, device):
        return kernel(*args)
    key = f"{kernel.__name__}:{device.type}"
    try:
        compiled = _compiled.get(kernel)
        if compiled is None:
            compiled = _compiled[kernel] = torch.compile(kernel, dynamic=None)
        return compiled(*args)
    except Exception as exc:  # any failure of the compiler stack: fall back, once, loudly
        _failed.add(key)
        warnings.warn(
            f"imbalance.torch could not compile {kernel.__name__} on {device.type} "
            f"({type(exc).__name__}: {str(exc)[:200]}); using eager kernels from now on. Set "
            f"{_ENV}=0 to skip compiling.",
            RuntimeWarning,
            stacklevel=4,
        )
        return kernel(*args)


def wants_compiled(numel: int, device: torch.device) -> bool:
    """Whether ``run_kernel`` tries compiled kernels for this size and device."""
    mode = os.environ.get(_ENV, "auto").strip().lower()
    if mode in ("0", "false", "no", "off", "never"):
        return False
    if torch.compiler.is_compiling() or any(k.endswith(f":{device.type}") for k in _failed):
        return False
    if mode in ("1", "true", "yes", "on", "always"):
        return True
    return numel >= COMPILE_MIN_NUMEL


class FusedLoss(torch.autograd.Function):
    """Loss whose gradient is computed in the forward pass by ``kernel``.

    ``apply(kernel, logits, *args)``: ``args`` are the kernel's arguments after the logits,
    ending with ``scale`` (``None`` for per-element losses); the kernel takes ``want_grad`` last
    and returns ``(loss, grad)``. Only the first-order gradient with respect to ``logits`` is
    defined; the other arguments get none.
    """

    @staticmethod
    def forward(ctx: FunctionCtx, kernel: Callable[..., Any], logits: Tensor, *args: Any) -> Tensor:
        want_grad = bool(ctx.needs_input_grad[1])  # type: ignore[attr-defined]
        # Detached: the compiler inspects ``.grad`` of non-leaf inputs, which warns.
        x = logits.detach()
        loss, grad = run_kernel(kernel, x.numel(), x.device, x, *args, want_grad)
        ctx.kernel, ctx.args, ctx.grad = kernel, args, grad  # type: ignore[attr-defined]
        ctx.save_for_backward(logits)
        return loss.to(logits.dtype)

    @staticmethod
    @once_differentiable
    def backward(ctx: Any, grad_out: Tensor) -> tuple[Any, ...]:
        grad = ctx.grad
        ctx.grad = None  # used once; a retained graph recomputes it
        if grad is None:
            x = ctx.saved_tensors[0].detach()
            _, grad = run_kernel(ctx.kernel, x.numel(), x.device, x, *ctx.args, True)
        if not _is_one(grad_out):
            grad = grad.mul_(grad_out if grad_out.ndim == 0 else _expand_like(grad_out, grad))
        return (None, grad) + (None,) * len(ctx.args)


def _is_one(grad_out: Tensor) -> bool:
    """The incoming gradient is a CPU scalar equal to 1 (no device sync, nothing to trace)."""
    if torch.compiler.is_compiling() or grad_out.device.type != "cpu" or grad_out.numel() != 1:
        return False
    return grad_out.item() == 1.0


def _expand_like(grad_out: Tensor, grad: Tensor) -> Tensor:
    """Per-row incoming gradient ``(M,)`` broadcast over the class dimension of ``(M, C)``."""
    return grad_out.unsqueeze(-1) if grad_out.ndim == grad.ndim - 1 else grad_out
