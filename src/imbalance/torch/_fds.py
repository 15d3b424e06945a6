"""Feature Distribution Smoothing (Yang et al., ICML 2021): calibrate features across label bins.

Per bin of the target, running statistics (mean and variance of each feature) are kept over
the epochs; the statistics are smoothed across neighbouring bins with a kernel, and a feature
vector whose label falls in bin ``b`` is whitened with ``b``'s statistics and re-coloured with
the smoothed ones. Rare bins, whose statistics rest on few rows, borrow from their neighbours.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .._typing import ArrayLike
from ..exceptions import InvalidDataError, InvalidParameterError
from ._loss_common import check_real, opmath_dtype

__all__ = ["FeatureDistributionSmoothing", "fds_kernel_window", "finite_targets"]

Kernel = Literal["gaussian", "triangular", "laplace"]
_MIN_BIN_VARIANCE = 1e-10  # a bin whose variances sum to less is left as it is (the paper's)


def fds_kernel_window(kernel: str, ks: int, sigma: float) -> np.ndarray:
    """The smoothing window over ``ks`` bins, summing to 1 (the paper's FDS windows)."""
    half = (ks - 1) // 2
    if kernel == "gaussian":
        from scipy.ndimage import gaussian_filter1d

        delta = np.zeros(ks)
        delta[half] = 1.0
        window = gaussian_filter1d(delta, sigma=sigma)
    elif kernel == "triangular":
        from scipy.signal.windows import triang

        window = triang(ks)
    else:
        window = np.exp(-np.abs(np.arange(-half, half + 1, dtype=np.float64)) / sigma)
    return np.asarray(window / window.sum(), dtype=np.float64)


class FeatureDistributionSmoothing(nn.Module):
    """Feature Distribution Smoothing (FDS): calibrate features with statistics smoothed over
    neighbouring label bins (Yang et al., 2021).

    Put it between a network's feature extractor and its regression head. Per bin of the
    target it keeps the mean :math:`\\mu_b` and variance :math:`v_b` of every feature, updated
    once per epoch with ``momentum`` from the features of that epoch, and their smoothed
    versions :math:`\\tilde\\mu_b, \\tilde v_b` (convolution across bins with the kernel
    window, reflected at the ends). In training, from epoch ``start_smooth`` on, a feature
    vector :math:`z` whose label falls in bin :math:`b` becomes

    .. math::
        \\tilde z = (z - \\mu_b)\\,\\sqrt{\\operatorname{clip}(\\tilde v_b / v_b)} + \\tilde\\mu_b

    (per feature; the clip to ``clip`` bounds the rescaling), so the bin's features take the
    smoothed statistics. The map is affine in :math:`z` with constant statistics: gradients
    flow to the feature extractor. In eval mode features pass unchanged.

    **The epoch loop.** Call ``fds(features, labels, epoch)`` in the forward pass and
    ``fds.update(features.detach(), labels, epoch)`` for the batch (or once at the end of the
    epoch with all its features, as the paper's code does); or call ``set_epoch(epoch)`` at
    the start of each epoch and leave ``epoch`` out. The statistics of an epoch are gathered
    batch by batch and folded into the running statistics when the next epoch starts, so
    calibration in epoch ``e`` uses the features of epochs ``start_update .. e - 1``.

    Differences from the paper's code, on purpose: its statistics are copied before the
    epoch's update, so its calibration in epoch ``e`` lags one epoch more (features of epochs
    up to ``e - 2``); a bin seen for the first time takes that epoch's statistics (the code
    blends them with the initial mean 0 and variance 1 unless it is the first update epoch);
    the smoothing leaves out bins without statistics (normalised convolution; the code
    averages their initial 0 and 1 in), and rows of such bins pass unchanged. Where every bin
    has rows from the first update epoch on, the statistics and the calibration are the
    paper's.

    Parameters
    ----------
    n_features : int
        Number of features (the width of the layer it calibrates).
    bin_edges : sequence of floats, shape (n_bins + 1,)
        Increasing edges of the label bins; labels outside fall in the first or last bin.
        :meth:`from_targets` makes equal-width bins over the training targets (as
        :func:`imbalance.regression.lds_weights` does).
    kernel : {'gaussian', 'triangular', 'laplace'}, default='gaussian'
        Smoothing kernel across bins, normalised to sum 1.
    ks : int, default=5
        Kernel size in bins (odd, and at most ``2 * n_bins - 1``).
    sigma : float > 0, default=2.0
        Kernel scale in bins (gaussian and laplace).
    momentum : float in [0, 1) or None, default=0.9
        Weight of the previous running statistics in each epoch's update; ``None`` keeps the
        cumulative average over the epochs' rows.
    start_update : int, default=0
        First epoch whose features update the statistics.
    start_smooth : int, default=1
        First epoch in which features are calibrated.
    clip : (float, float), default=(0.1, 10.0)
        Bounds of the variance ratio :math:`\\tilde v_b / v_b`.

    Attributes
    ----------
    bin_edges : Tensor buffer of shape (n_bins + 1,)
        The edges, float64.
    running_mean, running_var : Tensor buffers of shape (n_bins, n_features)
        Per-bin statistics of the features (mean 0, variance 1 before any update).
    running_count : Tensor buffer of shape (n_bins,)
        Rows seen per bin over the updates.
    smoothed_mean, smoothed_var : Tensor buffers of shape (n_bins, n_features)
        The running statistics smoothed across bins.
    epoch : int or None
        The current epoch (None before the first call that gives one); saved in the
        ``state_dict``.

    See Also
    --------
    imbalance.regression.lds_weights : Label Distribution Smoothing, its companion.
    BalancedMSELoss : Balanced MSE, another loss-side remedy.

    References
    ----------
    .. [1] Y. Yang, K. Zha, Y.-C. Chen, H. Wang and D. Katabi, "Delving into Deep Imbalanced
       Regression", ICML 2021.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import FeatureDistributionSmoothing
    >>> y = torch.tensor([0.1, 0.2, 0.4, 1.1, 1.4, 2.5])
    >>> z = torch.tensor([[0.0], [1.0], [2.0], [4.0], [6.0], [9.0]])
    >>> fds = FeatureDistributionSmoothing(1, [0.0, 1.0, 2.0, 3.0], ks=3, sigma=1.0)
    >>> bool(torch.equal(fds(z, y, epoch=0), z))  # no statistics yet
    True
    >>> fds.update(z, y)
    >>> out = fds(z, y, epoch=1)  # epoch 0's statistics, smoothed
    >>> fds.running_mean.ravel().tolist()  # per bin
    [1.0, 5.0, 9.0]
    >>> [round(v, 3) for v in fds.smoothed_mean.ravel().tolist()]
    [3.369, 5.0, 6.631]
    >>> [round(v, 3) for v in out[:3].ravel().tolist()]  # bin 0 now has mean 3.369
    [2.107, 3.369, 4.631]
    """

    bin_edges: Tensor
    kernel_window: Tensor
    running_mean: Tensor
    running_var: Tensor
    running_count: Tensor
    smoothed_mean: Tensor
    smoothed_var: Tensor
    epoch_count: Tensor
    epoch_mean: Tensor
    epoch_m2: Tensor

    def __init__(
        self,
        n_features: int,
        bin_edges: ArrayLike | Tensor,
        *,
        kernel: Kernel = "gaussian",
        ks: int = 5,
        sigma: float = 2.0,
        momentum: float | None = 0.9,
        start_update: int = 0,
        start_smooth: int = 1,
        clip: tuple[float, float] = (0.1, 10.0),
    ) -> None:
        super().__init__()
        owner = type(self).__name__
        self.n_features = _check_count(n_features, "n_features", owner, low=1)
        edges = _check_edges(bin_edges, owner)
        n_bins = edges.size - 1
        if kernel not in ("gaussian", "triangular", "laplace"):
            raise InvalidParameterError(
                f"The 'kernel' parameter of {owner} must be 'gaussian', 'triangular' or "
                f"'laplace'. Got {kernel!r} instead."
            )
        ks = _check_count(ks, "ks", owner, low=1)
        if ks % 2 == 0 or (ks - 1) // 2 >= n_bins:
            raise InvalidParameterError(
                f"The 'ks' parameter of {owner} must be odd and at most {2 * n_bins - 1} "
                f"(the window reflects at the ends of the {n_bins} bins). Got {ks!r} instead."
            )
        self.kernel, self.ks = kernel, ks
        self.sigma = check_real(sigma, "sigma", owner, low_open=True)
        self.momentum = (
            None
            if momentum is None
            else check_real(momentum, "momentum", owner, high=1.0, high_open=True)
        )
        self.start_update = _check_count(start_update, "start_update", owner, low=0)
        self.start_smooth = _check_count(start_smooth, "start_smooth", owner, low=0)
        self.clip = _check_clip(clip, owner)
        self.epoch: int | None = None
        window = fds_kernel_window(kernel, ks, self.sigma)
        shape = (n_bins, self.n_features)
        self.register_buffer("bin_edges", torch.as_tensor(edges, dtype=torch.float64))
        self.register_buffer("kernel_window", torch.as_tensor(window, dtype=torch.float32))
        for name, fill in (("running_mean", 0.0), ("running_var", 1.0)):
            self.register_buffer(name, torch.full(shape, fill))
            self.register_buffer(name.replace("running", "smoothed"), torch.full(shape, fill))
        self.register_buffer("running_count", torch.zeros(n_bins))
        self.register_buffer("epoch_count", torch.zeros(n_bins))
        self.register_buffer("epoch_mean", torch.zeros(shape))
        self.register_buffer("epoch_m2", torch.zeros(shape))

    @classmethod
    def from_targets(
        cls, y: ArrayLike | Tensor, n_features: int, *, bins: int = 100, **kwargs: Any
    ) -> FeatureDistributionSmoothing:
        """Build it with ``bins`` equal-width bins over the range of the training targets.

        Parameters
        ----------
        y : Tensor, ndarray or sequence of shape (n_samples,)
            The training targets (finite, not all equal).
        n_features : int
            Number of features.
        bins : int, default=100
            Number of bins.
        **kwargs
            The other parameters of the module.
        """
        owner = f"{cls.__name__}.from_targets"
        values = finite_targets(y, owner)
        bins = _check_count(bins, "bins", owner, low=1)
        if values.min() == values.max():
            raise InvalidDataError(
                f"{owner} needs targets that vary, to cut their range into bins; every value "
                f"is {float(values[0])!r}. Pass bin_edges to the constructor instead."
            )
        edges = np.linspace(values.min(), values.max(), bins + 1)
        return cls(n_features, edges, **kwargs)

    @property
    def n_bins(self) -> int:
        """Number of label bins."""
        return int(self.bin_edges.shape[0]) - 1

    def set_epoch(self, epoch: int) -> None:
        """Start ``epoch``: the statistics gathered in earlier epochs become the running ones.

        Epochs only move forward; calling it again with the current epoch does nothing.
        """
        owner = type(self).__name__
        epoch = _check_count(epoch, "epoch", owner, low=0)
        if self.epoch is not None and epoch < self.epoch:
            raise InvalidParameterError(
                f"{owner} is at epoch {self.epoch} and got epoch={epoch}: epochs only move "
                "forward. Build a new module (or load a state_dict) to train again from an "
                "earlier epoch."
            )
        if self.epoch is not None and epoch > self.epoch:
            self._fold_epoch()
        self.epoch = epoch

    def forward(self, features: Tensor, labels: Tensor, epoch: int | None = None) -> Tensor:
        """Calibrated features in training from ``start_smooth`` on; else ``features``.

        Parameters
        ----------
        features : Tensor of shape (N, n_features)
        labels : Tensor of shape (N,) or (N, 1)
            The rows' targets (finite).
        epoch : int, default=None
            The current epoch; ``None`` keeps the one set last (see :meth:`set_epoch`).
        """
        if epoch is not None:
            self.set_epoch(epoch)
        codes = self._bin_codes(features, labels)
        if not self.training or (self.epoch or 0) < self.start_smooth:
            return features
        return self._calibrate(features, codes)

    @torch.no_grad()
    def update(self, features: Tensor, labels: Tensor, epoch: int | None = None) -> None:
        """Add rows to the statistics of the current epoch (from ``start_update`` on).

        Call it per batch, or once per epoch with all of the epoch's features; the input is
        not modified.
        """
        if epoch is not None:
            self.set_epoch(epoch)
        codes = self._bin_codes(features, labels)
        if (self.epoch or 0) < self.start_update or features.shape[0] == 0:
            return
        z = features.detach().to(device=self.epoch_mean.device, dtype=self.epoch_mean.dtype)
        codes = codes.to(z.device)
        ones = torch.ones(codes.shape, dtype=self.epoch_count.dtype, device=z.device)
        n_b = torch.zeros_like(self.epoch_count).index_add_(0, codes, ones)
        sums = torch.zeros_like(self.epoch_mean).index_add_(0, codes, z)
        mean_b = sums / n_b.clamp_min(1).unsqueeze(1)
        dev = (z - mean_b[codes]).square()
        m2_b = torch.zeros_like(self.epoch_m2).index_add_(0, codes, dev)
        n_a = self.epoch_count
        total = n_a + n_b
        share = (n_b / total.clamp_min(1)).unsqueeze(1)
        delta = mean_b - self.epoch_mean
        self.epoch_m2 += m2_b + delta.square() * (n_a.unsqueeze(1) * share)
        self.epoch_mean += delta * share
        self.epoch_count.copy_(total)

    def _bin_codes(self, features: Tensor, labels: Tensor) -> Tensor:
        owner = type(self).__name__
        if not isinstance(features, Tensor) or not features.is_floating_point():
            got = features.dtype if isinstance(features, Tensor) else type(features).__name__
            raise InvalidDataError(f"{owner} needs floating-point features; got {got}.")
        if features.ndim != 2 or features.shape[1] != self.n_features:
            raise InvalidDataError(
                f"{owner} was built for {self.n_features} features and got features of shape "
                f"{tuple(features.shape)}; pass a (N, {self.n_features}) tensor (flatten "
                "feature maps first)."
            )
        if not isinstance(labels, Tensor) or labels.is_complex() or labels.dtype == torch.bool:
            got = labels.dtype if isinstance(labels, Tensor) else type(labels).__name__
            raise InvalidDataError(
                f"{owner} needs labels as a real torch.Tensor of targets; got {got}."
            )
        n = features.shape[0]
        if labels.numel() != n or labels.ndim > 2 or (labels.ndim == 2 and labels.shape[1] != 1):
            raise InvalidDataError(
                f"{owner} got {n} feature rows and labels of shape {tuple(labels.shape)}; give "
                "one target per row, shape (N,) or (N, 1)."
            )
        y = labels.detach().reshape(-1).to(device=self.bin_edges.device, dtype=torch.float64)
        if y.device.type == "cpu" and y.numel() and not torch.compiler.is_compiling():
            finite = torch.isfinite(y)
            if not bool(finite.all()):
                first = int((~finite).nonzero()[0, 0])
                raise InvalidDataError(
                    f"{owner} needs finite labels; row {first} has {y[first].item()!r}. Drop "
                    "or impute those rows."
                )
        return torch.bucketize(y, self.bin_edges[1:-1], right=True)

    def _fold_epoch(self) -> None:
        """Fold the gathered epoch into the running statistics, then smooth them."""
        n_e = self.epoch_count
        present = n_e > 0
        if not bool(present.any()):
            return
        var_e = torch.where(
            (n_e > 1).unsqueeze(1), self.epoch_m2 / (n_e - 1).clamp_min(1).unsqueeze(1), 0.0
        )
        if self.momentum is None:
            keep = 1.0 - n_e / (self.running_count + n_e).clamp_min(1)
        else:
            keep = torch.full_like(n_e, self.momentum)
        keep = torch.where(self.running_count > 0, keep, 0.0).unsqueeze(1)
        rows = present.unsqueeze(1)
        new_mean = (1.0 - keep) * self.epoch_mean + keep * self.running_mean
        new_var = (1.0 - keep) * var_e + keep * self.running_var
        self.running_mean.copy_(torch.where(rows, new_mean, self.running_mean))
        self.running_var.copy_(torch.where(rows, new_var, self.running_var))
        self.running_count += n_e
        self.smoothed_mean.copy_(self._smooth(self.running_mean))
        self.smoothed_var.copy_(self._smooth(self.running_var))
        for buffer in (self.epoch_count, self.epoch_mean, self.epoch_m2):
            buffer.zero_()

    def _smooth(self, stats: Tensor) -> Tensor:
        """Normalised convolution across bins over the bins that have statistics."""
        seen = (self.running_count > 0).to(stats.dtype)
        half = (self.ks - 1) // 2
        weight = self.kernel_window.to(stats.dtype).view(1, 1, -1)

        def conv(x: Tensor) -> Tensor:  # (channels, bins) -> the same, smoothed
            x = x.unsqueeze(1)
            if half:
                x = F.pad(x, (half, half), mode="reflect")
            return F.conv1d(x, weight).squeeze(1)

        num = conv((stats * seen.unsqueeze(1)).t())
        den = conv(seen.unsqueeze(0))
        smoothed = (num / den.clamp_min(torch.finfo(stats.dtype).tiny)).t()
        return torch.where((den > 0).t(), smoothed, stats)

    def _calibrate(self, features: Tensor, codes: Tensor) -> Tensor:
        acc = opmath_dtype(features.dtype)
        codes = codes.to(features.device)
        m1, v1 = self.running_mean[codes].to(acc), self.running_var[codes].to(acc)
        m2, v2 = self.smoothed_mean[codes].to(acc), self.smoothed_var[codes].to(acc)
        usable = (self.running_count > 0) & (self.running_var.sum(1) >= _MIN_BIN_VARIANCE)
        ok = usable[codes].unsqueeze(1) & (v1 > 0)
        ratio = (v2 / torch.where(ok, v1, 1.0)).clamp(*self.clip)
        z = features.to(acc)
        out = torch.where(ok, (z - m1) * ratio.sqrt() + m2, z)
        return out.to(features.dtype)

    def get_extra_state(self) -> dict[str, Any]:
        return {"epoch": self.epoch}

    def set_extra_state(self, state: Any) -> None:
        self.epoch = state["epoch"]

    def extra_repr(self) -> str:
        return (
            f"n_features={self.n_features}, n_bins={self.n_bins}, kernel={self.kernel!r}, "
            f"ks={self.ks}, sigma={self.sigma}, momentum={self.momentum}, "
            f"start_update={self.start_update}, start_smooth={self.start_smooth}"
        )


def _check_count(value: Any, name: str, owner: str, *, low: int) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < low:
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} must be an int >= {low}. Got {value!r} instead."
        )
    return int(value)


def _check_edges(bin_edges: Any, owner: str) -> np.ndarray:
    raw = bin_edges.detach().cpu().numpy() if isinstance(bin_edges, Tensor) else bin_edges
    try:
        edges = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        edges = np.empty(0)
    if edges.ndim != 1 or edges.size < 2 or not np.isfinite(edges).all():
        ok = False
    else:
        ok = bool(np.all(np.diff(edges) > 0))
    if not ok:
        raise InvalidParameterError(
            f"The 'bin_edges' parameter of {owner} must be at least 2 increasing finite "
            f"edges. Got {bin_edges!r} instead. {owner}.from_targets(y, n_features, bins=100) "
            "makes equal-width bins over the targets."
        )
    return edges


def _check_clip(clip: Any, owner: str) -> tuple[float, float]:
    ok = isinstance(clip, Sequence) and len(clip) == 2
    if ok:
        low, high = clip
        ok = all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in clip)
        ok = ok and 0 < low <= high < float("inf")
    if not ok:
        raise InvalidParameterError(
            f"The 'clip' parameter of {owner} must be a pair (low, high) with "
            f"0 < low <= high, finite. Got {clip!r} instead."
        )
    return float(clip[0]), float(clip[1])


def finite_targets(y: Any, owner: str) -> np.ndarray:
    raw = y.detach().cpu().numpy() if isinstance(y, Tensor) else y
    try:
        values = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidDataError(f"{owner} needs numeric targets; got {y!r}.") from None
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1 or values.size == 0:
        raise InvalidDataError(
            f"{owner} needs one target per row, shape (n_samples,); got shape {values.shape}."
        )
    bad = ~np.isfinite(values)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InvalidDataError(
            f"{owner} needs finite targets; y holds {values[first]!r} at row {first}. Drop "
            "or impute those rows."
        )
    return values
