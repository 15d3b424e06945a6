"""Weighted and focal-R regression losses (Yang et al., 2021), and the checks of a regression pair.

A regression loss compares predictions with targets of the same shape. The shared check here
accepts ``(N,)`` against ``(N, 1)`` (the usual model output against a label vector) and refuses
any other shape difference, which ``torch.nn.functional.mse_loss`` would broadcast to an
``(N, N)`` matrix of every prediction against every target.
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import Tensor

from .._typing import Reduction
from ..exceptions import InvalidDataError, InvalidParameterError
from ._loss_common import check_element_weight, check_real, check_reduction, opmath_dtype

__all__ = [
    "check_regression_pair",
    "focal_regression_loss",
    "reduce",
    "row_weight",
    "weighted_l1_loss",
    "weighted_mse_loss",
]

Activation = Literal["sigmoid", "tanh"]


def check_regression_pair(pred: Tensor, target: Tensor, owner: str) -> Tensor:
    """``target`` shaped as ``pred``, after checking both; finite targets on CPU tensors.

    ``pred`` must be a floating tensor; ``target`` a real tensor of the same shape, or ``(N,)``
    against ``(N, 1)`` either way. NaN and infinite targets are refused where the check costs
    no device sync (CPU tensors outside :func:`torch.compile`).
    """
    if not isinstance(pred, Tensor) or not pred.is_floating_point():
        got = pred.dtype if isinstance(pred, Tensor) else type(pred).__name__
        raise InvalidDataError(
            f"{owner} needs floating-point predictions (a torch.Tensor of float16, bfloat16, "
            f"float32 or float64); got {got}."
        )
    if not isinstance(target, Tensor) or target.is_complex() or target.dtype == torch.bool:
        got = target.dtype if isinstance(target, Tensor) else type(target).__name__
        raise InvalidDataError(
            f"{owner} needs target as a real torch.Tensor of continuous values; got {got}. "
            "Use torch.as_tensor(y, dtype=torch.float32)."
        )
    if target.shape != pred.shape:
        column = {tuple(target.shape), tuple(pred.shape)}
        n = pred.shape[0] if pred.ndim else 0
        if pred.ndim and column == {(n,), (n, 1)}:
            target = target.reshape(pred.shape)
        else:
            raise InvalidDataError(
                f"{owner} got predictions of shape {tuple(pred.shape)} and target of shape "
                f"{tuple(target.shape)}; give one target per prediction (same shape, or (N,) "
                "against (N, 1)). Broadcasting them would compare every prediction with every "
                "target."
            )
    if target.device.type == "cpu" and target.numel() and not torch.compiler.is_compiling():
        finite = torch.isfinite(target.detach())
        if not bool(finite.all()):
            first = int((~finite).reshape(-1).nonzero()[0, 0])
            raise InvalidDataError(
                f"{owner} needs finite targets; target holds "
                f"{target.reshape(-1)[first].item()!r} at flat position {first}. Drop those "
                "rows or impute the target."
            )
    return target


def row_weight(weight: Tensor | None, pred: Tensor, owner: str) -> Tensor | None:
    """Per-row (``(N,)``) or per-element weights, viewed to broadcast over ``pred``."""
    if weight is None:
        return None
    if not isinstance(weight, Tensor):
        weight = torch.as_tensor(weight)
    w = weight.to(device=pred.device, dtype=opmath_dtype(pred.dtype))
    n = pred.shape[0] if pred.ndim else 1
    if w.shape != pred.shape:
        if pred.ndim and w.numel() == n and w.ndim in (1, 2) and w.shape[0] == n:
            w = w.reshape((n,) + (1,) * (pred.ndim - 1))
        else:
            raise InvalidDataError(
                f"{owner} got weight of shape {tuple(weight.shape)} for predictions of shape "
                f"{tuple(pred.shape)}; give one weight per row, shape ({n},), or one per "
                "element, the predictions' shape."
            )
    check_element_weight(w, owner)
    return w


def reduce(loss: Tensor, reduction: Reduction, dtype: torch.dtype) -> Tensor:
    """``'none'`` keeps the elements, ``'mean'`` averages them, ``'sum'`` adds them up."""
    if reduction == "mean":
        loss = loss.mean()
    elif reduction == "sum":
        loss = loss.sum()
    return loss.to(dtype)


def weighted_mse_loss(
    pred: Tensor,
    target: Tensor,
    *,
    weight: Tensor | None = None,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Squared error with a weight per row: :math:`\ell_i = w_i\,(\hat y_i - y_i)^2`.

    With ``weight=None`` this is :func:`torch.nn.functional.mse_loss`. ``'mean'`` divides the
    weighted sum by the number of elements (not by the sum of the weights), as the weighted
    losses of Yang et al. (2021) do; weights of mean 1, such as
    :func:`imbalance.regression.lds_weights`, keep the loss on the scale of the plain MSE.

    Parameters
    ----------
    pred : Tensor of shape (N,) or (N, *)
        Predictions.
    target : Tensor of the same shape
        Continuous targets (finite); ``(N,)`` is accepted against ``(N, 1)`` predictions.
    weight : Tensor of shape (N,) or the shape of ``pred``, default=None
        Weight of each row (or element): finite and ``>= 0``. E.g. the rows' entries of
        ``lds_weights(y_train)`` or ``density_weights(y_train)``.
    reduction : {'none', 'mean', 'sum'}, default='mean'

    Returns
    -------
    loss : Tensor
        A scalar, or the shape of ``pred`` for ``reduction='none'``; in ``pred``'s dtype.

    See Also
    --------
    imbalance.torch.WeightedMSELoss : The module form.
    focal_regression_loss : Focal-R, which also down-weighs the small errors.

    References
    ----------
    .. [1] Y. Yang, K. Zha, Y.-C. Chen, H. Wang and D. Katabi, "Delving into Deep Imbalanced
       Regression", ICML 2021.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch.functional import weighted_mse_loss
    >>> pred, target = torch.tensor([1.0, 2.0, 5.0]), torch.tensor([1.5, 2.0, 3.0])
    >>> weighted_mse_loss(pred, target, weight=torch.tensor([1.0, 1.0, 2.0])).item()
    2.75
    """
    return _weighted_error(pred, target, weight, reduction, "weighted_mse_loss", squared=True)


def weighted_l1_loss(
    pred: Tensor,
    target: Tensor,
    *,
    weight: Tensor | None = None,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Absolute error with a weight per row: :math:`\ell_i = w_i\,|\hat y_i - y_i|`.

    With ``weight=None`` this is :func:`torch.nn.functional.l1_loss`; ``'mean'`` divides by the
    number of elements, as in :func:`weighted_mse_loss`.

    Parameters
    ----------
    pred : Tensor of shape (N,) or (N, *)
        Predictions.
    target : Tensor of the same shape
        Continuous targets (finite); ``(N,)`` is accepted against ``(N, 1)`` predictions.
    weight : Tensor of shape (N,) or the shape of ``pred``, default=None
        Weight of each row (or element): finite and ``>= 0``.
    reduction : {'none', 'mean', 'sum'}, default='mean'

    Returns
    -------
    loss : Tensor
        A scalar, or the shape of ``pred`` for ``reduction='none'``; in ``pred``'s dtype.

    See Also
    --------
    imbalance.torch.WeightedL1Loss : The module form.

    References
    ----------
    .. [1] Y. Yang, K. Zha, Y.-C. Chen, H. Wang and D. Katabi, "Delving into Deep Imbalanced
       Regression", ICML 2021.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch.functional import weighted_l1_loss
    >>> pred, target = torch.tensor([1.0, 2.0, 5.0]), torch.tensor([1.5, 2.0, 3.0])
    >>> weighted_l1_loss(pred, target, weight=torch.tensor([1.0, 1.0, 2.0])).item()
    1.5
    """
    return _weighted_error(pred, target, weight, reduction, "weighted_l1_loss", squared=False)


def _weighted_error(
    pred: Tensor,
    target: Tensor,
    weight: Tensor | None,
    reduction: Reduction,
    owner: str,
    *,
    squared: bool,
) -> Tensor:
    """The checks and the weighted, reduced squared or absolute error of both losses above."""
    check_reduction(reduction, owner)
    target = check_regression_pair(pred, target, owner)
    w = row_weight(weight, pred, owner)
    acc = opmath_dtype(pred.dtype)
    error = pred.to(acc) - target.to(acc)
    loss = error.square() if squared else error.abs()
    return reduce(loss if w is None else loss * w, reduction, pred.dtype)


def focal_regression_loss(
    pred: Tensor,
    target: Tensor,
    *,
    loss: Literal["l1", "mse"] = "l1",
    activation: Activation = "sigmoid",
    beta: float = 0.2,
    gamma: float = 1.0,
    weight: Tensor | None = None,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Focal-R (Yang et al., 2021): the L1 or squared error scaled by how large it is.

    With :math:`e = |\hat y - y|`, the error :math:`\ell_0` (:math:`e` for ``loss='l1'``,
    :math:`e^2` for ``'mse'``) is multiplied by a factor in :math:`[0, 1)` that grows with
    :math:`e`, so rows that are already fitted weigh little:

    .. math::
        \ell = w\,\ell_0\, f(e)^\gamma,\qquad f(e) = 2\,\sigma(\beta e) - 1
        \ \text{(sigmoid)}\quad\text{or}\quad f(e) = \tanh(\beta e)\ \text{(tanh)},

    the continuous counterpart of the focal loss. ``gamma=0`` gives the (weighted) L1 or
    squared error. The factor and its gradient are finite at :math:`e = 0` for every
    ``gamma >= 0``.

    Parameters
    ----------
    pred : Tensor of shape (N,) or (N, *)
        Predictions.
    target : Tensor of the same shape
        Continuous targets (finite); ``(N,)`` is accepted against ``(N, 1)`` predictions.
    loss : {'l1', 'mse'}, default='l1'
        The error that is scaled: focal-L1 or focal-MSE.
    activation : {'sigmoid', 'tanh'}, default='sigmoid'
        The factor :math:`f`: ``2 * sigmoid(beta * e) - 1`` or ``tanh(beta * e)`` (the
        paper's two choices).
    beta : float > 0, default=0.2
        Scale of the error inside the activation (the paper's default).
    gamma : float >= 0, default=1.0
        Power of the factor (the paper's default).
    weight : Tensor of shape (N,) or the shape of ``pred``, default=None
        Weight of each row (or element), e.g. LDS weights: finite and ``>= 0``.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        ``'mean'`` divides by the number of elements.

    Returns
    -------
    loss : Tensor
        A scalar, or the shape of ``pred`` for ``reduction='none'``; in ``pred``'s dtype.

    See Also
    --------
    imbalance.torch.FocalRegressionLoss : The module form.
    weighted_l1_loss, weighted_mse_loss : The losses it scales (``gamma=0``).

    References
    ----------
    .. [1] Y. Yang, K. Zha, Y.-C. Chen, H. Wang and D. Katabi, "Delving into Deep Imbalanced
       Regression", ICML 2021.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch.functional import focal_regression_loss, weighted_l1_loss
    >>> pred, target = torch.tensor([1.0, 2.0, 12.0]), torch.tensor([1.5, 2.0, 3.0])
    >>> round(focal_regression_loss(pred, target).item(), 4)
    2.1572
    >>> bool(focal_regression_loss(pred, target, gamma=0.0) == weighted_l1_loss(pred, target))
    True
    """
    owner = "focal_regression_loss"
    check_reduction(reduction, owner)
    if loss not in ("l1", "mse"):
        raise InvalidParameterError(
            f"The 'loss' parameter of {owner} must be 'l1' or 'mse'. Got {loss!r} instead."
        )
    if activation not in ("sigmoid", "tanh"):
        raise InvalidParameterError(
            f"The 'activation' parameter of {owner} must be 'sigmoid' or 'tanh'. "
            f"Got {activation!r} instead."
        )
    beta = check_real(beta, "beta", owner, low_open=True)
    gamma = check_real(gamma, "gamma", owner)
    target = check_regression_pair(pred, target, owner)
    w = row_weight(weight, pred, owner)
    acc = opmath_dtype(pred.dtype)
    err = (pred.to(acc) - target.to(acc)).abs()
    base = err if loss == "l1" else err.square()
    scaled = beta * err
    # 2 * sigmoid(x) - 1 is tanh(x / 2), without the cancellation near x = 0
    factor = torch.tanh(scaled if activation == "tanh" else 0.5 * scaled)
    # at e = 0 the clamp stops the gradient of factor ** gamma (infinite for gamma < 1), where
    # the true gradient of the product is 0
    out = base * factor.clamp_min(torch.finfo(acc).tiny).pow(gamma)
    return reduce(out if w is None else out * w, reduction, pred.dtype)
