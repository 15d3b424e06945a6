"""Losses for imbalanced data as pure functions: ``loss(logits, target, *, ..., reduction)``.

The ``nn.Module`` forms live in :mod:`imbalance.torch`. Every function validates ``reduction``
(``'none'``, ``'mean'`` or ``'sum'``) and its parameters before any maths, computes float16 and
bfloat16 inputs in float32 and returns the input dtype, and has a finite gradient at any logit.

**Finite values.** The loss is finite whenever its true value fits in the logits' dtype. float16
holds at most 65504: a per-row loss above that (a logit gap over about 65504, or about
``65504 / scale`` for LDAM) or a ``'sum'`` above it is ``inf`` in float16, because no float16
number is that large; the gradient stays finite. ``'mean'`` is reduced in float32 first, so it is
finite whenever the mean fits. Use bfloat16 or float32 logits (or ``'mean'``) where losses get
that large.

**Targets.** One check per kind of target, shared by every loss, raises
:class:`~imbalance.exceptions.InvalidDataError` with what to do:

- per-element targets (sigmoid focal, asymmetric, class-balanced ``"sigmoid"`` / ``"focal"``
  with an indicator): a real or bool tensor of the logits' shape, values in ``[0, 1]`` (NaN
  refused; masked elements may hold anything);
- softmax targets (softmax focal, class-balanced ``"softmax"``, LDAM, logit-adjusted, balanced
  softmax): integer class indices in ``[0, C)`` or ``ignore_index``, or per-class probabilities
  of the logits' shape in ``[0, 1]``;
- weights (``weight``, ``pos_weight``, ``alpha``): finite and ``>= 0``; class weights that
  divide ``'mean'`` must not be all 0.

The value checks are one ``aminmax`` pass on CPU tensors. On an accelerator they would cost a
device sync per call, so there values are not checked (out-of-range class indices then fail in
torch's kernels with a device-side assertion); inside :func:`torch.compile` they are skipped
too. A batch whose every target is ``ignore_index`` gives NaN with ``'mean'`` (0 / 0), as
:func:`torch.nn.functional.cross_entropy` does.

==================================  ===========================================================
Function                            Loss
==================================  ===========================================================
:func:`sigmoid_focal_loss`          focal loss on sigmoids: binary, multi-label, soft targets
:func:`softmax_focal_loss`          focal loss on a softmax: multi-class, ``(N, C, *)`` logits
:func:`asymmetric_loss`             asymmetric focusing and probability shift, multi-label
:func:`class_balanced_loss`         effective-number weights on CE, BCE or focal
:func:`ldam_loss`                   label-distribution-aware margins (with DRW weights)
:func:`logit_adjusted_loss`         cross-entropy of ``z + tau * log(prior)``
:func:`balanced_softmax_loss`       cross-entropy of ``z + log(counts)``
:func:`adjust_logits`               post-hoc logit adjustment of a trained model's scores
:func:`ldam_margins`                the LDAM margin of each class
:func:`weighted_mse_loss`           regression: squared error with per-row weights (e.g. LDS)
:func:`weighted_l1_loss`            regression: absolute error with per-row weights
:func:`focal_regression_loss`       regression: focal-R (focal-L1 / focal-MSE)
:func:`balanced_mse_loss`           regression: Balanced MSE (BMC, GAI, BNI)
==================================  ===========================================================

The regression losses take predictions and continuous targets of one shape (``(N,)`` against
``(N, 1)`` is accepted; other shape differences are refused rather than broadcast) and refuse
NaN or infinite targets on CPU tensors.

The focal and asymmetric losses take a fused path: one pass computes the loss and its gradient,
and only the gradient is kept for the backward pass (first-order gradients only). Large inputs are
compiled with :func:`torch.compile` when it works on the machine (from ``2**20`` logits); there
the cross-entropy family (logit-adjusted, balanced softmax, LDAM, class-balanced) with class-index
targets runs one fused kernel too. The environment variable ``IMBALANCE_TORCH_COMPILE`` set to
``0`` or ``1`` turns compiling off or on for every size.
"""

from __future__ import annotations

from ._loss_asymmetric import asymmetric_loss
from ._loss_balanced import class_balanced_loss, ldam_loss, ldam_margins
from ._loss_balanced_mse import balanced_mse_loss
from ._loss_focal import sigmoid_focal_loss, softmax_focal_loss
from ._loss_prior import adjust_logits, balanced_softmax_loss, logit_adjusted_loss
from ._loss_regression import focal_regression_loss, weighted_l1_loss, weighted_mse_loss

__all__ = [
    "adjust_logits",
    "asymmetric_loss",
    "balanced_mse_loss",
    "balanced_softmax_loss",
    "class_balanced_loss",
    "focal_regression_loss",
    "ldam_loss",
    "ldam_margins",
    "logit_adjusted_loss",
    "sigmoid_focal_loss",
    "softmax_focal_loss",
    "weighted_l1_loss",
    "weighted_mse_loss",
]
