"""Loss modules built from class counts (thin nn.Module wrappers over the functions).

Class-balanced, LDAM, logit-adjusted and balanced-softmax losses and post-hoc logit adjustment:
each takes ``class_counts`` and offers ``from_targets(y)``; like every loss module it checks its
configuration once in ``__init__``, keeps per-class tensors as buffers and has a one-line
``forward``.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import Tensor

from .._typing import Reduction
from ..exceptions import InvalidParameterError
from ..weights import weights_from_counts
from ._loss_balanced import class_balanced_weighted, ldam_margins, ldam_with_margins
from ._loss_common import check_counts, check_int, check_real, check_reduction
from ._loss_prior import log_prior, offset_cross_entropy, shift_logits
from ._module_base import FromTargets, PerClass, optional_buffer

__all__ = [
    "BalancedSoftmaxLoss",
    "ClassBalancedLoss",
    "LDAMLoss",
    "LogitAdjustedLoss",
    "PostHocLogitAdjustment",
]


class ClassBalancedLoss(FromTargets):
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


class LDAMLoss(FromTargets):
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
        self.register_buffer("weight", optional_buffer(weight, "weight", owner))

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


class LogitAdjustedLoss(FromTargets):
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
        self.register_buffer("weight", optional_buffer(weight, "weight", owner))

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


class BalancedSoftmaxLoss(FromTargets):
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
        self.register_buffer("weight", optional_buffer(weight, "weight", owner))

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


class PostHocLogitAdjustment(FromTargets):
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
