"""Balanced MSE (Ren et al., CVPR 2022): the MSE of a balanced label prior, in three forms.

With a Gaussian likelihood :math:`N(y; \\hat y, \\sigma^2)` of noise variance
:math:`\\sigma^2` (``noise_var``), the balanced loss is

.. math::
    \\ell = -\\log N(y; \\hat y, \\sigma^2) + \\log \\int N(y'; \\hat y, \\sigma^2)\\,
    p_{train}(y')\\,dy'

and the forms differ by how they get the integral: BMC from the batch's targets (Monte-Carlo),
GAI from a Gaussian mixture of the training labels (closed form), BNI from a histogram of
them (a sum over bins). The Gaussians' normalising constants cancel between the two terms.
As in the paper's code, the loss is multiplied by :math:`2\\sigma^2` (a constant for the
gradient: ``detach``), which puts it on the scale of the squared error.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from .._typing import ArrayLike, Reduction
from ..exceptions import InvalidDataError, InvalidParameterError
from ._loss_common import check_reduction, opmath_dtype
from ._loss_regression import check_regression_pair, reduce

__all__ = [
    "METHODS",
    "Method",
    "balanced_mse_loss",
    "check_prior",
    "noise_variance",
    "resolve_prior",
]

Method = Literal["bmc", "gai", "bni"]
METHODS = ("bmc", "gai", "bni")
_PRIOR = {"gai": ("means", "variances", "weights"), "bni": ("bin_centers", "bin_weights")}


def balanced_mse_loss(
    pred: Tensor,
    target: Tensor,
    *,
    noise_var: float | Tensor = 1.0,
    method: Method = "bmc",
    means: ArrayLike | Tensor | None = None,
    variances: ArrayLike | Tensor | None = None,
    weights: ArrayLike | Tensor | None = None,
    bin_centers: ArrayLike | Tensor | None = None,
    bin_weights: ArrayLike | Tensor | None = None,
    reduction: Reduction = "mean",
) -> Tensor:
    r"""Balanced MSE (Ren et al., 2022): the squared error under a balanced label prior.

    For row :math:`i` with prediction :math:`\hat y_i`, target :math:`y_i` and noise variance
    :math:`\sigma^2`, the loss is :math:`2\sigma^2` (a constant for the gradient) times

    - ``'bmc'`` (batch-based Monte-Carlo): the cross-entropy of the batch's targets,
      :math:`-\log \operatorname{softmax}_j\big(-\lVert\hat y_i - y_j\rVert^2 / 2\sigma^2
      \big)_i`; no prior needed; the batch must hold at least two rows. Targets may have
      ``d`` columns.
    - ``'gai'`` (GMM-based analytical integration), with a Gaussian mixture
      :math:`\sum_k \pi_k N(\mu_k, v_k)` of the training labels:
      :math:`\frac{(\hat y_i - y_i)^2}{2\sigma^2} + \frac12\log\sigma^2 +
      \log \sum_k \pi_k\, \frac{\exp(-(\hat y_i - \mu_k)^2 / 2(v_k + \sigma^2))}
      {\sqrt{v_k + \sigma^2}}`.
    - ``'bni'`` (bin-based numerical integration), with the training labels' histogram
      (bin centres :math:`c_b`, shares :math:`p_b`): the integral by the midpoint rule,
      :math:`\frac{(\hat y_i - y_i)^2}{2\sigma^2} +
      \log \sum_b p_b \exp(-(\hat y_i - c_b)^2 / 2\sigma^2)`, which is ``'gai'`` with
      components of variance 0 at the bin centres.

    The noise scale is part of the loss: pass a tensor that requires grad (e.g. the square of
    a learned ``sigma``, as :class:`imbalance.torch.BalancedMSELoss` does) and the optimizer
    fits it along with the model.

    Parameters
    ----------
    pred : Tensor of shape (N,), (N, 1) or, for 'bmc', (N, d)
        Predictions.
    target : Tensor of the same shape
        Continuous targets (finite); ``(N,)`` is accepted against ``(N, 1)`` predictions.
    noise_var : float or scalar Tensor > 0, default=1.0
        :math:`\sigma^2`, the variance of the label noise (the paper's ``noise_var``); a
        scale of the target's units squared.
    method : {'bmc', 'gai', 'bni'}, default='bmc'
        How the balancing integral is computed (see above).
    means, variances, weights : sequence or Tensor of shape (K,), default=None
        The Gaussian mixture of the training labels, for ``'gai'`` only: component means,
        variances (``>= 0``) and weights (``>= 0``, normalised to sum 1); e.g. the
        ``means_``, ``covariances_`` and ``weights_`` of scikit-learn's ``GaussianMixture``
        fitted on the labels (:meth:`imbalance.torch.BalancedMSELoss.from_targets` does it).
    bin_centers, bin_weights : sequence or Tensor of shape (B,), default=None
        The histogram of the training labels, for ``'bni'`` only: bin centres and the share
        (or count) of labels in each bin (``>= 0``, normalised to sum 1).
    reduction : {'none', 'mean', 'sum'}, default='mean'
        ``'none'`` gives one loss per row, shape (N,).

    Returns
    -------
    loss : Tensor
        A scalar, or shape (N,) for ``reduction='none'``; in ``pred``'s dtype.

    See Also
    --------
    imbalance.torch.BalancedMSELoss : The module form, with a learnable noise scale.
    weighted_mse_loss : Re-weighting the squared error instead (e.g. with LDS weights).

    References
    ----------
    .. [1] J. Ren, M. Zhang, C. Yu and Z. Liu, "Balanced MSE for Imbalanced Visual
       Regression", CVPR 2022.

    Examples
    --------
    >>> import torch
    >>> import torch.nn.functional as F
    >>> from imbalance.torch.functional import balanced_mse_loss
    >>> pred = torch.tensor([0.5, 2.0, 3.5])
    >>> target = torch.tensor([0.0, 2.0, 4.0])
    >>> round(balanced_mse_loss(pred, target, noise_var=1.0).item(), 4)
    0.5798
    >>> logits = -(pred[:, None] - target[None, :]) ** 2 / 2.0  # the same, from the formula
    >>> round((2.0 * F.cross_entropy(logits, torch.arange(3))).item(), 4)
    0.5798
    >>> loss = balanced_mse_loss(
    ...     pred, target, method="gai", means=[0.5, 3.0], variances=[0.2, 1.0], weights=[0.8, 0.2]
    ... )
    >>> round(loss.item(), 4)
    -1.8983
    """
    owner = "balanced_mse_loss"
    check_reduction(reduction, owner)
    if method not in METHODS:
        raise InvalidParameterError(
            f"The 'method' parameter of {owner} must be 'bmc', 'gai' or 'bni'. "
            f"Got {method!r} instead."
        )
    given = {
        "means": means,
        "variances": variances,
        "weights": weights,
        "bin_centers": bin_centers,
        "bin_weights": bin_weights,
    }
    prior = resolve_prior(method, given, owner, like=pred)
    target = check_regression_pair(pred, target, owner)
    acc = opmath_dtype(pred.dtype)
    nv = noise_variance(noise_var, owner, like=pred)
    if prior is None:
        inner = _bmc(pred.to(acc), target.to(acc), nv, owner)
    else:
        p, t = _one_column(pred, target, method, owner)
        inner = _mixture(p.to(acc), t.to(acc), nv, *prior)
    return reduce(inner * (2.0 * nv).detach(), reduction, pred.dtype)


def resolve_prior(
    method: str, given: dict[str, Any], owner: str, *, like: Tensor | None = None
) -> tuple[Tensor, Tensor, Tensor] | None:
    """The label distribution that ``method`` takes, checked: ``(means, variances, log
    weights)`` for 'gai' and 'bni' (variances 0), ``None`` for 'bmc'."""
    _check_prior_arguments(method, given, owner)
    if method == "gai":
        return check_prior(given["means"], given["variances"], given["weights"], owner, like=like)
    if method == "bni":
        return check_prior(given["bin_centers"], None, given["bin_weights"], owner, like=like)
    return None


def _check_prior_arguments(method: str, given: dict[str, Any], owner: str) -> None:
    wrong = sorted(k for k, v in given.items() if v is not None and k not in _PRIOR.get(method, ()))
    if wrong:
        needs = {"bmc": "no prior (it uses the batch)", "gai": "means, variances and weights",
                 "bni": "bin_centers and bin_weights"}[method]  # fmt: skip
        raise InvalidParameterError(
            f"{owner} with method={method!r} takes {needs}; got {', '.join(wrong)} as well. "
            "Drop them, or choose the method they belong to ('gai': a Gaussian mixture, "
            "'bni': a histogram)."
        )
    missing = [k for k in _PRIOR.get(method, ()) if k != "variances" and given[k] is None]
    if missing:
        raise InvalidParameterError(
            f"{owner} with method={method!r} needs {' and '.join(missing)} (the label "
            "distribution of the training set); BalancedMSELoss.from_targets(y_train, "
            f"method={method!r}) computes them."
        )
    if method == "gai" and given["variances"] is None:
        raise InvalidParameterError(
            f"{owner} with method='gai' needs variances, one per mixture component (0 makes "
            "a component a point mass, as method='bni' does for every bin)."
        )


def noise_variance(noise_var: float | Tensor, owner: str, *, like: Tensor) -> Tensor:
    """``noise_var`` as a 0-d tensor in ``like``'s maths dtype; > 0 and finite (checked where
    that costs no device sync), gradient kept."""
    acc = opmath_dtype(like.dtype)
    if isinstance(noise_var, Tensor):
        if noise_var.numel() != 1 or not noise_var.is_floating_point():
            raise InvalidParameterError(
                f"The 'noise_var' parameter of {owner} must be a float or a floating 0-d "
                f"tensor; got a tensor of shape {tuple(noise_var.shape)} and dtype "
                f"{noise_var.dtype}."
            )
        nv = noise_var.reshape(()).to(device=like.device, dtype=acc)
        checkable = noise_var.device.type == "cpu" and not torch.compiler.is_compiling()
        value = float(noise_var.detach()) if checkable else 1.0
    else:
        ok = isinstance(noise_var, int | float) and not isinstance(noise_var, bool)
        value = float(noise_var) if ok else math.nan
        if not ok:
            raise InvalidParameterError(
                f"The 'noise_var' parameter of {owner} must be a float > 0. "
                f"Got {noise_var!r} instead."
            )
        nv = torch.tensor(value, dtype=acc, device=like.device)
    if not (math.isfinite(value) and value > 0):
        raise InvalidParameterError(
            f"The 'noise_var' parameter of {owner} must be finite and > 0 (the variance of "
            f"the label noise); got {value!r}. A learned noise scale that reached 0 needs a "
            "smaller learning rate for it, or learn_noise=False."
        )
    return nv


def _bmc(p: Tensor, t: Tensor, nv: Tensor, owner: str) -> Tensor:
    n = p.shape[0] if p.ndim else 0
    if n < 2:
        raise InvalidDataError(
            f"{owner} with method='bmc' compares each prediction with every target of the "
            f"batch, so it needs at least 2 rows; got {n}. Drop the last incomplete batch "
            "(DataLoader(drop_last=True)), or use method='gai' or 'bni' with the training "
            "label distribution."
        )
    p2, t2 = p.reshape(n, -1), t.reshape(n, -1)
    logits = -(p2.unsqueeze(1) - t2.unsqueeze(0)).square().sum(-1) / (2.0 * nv)
    return F.cross_entropy(logits, torch.arange(n, device=p.device), reduction="none")


def _one_column(pred: Tensor, target: Tensor, method: str, owner: str) -> tuple[Tensor, Tensor]:
    if pred.ndim == 0 or pred.ndim > 2 or (pred.ndim == 2 and pred.shape[1] != 1):
        raise InvalidDataError(
            f"{owner} with method={method!r} takes one target per row, predictions of shape "
            f"(N,) or (N, 1); got {tuple(pred.shape)}. For d-dimensional targets use "
            "method='bmc'."
        )
    return pred.reshape(-1), target.reshape(-1)


def _mixture(p: Tensor, t: Tensor, nv: Tensor, mu: Tensor, var: Tensor, log_w: Tensor) -> Tensor:
    """GAI's per-row loss before the 2 sigma^2 scale (BNI: ``var`` all 0)."""
    total = var.unsqueeze(0) + nv  # (1, K)
    fit = (p - t).square() / (2.0 * nv) + 0.5 * torch.log(nv)
    z = log_w - 0.5 * torch.log(total) - (p.unsqueeze(1) - mu).square() / (2.0 * total)
    return fit + torch.logsumexp(z, dim=1)


def check_prior(
    centers: Any, variances: Any, weights: Any, owner: str, *, like: Tensor | None = None
) -> tuple[Tensor, Tensor, Tensor]:
    """The mixture as ``(means, variances, log weights)``, 1-D tensors of one length on
    ``like``'s device, in its maths dtype (float32 without ``like``). ``variances=None``
    means point masses (BNI's bins). Values are checked where that costs no device sync."""
    masses = variances is None
    c_name, w_name = ("bin_centers", "bin_weights") if masses else ("means", "weights")
    mu = _vector(centers, c_name, owner, like)
    w = _vector(weights, w_name, owner, like)
    var = torch.zeros_like(mu) if masses else _vector(variances, "variances", owner, like)
    if not mu.numel() == w.numel() == var.numel():
        lengths = f"{c_name} {mu.numel()}, {w_name} {w.numel()}"
        lengths += "" if masses else f", variances {var.numel()}"
        raise InvalidParameterError(
            f"{owner} needs one value per component in each of {c_name} and {w_name}"
            f"{'' if masses else ' and variances'}; got lengths {lengths}."
        )
    if _checkable(mu):
        for name, values in ((c_name, mu), (w_name, w), ("variances", var)):
            if not bool(torch.isfinite(values).all()):
                raise InvalidParameterError(
                    f"The {name!r} parameter of {owner} must be finite; got {values.tolist()}."
                )
        if bool((var < 0).any()):
            raise InvalidParameterError(
                f"The 'variances' parameter of {owner} must hold values >= 0; got {var.tolist()}."
            )
        if bool((w < 0).any()) or not bool(w.sum() > 0):
            raise InvalidParameterError(
                f"The {w_name!r} parameter of {owner} must hold values >= 0 with a positive "
                f"sum (they are normalised to sum 1); got {w.tolist()}."
            )
    return mu, var, torch.log(w / w.sum())


def _checkable(values: Tensor) -> bool:
    return values.device.type == "cpu" and not torch.compiler.is_compiling()


def _vector(values: Any, name: str, owner: str, like: Tensor | None) -> Tensor:
    dtype = torch.float32 if like is None else opmath_dtype(like.dtype)
    device = None if like is None else like.device
    if isinstance(values, Tensor):
        out = values.to(device=device if device is not None else values.device, dtype=dtype)
    else:
        try:
            arr = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                f"The {name!r} parameter of {owner} must be a sequence of numbers; got {values!r}."
            ) from None
        out = torch.as_tensor(arr, dtype=dtype, device=device)
    if out.ndim > 1 or out.numel() == 0:
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} must be 1-D with one value per component; got "
            f"shape {tuple(out.shape)}."
        )
    return out.reshape(-1)
