"""Loss modules (thin nn.Module wrappers over imbalance.torch.functional).

Each module checks its configuration once in ``__init__``, stores plain keyword arguments as
attributes (so ``skorch``'s ``criterion__gamma=...`` and grid searches work), keeps per-class
tensors as buffers (they follow ``.to(device)`` and the ``state_dict``) and has a one-line
``forward``. Losses that depend on the data take ``class_counts`` and offer
``from_targets(y)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, TypeVar

import numpy as np
import torch
from torch import Tensor, nn

from .._numeric import check_weights
from .._typing import Reduction
from ..exceptions import InvalidParameterError
from ..weights import weights_from_counts
from ._loss_asymmetric import asymmetric_loss
from ._loss_balanced import (
    class_balanced_weighted,
    drw_weights,
    ldam_margins,
    ldam_with_margins,
    log_prior,
    offset_cross_entropy,
    shift_logits,
)
from ._loss_common import (
    check_counts,
    check_int,
    check_real,
    check_reduction,
    counts_from_targets,
)
from ._loss_focal import sigmoid_focal_loss, softmax_focal_loss

__all__ = [
    "AsymmetricLoss",
    "BalancedSoftmaxLoss",
    "ClassBalancedLoss",
    "FocalLoss",
    "LDAMLoss",
    "LogitAdjustedLoss",
    "PostHocLogitAdjustment",
    "SoftmaxFocalLoss",
    "drw_weights",
]

PerClass = Sequence[float] | np.ndarray | Tensor
_T = TypeVar("_T", bound="_FromTargets")


def _class_buffer(
    values: Any, name: str, owner: str, *, high: float | None = None, all_zero: bool = False
) -> Tensor:
    """Per-class values as a float32 buffer, checked as weights (``<= high`` when given)."""
    raw = values.detach().cpu().numpy() if isinstance(values, Tensor) else values
    arr = check_weights(
        raw,
        f"The {name!r} parameter of {owner}",
        what_n="class",
        allow_all_zero=all_zero or high is not None,
        error=InvalidParameterError,
    )
    if arr.size == 0 or (high is not None and (arr > high).any()):
        allowed = "finite and >= 0" if high is None else f"in [0, {high:g}]"
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} must be 1-D with one value {allowed} per class. "
            f"Got {values!r} instead."
        )
    return torch.as_tensor(arr, dtype=torch.float32)


def _optional_buffer(
    values: Any, name: str, owner: str, *, all_zero: bool = False
) -> Tensor | None:
    return None if values is None else _class_buffer(values, name, owner, all_zero=all_zero)


class _FromTargets(nn.Module):
    """Shared ``from_targets`` of the modules built from ``class_counts``."""

    @classmethod
    def from_targets(cls: type[_T], y: Any, *, n_classes: int | None = None, **kwargs: Any) -> _T:
        """Build the loss from training targets instead of ``class_counts``.

        Parameters
        ----------
        y : Tensor, ndarray or list
            Class indices ``0 .. C-1`` (1-D), or a 0/1 indicator of shape ``(n_samples, C)``
            (one-hot, or multi-label: its positives per column are counted).
        n_classes : int, default=None
            Number of classes, when the largest ones may be absent from ``y`` (they then fail
            with a clear message, since a class without samples has no weight or margin).
        **kwargs
            The loss's other parameters.
        """
        counts = counts_from_targets(y, n_classes, cls.__name__)
        return cls([int(c) for c in counts], **kwargs)


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
            self.register_buffer("alpha", _class_buffer(alpha, "alpha", owner, high=1.0))
        self.register_buffer(
            "pos_weight", _optional_buffer(pos_weight, "pos_weight", owner, all_zero=True)
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
        self.register_buffer("alpha", _optional_buffer(alpha, "alpha", owner))

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


class ClassBalancedLoss(_FromTargets):
    """Class-balanced loss (Cui et al., 2019): effective-number weights on CE, BCE or focal.

    The module form of :func:`imbalance.torch.functional.class_balanced_loss`.

    Parameters
    ----------
    class_counts : sequence of shape (C,)
        Training samples per class (positives per label for multi-label targets).
    beta : float in [0, 1), default=0.999
        Effective-number parameter.
    loss_type : {"softmax", "sigmoid", "focal"}, default="softmax"
        The loss that is re-weighted.
    gamma : float >= 0, default=2.0
        Focusing parameter of ``"focal"``.
    ignore_index : int, default=-100
        Index targets equal to it are left out.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        ``'mean'`` divides by the number of kept rows (softmax) or elements (sigmoid, focal).

    Attributes
    ----------
    class_weight : Tensor buffer of shape (C,)
        ``weights_from_counts(class_counts, scheme="effective_number", beta=beta)``, float32.

    See Also
    --------
    imbalance.weights.weights_from_counts : The weights.

    References
    ----------
    .. [1] Y. Cui, M. Jia, T.-Y. Lin, Y. Song and S. Belongie, "Class-Balanced Loss Based on
       Effective Number of Samples", CVPR 2019.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import ClassBalancedLoss
    >>> criterion = ClassBalancedLoss.from_targets(torch.tensor([0] * 90 + [1] * 10), beta=0.99)
    >>> [round(w, 3) for w in criterion.class_weight.tolist()]
    [0.277, 1.723]
    """

    class_weight: Tensor

    def __init__(
        self,
        class_counts: PerClass,
        *,
        beta: float = 0.999,
        loss_type: Literal["softmax", "sigmoid", "focal"] = "softmax",
        gamma: float = 2.0,
        ignore_index: int = -100,
        reduction: Reduction = "mean",
    ) -> None:
        super().__init__()
        owner = type(self).__name__
        check_reduction(reduction, owner)
        if loss_type not in ("softmax", "sigmoid", "focal"):
            raise InvalidParameterError(
                f"The 'loss_type' parameter of {owner} must be 'softmax', 'sigmoid' or "
                f"'focal'. Got {loss_type!r} instead."
            )
        self.class_counts = class_counts
        self.beta = check_real(beta, "beta", owner, high=1.0, high_open=True)
        self.loss_type = loss_type
        self.gamma = check_real(gamma, "gamma", owner)
        self.ignore_index = check_int(ignore_index, "ignore_index", owner)
        self.reduction = reduction
        weights = weights_from_counts(
            check_counts(class_counts, owner), scheme="effective_number", beta=self.beta
        )
        self.register_buffer("class_weight", torch.as_tensor(weights, dtype=torch.float32))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        """Loss of ``(N, C, *)`` logits against class indices (or an indicator)."""
        return class_balanced_weighted(
            logits,
            target,
            self.class_weight,
            self.loss_type,
            self.gamma,
            self.ignore_index,
            self.reduction,
            type(self).__name__,
        )

    def extra_repr(self) -> str:
        return (
            f"n_classes={self.class_weight.numel()}, beta={self.beta}, "
            f"loss_type={self.loss_type!r}, reduction={self.reduction!r}"
        )


class LDAMLoss(_FromTargets):
    """Label-distribution-aware margin loss (Cao et al., 2019), ready for deferred re-weighting.

    The module form of :func:`imbalance.torch.functional.ldam_loss`. For LDAM-DRW, set the
    ``weight`` buffer each epoch: ``criterion.weight = drw_weights(counts, epoch,
    start_epoch=160).to(device)``.

    Parameters
    ----------
    class_counts : sequence of shape (C,)
        Training samples per class.
    max_margin : float > 0, default=0.5
        Margin of the rarest class.
    scale : float > 0, default=30.0
        Multiplies the adjusted logits (meant for cosine logits; use about 1 for raw logits).
    weight : sequence of shape (C,), default=None
        Class weights, as in ``CrossEntropyLoss``.
    ignore_index : int, default=-100
        Targets equal to it are left out.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        As in ``CrossEntropyLoss``.

    Attributes
    ----------
    margins : Tensor buffer of shape (C,)
        ``ldam_margins(class_counts, max_margin=max_margin)``, float32.
    weight : Tensor buffer of shape (C,) or None
        The class weights; reassign it to change them (deferred re-weighting).

    See Also
    --------
    drw_weights : The deferred re-weighting schedule.

    References
    ----------
    .. [1] K. Cao, C. Wei, A. Gaidon, N. Arechiga and T. Ma, "Learning Imbalanced Datasets with
       Label-Distribution-Aware Margin Loss", NeurIPS 2019.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import LDAMLoss, drw_weights
    >>> counts = [10000, 625, 16]
    >>> criterion = LDAMLoss(counts, max_margin=0.5, scale=1.0)
    >>> [round(m, 3) for m in criterion.margins.tolist()]
    [0.1, 0.2, 0.5]
    >>> for epoch in range(3):
    ...     criterion.weight = drw_weights(counts, epoch, start_epoch=2)
    >>> [round(w, 3) for w in criterion.weight.tolist()]
    [0.007, 0.077, 2.916]
    """

    margins: Tensor
    weight: Tensor | None

    def __init__(
        self,
        class_counts: PerClass,
        *,
        max_margin: float = 0.5,
        scale: float = 30.0,
        weight: PerClass | None = None,
        ignore_index: int = -100,
        reduction: Reduction = "mean",
    ) -> None:
        super().__init__()
        owner = type(self).__name__
        check_reduction(reduction, owner)
        self.class_counts = class_counts
        self.max_margin = check_real(max_margin, "max_margin", owner, low_open=True)
        self.scale = check_real(scale, "scale", owner, low_open=True)
        self.ignore_index = check_int(ignore_index, "ignore_index", owner)
        self.reduction = reduction
        margins = ldam_margins(check_counts(class_counts, owner), max_margin=self.max_margin)
        self.register_buffer("margins", margins.to(torch.float32))
        self.register_buffer("weight", _optional_buffer(weight, "weight", owner))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        """Loss of ``(N, C, *)`` logits against class indices."""
        return ldam_with_margins(
            logits,
            target,
            self.margins,
            self.scale,
            self.weight,
            self.ignore_index,
            self.reduction,
            type(self).__name__,
        )

    def extra_repr(self) -> str:
        return (
            f"n_classes={self.margins.numel()}, max_margin={self.max_margin}, "
            f"scale={self.scale}, reduction={self.reduction!r}"
        )


class LogitAdjustedLoss(_FromTargets):
    """Logit-adjusted cross-entropy (Menon et al., 2021): the CE of ``z + tau * log(prior)``.

    The module form of :func:`imbalance.torch.functional.logit_adjusted_loss`.

    Parameters
    ----------
    class_counts : sequence of shape (C,)
        Training samples per class.
    tau : float >= 0, default=1.0
        Strength of the adjustment.
    weight : sequence of shape (C,), default=None
        Class weights, as in ``CrossEntropyLoss``.
    ignore_index : int, default=-100
        Targets equal to it are left out.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        As in ``CrossEntropyLoss``.

    Attributes
    ----------
    logit_offsets : Tensor buffer of shape (C,)
        ``tau * log(class_counts / sum(class_counts))``, float32.
    weight : Tensor buffer of shape (C,) or None
        The class weights.

    See Also
    --------
    PostHocLogitAdjustment : The same correction applied after training.
    BalancedSoftmaxLoss : The same loss at ``tau=1``.

    References
    ----------
    .. [1] A. K. Menon, S. Jayasumana, A. S. Rawat, H. Jain, A. Veit and S. Kumar, "Long-tail
       learning via logit adjustment", ICLR 2021.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import LogitAdjustedLoss
    >>> criterion = LogitAdjustedLoss([3, 1], tau=1.0)
    >>> [round(v, 4) for v in criterion.logit_offsets.tolist()]
    [-0.2877, -1.3863]
    """

    logit_offsets: Tensor
    weight: Tensor | None

    def __init__(
        self,
        class_counts: PerClass,
        *,
        tau: float = 1.0,
        weight: PerClass | None = None,
        ignore_index: int = -100,
        reduction: Reduction = "mean",
    ) -> None:
        super().__init__()
        owner = type(self).__name__
        check_reduction(reduction, owner)
        self.class_counts = class_counts
        self.tau = check_real(tau, "tau", owner)
        self.ignore_index = check_int(ignore_index, "ignore_index", owner)
        self.reduction = reduction
        self.register_buffer(
            "logit_offsets", log_prior(check_counts(class_counts, owner), self.tau)
        )
        self.register_buffer("weight", _optional_buffer(weight, "weight", owner))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        """Loss of ``(N, C, *)`` logits against class indices or probabilities."""
        return offset_cross_entropy(
            logits,
            target,
            self.logit_offsets,
            self.weight,
            self.ignore_index,
            self.reduction,
            type(self).__name__,
        )

    def extra_repr(self) -> str:
        return (
            f"n_classes={self.logit_offsets.numel()}, tau={self.tau}, reduction={self.reduction!r}"
        )


class BalancedSoftmaxLoss(_FromTargets):
    """Balanced softmax cross-entropy (Ren et al., 2020): the CE of ``z + log(counts)``.

    The module form of :func:`imbalance.torch.functional.balanced_softmax_loss`; equal to
    ``LogitAdjustedLoss(class_counts, tau=1.0)``.

    Parameters
    ----------
    class_counts : sequence of shape (C,)
        Training samples per class.
    weight : sequence of shape (C,), default=None
        Class weights, as in ``CrossEntropyLoss``.
    ignore_index : int, default=-100
        Targets equal to it are left out.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        As in ``CrossEntropyLoss``.

    Attributes
    ----------
    logit_offsets : Tensor buffer of shape (C,)
        ``log(class_counts / sum(class_counts))``, float32 (a constant shift of
        ``log(class_counts)``, which the softmax ignores).
    weight : Tensor buffer of shape (C,) or None
        The class weights.

    See Also
    --------
    LogitAdjustedLoss : With a tunable strength ``tau``.

    References
    ----------
    .. [1] J. Ren, C. Yu, S. Sheng, X. Ma, H. Zhao, S. Yi and H. Li, "Balanced Meta-Softmax for
       Long-Tailed Visual Recognition", NeurIPS 2020.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import BalancedSoftmaxLoss
    >>> criterion = BalancedSoftmaxLoss.from_targets([0, 0, 0, 1])
    >>> logits = torch.tensor([[2.0, 0.0], [0.0, 1.0]])
    >>> round(criterion(logits, torch.tensor([0, 1])).item(), 4)
    0.3939
    """

    logit_offsets: Tensor
    weight: Tensor | None

    def __init__(
        self,
        class_counts: PerClass,
        *,
        weight: PerClass | None = None,
        ignore_index: int = -100,
        reduction: Reduction = "mean",
    ) -> None:
        super().__init__()
        owner = type(self).__name__
        check_reduction(reduction, owner)
        self.class_counts = class_counts
        self.ignore_index = check_int(ignore_index, "ignore_index", owner)
        self.reduction = reduction
        self.register_buffer("logit_offsets", log_prior(check_counts(class_counts, owner), 1.0))
        self.register_buffer("weight", _optional_buffer(weight, "weight", owner))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        """Loss of ``(N, C, *)`` logits against class indices or probabilities."""
        return offset_cross_entropy(
            logits,
            target,
            self.logit_offsets,
            self.weight,
            self.ignore_index,
            self.reduction,
            type(self).__name__,
        )

    def extra_repr(self) -> str:
        return f"n_classes={self.logit_offsets.numel()}, reduction={self.reduction!r}"


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


class PostHocLogitAdjustment(_FromTargets):
    """Post-hoc logit adjustment (Menon et al., 2021) as a layer: ``z - tau * log(prior)``.

    Append it to a model trained with plain cross-entropy on imbalanced data (e.g.
    ``nn.Sequential(model, PostHocLogitAdjustment(counts))``) so that the ``argmax`` of its
    output targets the balanced error. It has no parameters to train. The module form of
    :func:`imbalance.torch.functional.adjust_logits`.

    Parameters
    ----------
    class_counts : sequence of shape (C,)
        Training samples per class.
    tau : float >= 0, default=1.0
        Strength of the adjustment; tune it on a balanced validation set.

    Attributes
    ----------
    logit_offsets : Tensor buffer of shape (C,)
        ``tau * log(class_counts / sum(class_counts))``, float32; subtracted from the logits.

    See Also
    --------
    LogitAdjustedLoss : The same correction built into training.

    References
    ----------
    .. [1] A. K. Menon, S. Jayasumana, A. S. Rawat, H. Jain, A. Veit and S. Kumar, "Long-tail
       learning via logit adjustment", ICLR 2021.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import PostHocLogitAdjustment
    >>> adjust = PostHocLogitAdjustment([900, 100], tau=1.0)
    >>> adjust(torch.tensor([[1.0, 0.0]])).argmax(dim=1).tolist()
    [1]
    """

    logit_offsets: Tensor

    def __init__(self, class_counts: PerClass, *, tau: float = 1.0) -> None:
        super().__init__()
        owner = type(self).__name__
        self.class_counts = class_counts
        self.tau = check_real(tau, "tau", owner)
        self.register_buffer(
            "logit_offsets", log_prior(check_counts(class_counts, owner), self.tau)
        )

    def forward(self, logits: Tensor) -> Tensor:
        """The adjusted logits, same shape and dtype (classes along dim 1, or dim 0 if 1-D)."""
        return shift_logits(logits, -self.logit_offsets)

    def extra_repr(self) -> str:
        return f"n_classes={self.logit_offsets.numel()}, tau={self.tau}"
