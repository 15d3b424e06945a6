"""SMOTER, SMOGN and Gaussian noise: new rows for the rare bumps of a continuous target.

The three share a plan (UBL's): bumps whose percentage is below 1 are under-sampled at
random, bumps above 1 get new rows whose base rows are drawn as in
:func:`imbalance.regression._target.new_rows`. They differ in how a new row is made from its
base row: between the base and one of its ``k_neighbors`` nearest rows of the same bump
(SMOTER), that where the neighbour is near enough and Gaussian noise around the base
otherwise (SMOGN), or Gaussian noise always (GaussianNoise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .._param_validation import Interval
from .._typing import ArrayLike, RandomState, SamplingStrategy
from ..base import Resampled, SamplerTags
from ..neighbors import median_distances, neighbor_index
from ..samplers._features import Features
from ._base import (
    NEIGHBOR_PARAMS,
    RELEVANCE_PARAMS,
    STRATEGY_PARAM,
    RegressionResampled,
    RegressionSampler,
)
from ._random import plan_rows
from ._target import Bumps, RegressionTarget

__all__ = ["SMOGN", "SMOTER", "GaussianNoise"]

# Rows of a bump sampled to estimate each row's median distance to the bump (SMOGN).
_MEDIAN_SAMPLE = 1024


@dataclass
class _Batch:
    """New rows of one bump: base and partner positions in X, steps, values and targets."""

    base: list[np.ndarray] = field(default_factory=list)
    partner: list[np.ndarray] = field(default_factory=list)
    step: list[np.ndarray] = field(default_factory=list)
    values: list[np.ndarray] = field(default_factory=list)
    targets: list[np.ndarray] = field(default_factory=list)

    def add(self, *parts: np.ndarray) -> None:
        for name, part in zip(("base", "partner", "step", "values", "targets"), parts, strict=True):
            getattr(self, name).append(part)


def _bump_rows(features: Features, members: np.ndarray) -> np.ndarray:
    F = features.rows(members)
    return np.asarray(F.toarray() if sp.issparse(F) else F, dtype=np.float64)


class _SyntheticRegression(RegressionSampler):
    """The plan and the assembly of SMOTER, SMOGN and GaussianNoise; subclasses make the
    rows of one bump in ``_make``."""

    _bump_role = "both"
    _sampler_tags = SamplerTags(kind="combine", synthetic=True, reads_features=True)

    def _resample(
        self,
        X: ArrayLike,
        target: RegressionTarget,
        bumps: Bumps,
        percentages: np.ndarray,
        rng: np.random.Generator,
    ) -> RegressionResampled:
        owner = type(self).__name__
        features = Features.of(X, owner)
        kept, grown = plan_rows(bumps, percentages, rng)
        batch = _Batch()
        self.neighbors_backend_ = "none"
        for members, base in grown:
            F = _bump_rows(features, members)
            self._make(F, target.y[members], members, base, rng, batch)
        n_cols = len(features.columns)
        values = np.concatenate(batch.values) if batch.values else np.empty((0, n_cols))
        base_all = np.concatenate(batch.base).astype(np.intp)
        partner = np.concatenate(batch.partner).astype(np.intp)
        steps = np.concatenate(batch.step)
        for j in features.integer_columns():
            low, high = features.int_ranges[j]
            np.clip(values[:, j], low, high, out=values[:, j])
        self.synthetic_steps_ = steps
        nearer = np.where(steps < 0.5, base_all, partner)
        others = _other_columns(X, features.columns)
        rows = Resampled(
            indices=kept,
            parents=np.column_stack([base_all, partner]),
            values=values,
            columns=list(features.columns),
            sources={pos: nearer for pos in others} if base_all.size else {},
        )
        return RegressionResampled(rows, np.concatenate(batch.targets))

    def _make(
        self,
        F: np.ndarray,
        y: np.ndarray,
        members: np.ndarray,
        base: np.ndarray,
        rng: np.random.Generator,
        batch: _Batch,
    ) -> None:
        raise NotImplementedError

    def _neighbours(self, F: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """k nearest rows of the bump for each of its rows (fewer in a small bump), from the
        engine's entry (which owns the thread rule)."""
        k = min(self.get_params()["k_neighbors"], F.shape[0] - 1)
        if k < 1:  # a one-row bump: its only partner is itself (new rows repeat it)
            return np.zeros((1, 1)), np.zeros((1, 1), dtype=np.intp)
        params = self.get_params()
        index = neighbor_index(F, backend=params["neighbors"], n_jobs=params["n_jobs"])
        dist, nn = index.kneighbors(None, k, return_distance=True)
        self.neighbors_backend_ = str(getattr(index, "backend_", "estimator"))
        return dist, nn


def _interpolate(
    F: np.ndarray, y: np.ndarray, base: np.ndarray, nb: np.ndarray, steps: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``base + step * (nb - base)`` on the features and the target alike: the target is the
    mean of the parents' targets weighted by the new row's distance to the other parent."""
    values = F[base] + steps[:, None] * (F[nb] - F[base])
    return values, y[base] + steps * (y[nb] - y[base])


def _noise(
    F: np.ndarray,
    y: np.ndarray,
    base: np.ndarray,
    scale: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian noise around the base rows: per column, sd = the bump's sd times ``scale``."""
    sd_x, sd_y = F.std(axis=0), y.std()
    values = F[base] + rng.standard_normal((base.size, F.shape[1])) * sd_x * scale[:, None]
    return values, y[base] + rng.standard_normal(base.size) * sd_y * scale


def _other_columns(X: Any, columns: list[int]) -> list[int]:
    from .. import _containers

    if not _containers.is_frame(X):
        return []
    taken = set(columns)
    return [i for i in range(len(X.columns)) if i not in taken]


_SYNTHETIC_PARAMS: dict[str, list[Any]] = {
    "sampling_strategy": STRATEGY_PARAM,
    **RELEVANCE_PARAMS,
    **NEIGHBOR_PARAMS,
}


class SMOTER(_SyntheticRegression):
    """SMOTE for regression (Torgo et al., 2013): new rare rows between neighbours.

    Rows are split into bumps (runs of increasing target values that are all rare, relevance
    phi >= ``threshold``, or all common). ``sampling_strategy`` gives each bump a percentage
    ``p`` (UBL's ``C.perc``): a bump with ``p < 1`` keeps ``int(p * size)`` random rows, one
    with ``p > 1`` keeps its rows and gets ``(p - 1) * size`` new ones. A new row lies between a
    base row and one of its ``k_neighbors`` nearest rows of the same bump (neighbours from
    :mod:`imbalance.neighbors` on the numeric columns): ``base + step * (nb - base)`` with
    ``step`` uniform in [0, 1), and its target is the parents' targets weighted by the new
    row's distance to the other parent, which for a point on the segment is the same step:
    ``y_base + step * (y_nb - y_base)``.

    Output: the kept rows in input order, then the new rows bump by bump. Integer columns and
    an integer target are rounded (integer columns stay in their observed range); other
    non-numeric columns (booleans, categories, text, times) take the nearer parent's value.
    pandas new rows get index labels that cannot collide with X's.

    Parameters
    ----------
    sampling_strategy : {"balance", "extreme"} or list of float, default="balance"
        ``"balance"``: every bump moves to the mean bump size ``round(n / n_bumps)``;
        ``"extreme"``: rare bumps grow and common bumps shrink past that (UBL's formula). A
        list gives each bump's percentage, in increasing order of the target.
    threshold : float, default=0.5
        Relevance from which a value is rare.
    control_points : array-like of shape (n_points, 2 or 3), default=None
        Relevance control points; ``None`` derives them from the box plot of y.
    extreme : {"both", "high", "low"}, default="both"
        Which tails are rare when the control points are automatic.
    coef : float, default=1.5
        Box-plot whisker length (automatic control points).
    k_neighbors : int, default=5
        Nearest rows of the same bump among which a partner is drawn (fewer in a bump with
        fewer rows; a one-row bump repeats its row).
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the neighbour search (see :mod:`imbalance.neighbors`).
    n_jobs : int or None, default=None
        Threads of the neighbour search; the output does not depend on it.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws.

    Attributes
    ----------
    relevance_ : ndarray of shape (n_samples,)
        Relevance phi of each input row.
    bump_bounds_ : ndarray of shape (n_bumps, 2)
        Smallest and largest target value of each bump.
    bump_rare_ : ndarray of shape (n_bumps,)
        Whether each bump is rare.
    bump_counts_ : ndarray of shape (n_bumps,)
        Rows of each bump in the input.
    sampling_strategy_ : dict of {int: float}
        Percentage of each bump.
    target_counts_ : dict of {int: int}
        Rows of each bump in the output (a new row counts in its base row's bump).
    sample_indices_ : ndarray of shape (n_kept,)
        Positions in X of the kept rows, in output order.
    synthetic_parents_ : ndarray of shape (n_synthetic, 2)
        Positions in X of the base row and of the partner of each new row.
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        Step of each new row from its base towards its partner.
    neighbors_backend_ : str
        The neighbour backend that answered (``"none"`` when no search ran).
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    SMOGN : SMOTER near the base row, Gaussian noise farther away.

    References
    ----------
    .. [1] L. Torgo, R. P. Ribeiro, B. Pfahringer and P. Branco, "SMOTE for Regression",
       EPIA 2013, LNCS 8154, 378-389.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import SMOTER
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3))
    >>> y = np.exp(X[:, 0])
    >>> smoter = SMOTER(random_state=0)
    >>> X_res, y_res = smoter.fit_resample(X, y)
    >>> b, nb = smoter.synthetic_parents_.T
    >>> t = smoter.synthetic_steps_
    >>> n = smoter.sample_indices_.size
    >>> bool(np.allclose(y_res[n:], y[b] + t * (y[nb] - y[b])))
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = _SYNTHETIC_PARAMS

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "balance",
        threshold: float = 0.5,
        control_points: npt.ArrayLike | None = None,
        extreme: str = "both",
        coef: float = 1.5,
        k_neighbors: int = 5,
        neighbors: str = "auto",
        n_jobs: int | None = None,
        random_state: RandomState = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.threshold = threshold
        self.control_points = control_points
        self.extreme = extreme
        self.coef = coef
        self.k_neighbors = k_neighbors
        self.neighbors = neighbors
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _make(
        self,
        F: np.ndarray,
        y: np.ndarray,
        members: np.ndarray,
        base: np.ndarray,
        rng: np.random.Generator,
        batch: _Batch,
    ) -> None:
        _, nn = self._neighbours(F)
        nb = nn[base, rng.integers(0, nn.shape[1], size=base.size)]
        steps = rng.random(base.size)
        values, targets = _interpolate(F, y, base, nb, steps)
        batch.add(members[base], members[nb], steps, values, targets)


class SMOGN(_SyntheticRegression):
    """SMOGN (Branco et al., 2017): SMOTER where the neighbour is near, Gaussian noise
    otherwise.

    As :class:`SMOTER`, with one change in how a new row is made from a base row and a partner
    drawn among its ``k_neighbors`` nearest rows of the bump: the partner is *safe* when its
    distance to the base is below half the base's median distance to the rows of the bump
    (``maxD``). A safe pair gives a SMOTER row; otherwise the new row is the base row plus
    Gaussian noise on every numeric column and on the target, with standard deviation the
    bump's standard deviation times ``min(pert, maxD)`` (as the ``smogn`` package and UBL
    do). The median distance is exact for bumps of at most 1,024 rows and estimated from 1,024
    rows drawn from the bump otherwise. Noise rows list their base row twice in
    ``synthetic_parents_`` and have step 0.

    Parameters
    ----------
    sampling_strategy : {"balance", "extreme"} or list of float, default="balance"
        As for :class:`SMOTER`.
    threshold : float, default=0.5
        Relevance from which a value is rare.
    control_points : array-like of shape (n_points, 2 or 3), default=None
        Relevance control points; ``None`` derives them from the box plot of y.
    extreme : {"both", "high", "low"}, default="both"
        Which tails are rare when the control points are automatic.
    coef : float, default=1.5
        Box-plot whisker length (automatic control points).
    k_neighbors : int, default=5
        Nearest rows of the same bump among which a partner is drawn.
    pert : float, default=0.02
        Largest noise level, a fraction of each column's standard deviation in the bump.
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the neighbour searches (see :mod:`imbalance.neighbors`).
    n_jobs : int or None, default=None
        Threads of the neighbour searches; the output does not depend on it.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws.

    Attributes
    ----------
    relevance_ : ndarray of shape (n_samples,)
        Relevance phi of each input row.
    bump_bounds_ : ndarray of shape (n_bumps, 2)
        Smallest and largest target value of each bump.
    bump_rare_ : ndarray of shape (n_bumps,)
        Whether each bump is rare.
    bump_counts_ : ndarray of shape (n_bumps,)
        Rows of each bump in the input.
    sampling_strategy_ : dict of {int: float}
        Percentage of each bump.
    target_counts_ : dict of {int: int}
        Rows of each bump in the output.
    sample_indices_ : ndarray of shape (n_kept,)
        Positions in X of the kept rows, in output order.
    synthetic_parents_ : ndarray of shape (n_synthetic, 2)
        Positions in X of the base row and of the partner of each new row.
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        Step of each new row towards its partner (0 for noise rows).
    synthetic_noise_ : ndarray of shape (n_synthetic,)
        Whether each new row was made by Gaussian noise (its partner was not safe).
    neighbors_backend_ : str
        The neighbour backend that answered.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    SMOTER : interpolation only.
    GaussianNoise : noise only.

    References
    ----------
    .. [1] P. Branco, L. Torgo and R. P. Ribeiro, "SMOGN: a Pre-processing Approach for
       Imbalanced Regression", LIDTA 2017, PMLR 74, 36-50.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import SMOGN
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3))
    >>> y = np.exp(X[:, 0])
    >>> smogn = SMOGN(random_state=0)
    >>> X_res, y_res = smogn.fit_resample(X, y)
    >>> smogn.bump_rare_.tolist(), smogn.target_counts_
    ([False, True], {0: 150, 1: 150})
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **_SYNTHETIC_PARAMS,
        "pert": [Interval("real", 0, None, closed="neither")],
    }

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "balance",
        threshold: float = 0.5,
        control_points: npt.ArrayLike | None = None,
        extreme: str = "both",
        coef: float = 1.5,
        k_neighbors: int = 5,
        pert: float = 0.02,
        neighbors: str = "auto",
        n_jobs: int | None = None,
        random_state: RandomState = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.threshold = threshold
        self.control_points = control_points
        self.extreme = extreme
        self.coef = coef
        self.k_neighbors = k_neighbors
        self.pert = pert
        self.neighbors = neighbors
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _resample(
        self,
        X: ArrayLike,
        target: RegressionTarget,
        bumps: Bumps,
        percentages: np.ndarray,
        rng: np.random.Generator,
    ) -> RegressionResampled:
        self._noise_parts: list[np.ndarray] = []
        out = super()._resample(X, target, bumps, percentages, rng)
        self.synthetic_noise_ = (
            np.concatenate(self._noise_parts) if self._noise_parts else np.zeros(0, dtype=bool)
        )
        return out

    def _make(
        self,
        F: np.ndarray,
        y: np.ndarray,
        members: np.ndarray,
        base: np.ndarray,
        rng: np.random.Generator,
        batch: _Batch,
    ) -> None:
        dist, nn = self._neighbours(F)
        max_d = self._half_median_distance(F, rng)
        col = rng.integers(0, nn.shape[1], size=base.size)
        nb = nn[base, col]
        safe = dist[base, col] < max_d[base]
        steps = np.where(safe, rng.random(base.size), 0.0)
        values, targets = _interpolate(F, y, base, nb, steps)
        scale = np.minimum(self.pert, max_d[base])
        noisy_values, noisy_targets = _noise(F, y, base, scale, rng)
        values[~safe] = noisy_values[~safe]
        targets = np.where(safe, targets, noisy_targets)
        batch.add(members[base], members[np.where(safe, nb, base)], steps, values, targets)
        self._noise_parts.append(~safe)

    def _half_median_distance(self, F: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Half the median distance of each row to the rows of its bump (itself included,
        as in UBL and smogn), exact up to 1,024 rows and from a sample of 1,024 beyond."""
        n = F.shape[0]
        sample = np.arange(n) if n <= _MEDIAN_SAMPLE else rng.choice(n, _MEDIAN_SAMPLE, False)
        return median_distances(F, F[sample]) / 2


class GaussianNoise(_SyntheticRegression):
    """Gaussian noise for regression (UBL's GaussNoiseRegress): new rare rows near rare rows.

    Bumps and percentages as in :class:`SMOTER`; each new row is a base row plus Gaussian
    noise on every numeric column and on the target, with standard deviation the bump's
    standard deviation times ``pert``. New rows list their base row twice in
    ``synthetic_parents_``.

    Parameters
    ----------
    sampling_strategy : {"balance", "extreme"} or list of float, default="balance"
        As for :class:`SMOTER`.
    threshold : float, default=0.5
        Relevance from which a value is rare.
    control_points : array-like of shape (n_points, 2 or 3), default=None
        Relevance control points; ``None`` derives them from the box plot of y.
    extreme : {"both", "high", "low"}, default="both"
        Which tails are rare when the control points are automatic.
    coef : float, default=1.5
        Box-plot whisker length (automatic control points).
    pert : float, default=0.1
        Noise level, a fraction of each column's standard deviation in the bump.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws.

    Attributes
    ----------
    relevance_ : ndarray of shape (n_samples,)
        Relevance phi of each input row.
    bump_bounds_ : ndarray of shape (n_bumps, 2)
        Smallest and largest target value of each bump.
    bump_rare_ : ndarray of shape (n_bumps,)
        Whether each bump is rare.
    bump_counts_ : ndarray of shape (n_bumps,)
        Rows of each bump in the input.
    sampling_strategy_ : dict of {int: float}
        Percentage of each bump.
    target_counts_ : dict of {int: int}
        Rows of each bump in the output.
    sample_indices_ : ndarray of shape (n_kept,)
        Positions in X of the kept rows, in output order.
    synthetic_parents_ : ndarray of shape (n_synthetic, 2)
        The base row of each new row, twice.
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        Zeros (no interpolation).
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    SMOGN : interpolation where it is safe, noise elsewhere.

    References
    ----------
    .. [1] P. Branco, L. Torgo and R. P. Ribeiro, "Pre-processing approaches for imbalanced
       distributions in regression", Neurocomputing 343, 76-99, 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import GaussianNoise
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 2))
    >>> y = np.exp(X[:, 0])
    >>> X_res, y_res = GaussianNoise(random_state=0).fit_resample(X, y)
    >>> X_res.shape
    (300, 2)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": STRATEGY_PARAM,
        **RELEVANCE_PARAMS,
        "pert": [Interval("real", 0, None, closed="neither")],
    }

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "balance",
        threshold: float = 0.5,
        control_points: npt.ArrayLike | None = None,
        extreme: str = "both",
        coef: float = 1.5,
        pert: float = 0.1,
        random_state: RandomState = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.threshold = threshold
        self.control_points = control_points
        self.extreme = extreme
        self.coef = coef
        self.pert = pert
        self.random_state = random_state

    def _make(
        self,
        F: np.ndarray,
        y: np.ndarray,
        members: np.ndarray,
        base: np.ndarray,
        rng: np.random.Generator,
        batch: _Batch,
    ) -> None:
        scale = np.full(base.size, float(self.pert))
        values, targets = _noise(F, y, base, scale, rng)
        batch.add(members[base], members[base], np.zeros(base.size), values, targets)
