"""Loss modules that focus on hard examples (thin nn.Module wrappers over the functions).

Each module checks its configuration once in ``__init__``, stores plain keyword arguments as
attributes (so ``skorch``'s ``criterion__gamma=...`` and grid searches work), keeps per-class
tensors as buffers (they follow ``.to(device)`` and the ``state_dict``) and has a one-line
``forward``. The losses built from class counts are in ``_losses_counts``.
"""

from __future__ import annotations

from torch import Tensor, nn

from .._typing import Reduction
from ._loss_asymmetric import asymmetric_loss
from ._loss_balanced import drw_weights
from ._loss_common import check_int, check_real, check_reduction
from ._loss_focal import sigmoid_focal_loss, softmax_focal_loss
from ._module_base import PerClass, class_buffer, optional_buffer

__all__ = ["AsymmetricLoss", "FocalLoss", "SoftmaxFocalLoss", "drw_weights"]


class FocalLoss(nn.Module):
    """Sigmoid focal loss for binary and multi-label targets.

    The module form of :func:`imbalance.torch.functional.sigmoid_focal_loss` (see it for the
    formula): finite at any logit, soft targets allowed, ``gamma=0`` with ``alpha=None`` is
    ``BCEWithLogitsLoss``.

    Parameters
    ----------
    alpha : float in [0, 1], or sequence of shape (n_labels,), default=None
        Weight of the positive term (``1 - alpha`` of the negative one), per label if a
        sequence. ``None`` weighs both terms by 1.
    gamma : float >= 0, default=2.0
        Focusing parameter.
    pos_weight : sequence of shape (n_labels,), default=None
        Extra weight of positives per label, as in ``BCEWithLogitsLoss``; e.g.
        ``imbalance.weights.pos_weight(Y_train)``.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        ``'mean'`` averages over the elements kept by ``mask``.

    Attributes
    ----------
    alpha : float, None or Tensor buffer of shape (n_labels,)
        As given (a sequence becomes a float32 buffer).
    pos_weight : Tensor buffer of shape (n_labels,) or None
        As given, float32.

    See Also
    --------
    SoftmaxFocalLoss : For one class per sample among C.
    AsymmetricLoss : Different focusing for positives and negatives.

    References
    ----------
    .. [1] T.-Y. Lin, P. Goyal, R. Girshick, K. He and P. Dollár, "Focal Loss for Dense Object
       Detection", ICCV 2017.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import FocalLoss
    >>> criterion = FocalLoss(gamma=2.0, pos_weight=[4.0, 1.0])
    >>> logits = torch.tensor([[1.5, -0.5], [-1.0, 2.0]], requires_grad=True)
    >>> loss = criterion(logits, torch.tensor([[1.0, 0.0], [1.0, 1.0]]))
    >>> loss.backward()
    >>> round(loss.item(), 4)
    0.7259
    """

    alpha: float | Tensor | None
    pos_weight: Tensor | None

    def __init__(
        self,
        *,
        alpha: float | PerClass | None = None,
        gamma: float = 2.0,
        pos_weight: PerClass | None = None,
        reduction: Reduction = "mean",
    ) -> None:
        super().__init__()
        owner = type(self).__name__
        check_reduction(reduction, owner)
        self.gamma = check_real(gamma, "gamma", owner)
        self.reduction = reduction
        if alpha is None or (isinstance(alpha, int | float) and not isinstance(alpha, bool)):
            self.alpha = None if alpha is None else check_real(alpha, "alpha", owner, high=1.0)
        else:
            self.register_buffer("alpha", class_buffer(alpha, "alpha", owner, high=1.0))
        self.register_buffer(
            "pos_weight", optional_buffer(pos_weight, "pos_weight", owner, all_zero=True)
        )

    def forward(
        self,
        logits: Tensor,
        target: Tensor,
        weight: Tensor | None = None,
        mask: Tensor | None = None,
    ) -> Tensor:
        """Loss of ``logits`` against ``target`` (same shape); see the class docstring."""
        return sigmoid_focal_loss(
            logits,
            target,
            alpha=self.alpha,
            gamma=self.gamma,
            pos_weight=self.pos_weight,
            weight=weight,
            mask=mask,
            reduction=self.reduction,
        )

    def extra_repr(self) -> str:
        alpha = self.alpha if not isinstance(self.alpha, Tensor) else "<per label>"
        return f"alpha={alpha}, gamma={self.gamma}, reduction={self.reduction!r}"


class SoftmaxFocalLoss(nn.Module):
    """Softmax focal loss for multi-class targets, ``(N, C, *)`` logits.

    The module form of :func:`imbalance.torch.functional.softmax_focal_loss`: the focal factor
    uses the unweighted probability; ``alpha`` weighs classes as ``CrossEntropyLoss(weight=)``;
    ``gamma=0`` is ``CrossEntropyLoss``.

    Parameters
    ----------
    alpha : sequence of shape (C,), default=None
        Class weights, e.g. ``imbalance.weights.weights_from_counts(counts)``.
    gamma : float >= 0, default=2.0
        Focusing parameter.
    label_smoothing : float in [0, 1), default=0.0
        As in ``CrossEntropyLoss``.
    ignore_index : int, default=-100
        Targets equal to it are left out of the loss and of the mean.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        As in ``CrossEntropyLoss``.

    Attributes
    ----------
    alpha : Tensor buffer of shape (C,) or None
        The class weights, float32.

    See Also
    --------
    FocalLoss : The sigmoid (binary, multi-label) focal loss.
    ClassBalancedLoss : Effective-number class weights.

    References
    ----------
    .. [1] T.-Y. Lin, P. Goyal, R. Girshick, K. He and P. Dollár, "Focal Loss for Dense Object
       Detection", ICCV 2017.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import SoftmaxFocalLoss
    >>> from imbalance.weights import weights_from_counts
    >>> criterion = SoftmaxFocalLoss(alpha=weights_from_counts([80, 15, 5]), gamma=2.0)
    >>> logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
    >>> round(criterion(logits, torch.tensor([0, 2])).item(), 4)
    0.0018
    """

    alpha: Tensor | None

    def __init__(
        self,
        *,
        alpha: PerClass | None = None,
        gamma: float = 2.0,
        label_smoothing: float = 0.0,
        ignore_index: int = -100,
        reduction: Reduction = "mean",
    ) -> None:
        super().__init__()
        owner = type(self).__name__
        check_reduction(reduction, owner)
        self.gamma = check_real(gamma, "gamma", owner)
        self.label_smoothing = check_real(
            label_smoothing, "label_smoothing", owner, high=1.0, high_open=True
        )
        self.ignore_index = check_int(ignore_index, "ignore_index", owner)
        self.reduction = reduction
        self.register_buffer("alpha", optional_buffer(alpha, "alpha", owner))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        """Loss of ``(N, C, *)`` logits against class indices or probabilities."""
        return softmax_focal_loss(
            logits,
            target,
            alpha=self.alpha,
            gamma=self.gamma,
            label_smoothing=self.label_smoothing,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
        )

    def extra_repr(self) -> str:
        return (
            f"gamma={self.gamma}, label_smoothing={self.label_smoothing}, "
            f"reduction={self.reduction!r}"
        )


class AsymmetricLoss(nn.Module):
    """Asymmetric loss for multi-label classification (Ridnik et al., 2021).

    The module form of :func:`imbalance.torch.functional.asymmetric_loss`.

    Parameters
    ----------
    gamma_pos : float >= 0, default=0.0
        Focusing parameter of the positives.
    gamma_neg : float >= 0, default=4.0
        Focusing parameter of the negatives.
    clip : float in [0, 1), default=0.05
        Probability margin of the negatives.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        ``'mean'`` averages over the elements kept by ``mask``.

    See Also
    --------
    FocalLoss : The symmetric sigmoid focal loss.

    References
    ----------
    .. [1] T. Ridnik, E. Ben-Baruch, N. Zamir, A. Noy, I. Friedman, M. Protter and
       L. Zelnik-Manor, "Asymmetric Loss For Multi-Label Classification", ICCV 2021.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import AsymmetricLoss
    >>> criterion = AsymmetricLoss(gamma_neg=4.0, clip=0.05)
    >>> logits = torch.tensor([[2.0, -3.0, 0.0]])
    >>> round(criterion(logits, torch.tensor([[1.0, 0.0, 0.0]])).item(), 4)
    0.0505
    """

    def __init__(
        self,
        *,
        gamma_pos: float = 0.0,
        gamma_neg: float = 4.0,
        clip: float = 0.05,
        reduction: Reduction = "mean",
    ) -> None:
        super().__init__()
        owner = type(self).__name__
        check_reduction(reduction, owner)
        self.gamma_pos = check_real(gamma_pos, "gamma_pos", owner)
        self.gamma_neg = check_real(gamma_neg, "gamma_neg", owner)
        self.clip = check_real(clip, "clip", owner, high=1.0, high_open=True)
        self.reduction = reduction

    def forward(
        self,
        logits: Tensor,
        target: Tensor,
        weight: Tensor | None = None,
        mask: Tensor | None = None,
    ) -> Tensor:
        """Loss of ``logits`` against ``target`` (same shape)."""
        return asymmetric_loss(
            logits,
            target,
            gamma_pos=self.gamma_pos,
            gamma_neg=self.gamma_neg,
            clip=self.clip,
            weight=weight,
            mask=mask,
            reduction=self.reduction,
        )

    def extra_repr(self) -> str:
        return (
            f"gamma_pos={self.gamma_pos}, gamma_neg={self.gamma_neg}, clip={self.clip}, "
            f"reduction={self.reduction!r}"
        )
