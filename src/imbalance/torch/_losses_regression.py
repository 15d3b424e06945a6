"""Loss modules for imbalanced regression (thin nn.Module wrappers over the functions).

Weighted MSE / L1 and focal-R take per-row weights in ``forward`` (e.g. LDS weights of the
batch's rows); Balanced MSE holds its noise scale as a parameter the optimizer can fit, and the
training label distribution (GAI, BNI) as buffers. Feature Distribution Smoothing, a module
with running statistics rather than a loss, is in ``_fds``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import torch
from torch import Tensor, nn

from .._typing import ArrayLike, Reduction
from ..exceptions import InvalidDataError, InvalidParameterError
from ._fds import finite_targets
from ._loss_balanced_mse import METHODS, Method, balanced_mse_loss, resolve_prior
from ._loss_common import check_real, check_reduction
from ._loss_regression import Activation, focal_regression_loss, weighted_l1_loss, weighted_mse_loss

__all__ = [
    "BalancedMSELoss",
    "FocalRegressionLoss",
    "WeightedL1Loss",
    "WeightedMSELoss",
]


class _WeightedLoss(nn.Module):
    """A weighted error module: ``reduction`` and a ``forward`` over ``_loss``."""

    _loss: Callable[..., Tensor]

    def __init__(self, *, reduction: Reduction = "mean") -> None:
        super().__init__()
        check_reduction(reduction, type(self).__name__)
        self.reduction = reduction

    def forward(self, pred: Tensor, target: Tensor, weight: Tensor | None = None) -> Tensor:
        """Loss of ``pred`` against ``target`` with per-row ``weight`` (shape (N,))."""
        return self._loss(pred, target, weight=weight, reduction=self.reduction)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class WeightedMSELoss(_WeightedLoss):
    """Squared error with a weight per row: the module form of
    :func:`imbalance.torch.functional.weighted_mse_loss`.

    Parameters
    ----------
    reduction : {'none', 'mean', 'sum'}, default='mean'
        ``'mean'`` divides by the number of elements (weights of mean 1 keep the scale).

    See Also
    --------
    imbalance.regression.lds_weights : LDS weights for the rows.
    FocalRegressionLoss : Focal-R.

    References
    ----------
    .. [1] Y. Yang, K. Zha, Y.-C. Chen, H. Wang and D. Katabi, "Delving into Deep Imbalanced
       Regression", ICML 2021.

    Examples
    --------
    >>> import numpy as np
    >>> import torch
    >>> from imbalance.regression import lds_weights
    >>> from imbalance.torch import WeightedMSELoss
    >>> y_train = np.array([1.0, 1.1, 1.2, 1.3, 5.0])
    >>> weights = lds_weights(y_train, bins=4, ks=1)
    >>> weights.round(3).tolist()  # the rare row weighs twice as much
    [0.833, 0.833, 0.833, 0.833, 1.667]
    >>> w = torch.as_tensor(weights, dtype=torch.float32)
    >>> criterion = WeightedMSELoss()
    >>> pred = torch.tensor([1.0, 1.0, 1.0, 1.0, 3.0])
    >>> round(criterion(pred, torch.as_tensor(y_train, dtype=torch.float32), weight=w).item(), 4)
    1.3567
    """

    _loss = staticmethod(weighted_mse_loss)


class WeightedL1Loss(_WeightedLoss):
    """Absolute error with a weight per row: the module form of
    :func:`imbalance.torch.functional.weighted_l1_loss`.

    Parameters
    ----------
    reduction : {'none', 'mean', 'sum'}, default='mean'
        ``'mean'`` divides by the number of elements.

    See Also
    --------
    WeightedMSELoss : The squared error.

    References
    ----------
    .. [1] Y. Yang, K. Zha, Y.-C. Chen, H. Wang and D. Katabi, "Delving into Deep Imbalanced
       Regression", ICML 2021.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import WeightedL1Loss
    >>> pred, target = torch.tensor([[1.0], [2.0]]), torch.tensor([2.0, 2.5])
    >>> WeightedL1Loss()(pred, target, weight=torch.tensor([1.0, 3.0])).item()
    1.25
    """

    _loss = staticmethod(weighted_l1_loss)


class FocalRegressionLoss(nn.Module):
    """Focal-R (Yang et al., 2021): focal-L1 or focal-MSE, with optional per-row weights.

    The module form of :func:`imbalance.torch.functional.focal_regression_loss` (see it for
    the formula): the error times ``f(beta * |error|) ** gamma``, ``f`` a sigmoid- or
    tanh-shaped factor in [0, 1); ``gamma=0`` is the weighted L1 or squared error.

    Parameters
    ----------
    loss : {'l1', 'mse'}, default='l1'
        Focal-L1 or focal-MSE.
    activation : {'sigmoid', 'tanh'}, default='sigmoid'
        ``2 * sigmoid(beta * e) - 1`` or ``tanh(beta * e)``.
    beta : float > 0, default=0.2
        Scale of the error inside the activation.
    gamma : float >= 0, default=1.0
        Power of the factor.
    reduction : {'none', 'mean', 'sum'}, default='mean'

    See Also
    --------
    WeightedL1Loss, WeightedMSELoss : The losses it scales.

    References
    ----------
    .. [1] Y. Yang, K. Zha, Y.-C. Chen, H. Wang and D. Katabi, "Delving into Deep Imbalanced
       Regression", ICML 2021.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import FocalRegressionLoss
    >>> criterion = FocalRegressionLoss(loss="mse", activation="tanh", beta=1.0)
    >>> pred, target = torch.tensor([0.0, 0.0]), torch.tensor([0.1, 3.0])
    >>> [round(v, 4) for v in FocalRegressionLoss(reduction="none")(pred, target).tolist()]
    [0.001, 0.8739]
    >>> round(criterion(pred, target).item(), 4)
    4.4782
    """

    def __init__(
        self,
        *,
        loss: Literal["l1", "mse"] = "l1",
        activation: Activation = "sigmoid",
        beta: float = 0.2,
        gamma: float = 1.0,
        reduction: Reduction = "mean",
    ) -> None:
        super().__init__()
        owner = type(self).__name__
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
        self.loss, self.activation = loss, activation
        self.beta = check_real(beta, "beta", owner, low_open=True)
        self.gamma = check_real(gamma, "gamma", owner)
        self.reduction = reduction

    def forward(self, pred: Tensor, target: Tensor, weight: Tensor | None = None) -> Tensor:
        """Loss of ``pred`` against ``target`` with per-row ``weight`` (shape (N,))."""
        return focal_regression_loss(
            pred,
            target,
            loss=self.loss,
            activation=self.activation,
            beta=self.beta,
            gamma=self.gamma,
            weight=weight,
            reduction=self.reduction,
        )

    def extra_repr(self) -> str:
        return (
            f"loss={self.loss!r}, activation={self.activation!r}, beta={self.beta}, "
            f"gamma={self.gamma}, reduction={self.reduction!r}"
        )


class BalancedMSELoss(nn.Module):
    """Balanced MSE (Ren et al., 2022) with a learnable noise scale.

    The module form of :func:`imbalance.torch.functional.balanced_mse_loss` (see it for the
    three forms): ``'bmc'`` needs nothing but the batch, ``'gai'`` a Gaussian mixture of the
    training labels, ``'bni'`` their histogram (:meth:`from_targets` fits either). The noise
    scale ``noise_sigma`` starts at ``init_noise_sigma`` and, with ``learn_noise=True`` (the
    paper's setting), is an ``nn.Parameter``: give it to the optimizer, e.g. as its own
    parameter group, ``optimizer.add_param_group({"params": criterion.parameters(),
    "lr": 1e-2})``. The loss uses ``noise_var = noise_sigma ** 2`` and is scaled by
    ``2 * noise_var`` (detached), as in the paper's code.

    Parameters
    ----------
    method : {'bmc', 'gai', 'bni'}, default='bmc'
        Batch-based Monte-Carlo, GMM-based analytical integration or bin-based numerical
        integration.
    init_noise_sigma : float > 0, default=1.0
        Initial noise scale, in the target's units (the paper uses 1 for unit-scale targets
        and 8 for ages in years).
    learn_noise : bool, default=True
        Whether ``noise_sigma`` is a parameter the optimizer updates (else a buffer).
    means, variances, weights : sequence of shape (K,), default=None
        The Gaussian mixture of the training labels, for ``'gai'``.
    bin_centers, bin_weights : sequence of shape (B,), default=None
        The histogram of the training labels, for ``'bni'``.
    reduction : {'none', 'mean', 'sum'}, default='mean'
        ``'none'`` gives one loss per row.

    Attributes
    ----------
    noise_sigma : nn.Parameter or Tensor buffer, 0-d
        The noise scale (its square is the noise variance).
    means, variances, weights, bin_centers, bin_weights : Tensor buffer or None
        The label distribution as given (float32), for the method that uses it.

    See Also
    --------
    FeatureDistributionSmoothing, WeightedMSELoss : The remedies of Yang et al. (2021).

    References
    ----------
    .. [1] J. Ren, M. Zhang, C. Yu and Z. Liu, "Balanced MSE for Imbalanced Visual
       Regression", CVPR 2022.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import BalancedMSELoss
    >>> criterion = BalancedMSELoss(init_noise_sigma=1.0)
    >>> pred = torch.tensor([0.5, 2.0, 3.5], requires_grad=True)
    >>> loss = criterion(pred, torch.tensor([0.0, 2.0, 4.0]))
    >>> loss.backward()
    >>> round(loss.item(), 4), criterion.noise_sigma.grad is not None
    (0.5798, True)
    >>> gai = BalancedMSELoss.from_targets(torch.randn(500), method="gai", n_components=2)
    >>> gai.method, tuple(gai.means.shape)
    ('gai', (2,))
    """

    means: Tensor | None
    variances: Tensor | None
    weights: Tensor | None
    bin_centers: Tensor | None
    bin_weights: Tensor | None

    def __init__(
        self,
        *,
        method: Method = "bmc",
        init_noise_sigma: float = 1.0,
        learn_noise: bool = True,
        means: ArrayLike | Tensor | None = None,
        variances: ArrayLike | Tensor | None = None,
        weights: ArrayLike | Tensor | None = None,
        bin_centers: ArrayLike | Tensor | None = None,
        bin_weights: ArrayLike | Tensor | None = None,
        reduction: Reduction = "mean",
    ) -> None:
        super().__init__()
        owner = type(self).__name__
        check_reduction(reduction, owner)
        if method not in METHODS:
            raise InvalidParameterError(
                f"The 'method' parameter of {owner} must be 'bmc', 'gai' or 'bni'. "
                f"Got {method!r} instead."
            )
        self.method, self.reduction = method, reduction
        sigma = check_real(init_noise_sigma, "init_noise_sigma", owner, low_open=True)
        self.init_noise_sigma = sigma
        self.learn_noise = bool(learn_noise)
        tensor = torch.tensor(sigma, dtype=torch.float32)
        if self.learn_noise:
            self.noise_sigma = nn.Parameter(tensor)
        else:
            self.register_buffer("noise_sigma", tensor)
        prior = {"means": means, "variances": variances, "weights": weights}
        prior |= {"bin_centers": bin_centers, "bin_weights": bin_weights}
        resolve_prior(method, prior, owner)
        for name, values in prior.items():
            buffer = None if values is None else _float_buffer(values)
            self.register_buffer(name, buffer)

    @classmethod
    def from_targets(
        cls,
        y: ArrayLike | Tensor,
        *,
        method: Method = "gai",
        n_components: int = 8,
        bins: int = 100,
        random_state: int | None = 0,
        **kwargs: Any,
    ) -> BalancedMSELoss:
        """Build the loss with the label distribution of the training targets ``y``.

        ``'gai'`` fits scikit-learn's ``GaussianMixture`` with ``n_components`` (8 in the
        paper) to ``y``; ``'bni'`` counts ``y`` in ``bins`` equal-width bins (empty bins left
        out); ``'bmc'`` needs no distribution.

        Parameters
        ----------
        y : Tensor, ndarray or sequence of shape (n_samples,)
            Training targets (finite).
        method : {'gai', 'bni', 'bmc'}, default='gai'
        n_components : int, default=8
            Mixture components, for ``'gai'``.
        bins : int, default=100
            Histogram bins, for ``'bni'``.
        random_state : int or None, default=0
            Seed of the mixture's initialisation.
        **kwargs
            The other parameters of the loss (``init_noise_sigma``, ``learn_noise``,
            ``reduction``).
        """
        owner = f"{cls.__name__}.from_targets"
        values = finite_targets(y, owner)
        if method == "gai":
            return cls(
                method="gai", **_mixture(values, n_components, random_state, owner), **kwargs
            )
        if method == "bni":
            return cls(method="bni", **_histogram(values, bins, owner), **kwargs)
        return cls(method=method, **kwargs)

    def forward(self, pred: Tensor, target: Tensor) -> Tensor:
        """Loss of ``pred`` against ``target``; see the class docstring."""
        return balanced_mse_loss(
            pred,
            target,
            noise_var=self.noise_sigma.square(),
            method=self.method,
            means=self.means,
            variances=self.variances,
            weights=self.weights,
            bin_centers=self.bin_centers,
            bin_weights=self.bin_weights,
            reduction=self.reduction,
        )

    def extra_repr(self) -> str:
        return (
            f"method={self.method!r}, init_noise_sigma={self.init_noise_sigma}, "
            f"learn_noise={self.learn_noise}, reduction={self.reduction!r}"
        )


def _float_buffer(values: Any) -> Tensor:
    if isinstance(values, Tensor):
        return values.detach().to(dtype=torch.float32).reshape(-1).clone()
    return torch.as_tensor(np.asarray(values, dtype=np.float64), dtype=torch.float32).reshape(-1)


def _mixture(
    values: np.ndarray, n_components: int, random_state: int | None, owner: str
) -> dict[str, Any]:
    distinct = np.unique(values).size
    if not (isinstance(n_components, int) and 1 <= n_components <= distinct):
        raise InvalidParameterError(
            f"The 'n_components' parameter of {owner} must be an int in [1, {distinct}] (the "
            f"number of distinct targets). Got {n_components!r} instead."
        )
    from sklearn.mixture import GaussianMixture

    gmm = GaussianMixture(n_components=n_components, random_state=random_state)
    gmm.fit(values.reshape(-1, 1))
    return {
        "means": gmm.means_.reshape(-1),
        "variances": gmm.covariances_.reshape(-1),
        "weights": gmm.weights_.reshape(-1),
    }


def _histogram(values: np.ndarray, bins: int, owner: str) -> dict[str, Any]:
    if not (isinstance(bins, int) and not isinstance(bins, bool) and bins >= 1):
        raise InvalidParameterError(
            f"The 'bins' parameter of {owner} must be an int >= 1. Got {bins!r} instead."
        )
    if values.min() == values.max():
        raise InvalidDataError(
            f"{owner} needs targets that vary, to make a histogram of them; every value is "
            f"{float(values[0])!r}."
        )
    counts, edges = np.histogram(values, bins=bins)
    kept = counts > 0
    centers = 0.5 * (edges[:-1] + edges[1:])
    return {"bin_centers": centers[kept], "bin_weights": counts[kept] / values.size}
