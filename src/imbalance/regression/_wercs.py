"""WERCS: weighted relevance-based combination of over- and under-sampling."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from .._param_validation import Interval
from .._typing import ArrayLike, RandomState
from ..base import Resampled, SamplerTags
from ._base import RELEVANCE_PARAMS, RegressionResampled, RegressionSampler
from ._target import Bumps, RegressionTarget

__all__ = ["WERCS", "weighted_choice"]


def weighted_choice(
    weights: np.ndarray, size: int, rng: np.random.Generator, *, replace: bool
) -> np.ndarray:
    """``size`` positions drawn with probability proportional to ``weights``.

    Without replacement: the ``size`` largest keys ``u ** (1 / w)`` (Efraimidis & Spirakis,
    2006), O(n log n); positions of zero weight are drawn last, in random order.
    """
    n = weights.size
    if replace:
        total = weights.sum()
        p = weights / total if total > 0 else np.full(n, 1.0 / n)
        return rng.choice(n, size=size, replace=True, p=p)
    u = rng.random(n)
    with np.errstate(divide="ignore"):
        keys = np.where(weights > 0, np.log(u) / np.where(weights > 0, weights, 1.0), -np.inf)
    ties = rng.random(n)  # orders the rows of zero weight at random
    order = np.lexsort((-ties, -keys))
    return np.sort(order[:size])


class WERCS(RegressionSampler):
    """WERCS (Branco et al., 2019): repeat rows in proportion to their relevance and remove
    rows in proportion to their irrelevance.

    ``over * n`` rows are drawn with replacement with probability proportional to the
    relevance phi and repeated; ``under * n`` rows are drawn without replacement with
    probability proportional to ``1 - phi`` and removed. No threshold is involved: every row
    can be repeated or removed, the rare ones more likely repeated. Output: the rows kept, in
    input order, then the repeats (all listed in ``sample_indices_``).

    Parameters
    ----------
    over : float, default=0.5
        Rows repeated, as a fraction of the number of rows.
    under : float, default=0.5
        Rows removed, as a fraction of the number of rows (below 1).
    threshold : float, default=0.5
        Only used to warn when no row is rare (WERCS then returns the data unchanged).
    control_points : array-like of shape (n_points, 2 or 3), default=None
        Relevance control points; ``None`` derives them from the box plot of y.
    extreme : {"both", "high", "low"}, default="both"
        Which tails are rare when the control points are automatic.
    coef : float, default=1.5
        Box-plot whisker length (automatic control points).
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws.

    Attributes
    ----------
    relevance_ : ndarray of shape (n_samples,)
        Relevance phi of each input row.
    bump_bounds_ : ndarray of shape (n_bumps, 2)
        Smallest and largest target value of each bump (for inspection).
    bump_rare_ : ndarray of shape (n_bumps,)
        Whether each bump is rare.
    bump_counts_ : ndarray of shape (n_bumps,)
        Rows of each bump in the input.
    sampling_strategy_ : dict of {int: float}
        Ones (WERCS does not sample by bump).
    target_counts_ : dict of {int: int}
        Rows of each bump in the output.
    sample_indices_ : ndarray of shape (n_output,)
        Positions in X of the output rows (repeats included).
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    RandomOverSampler, RandomUnderSampler : by bump, with a threshold.

    References
    ----------
    .. [1] P. Branco, L. Torgo and R. P. Ribeiro, "Pre-processing approaches for imbalanced
       distributions in regression", Neurocomputing 343, 76-99, 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import WERCS
    >>> rng = np.random.default_rng(0)
    >>> y = rng.lognormal(size=400)
    >>> wercs = WERCS(over=0.25, under=0.25, random_state=0)
    >>> X_res, y_res = wercs.fit_resample(y[:, None], y)
    >>> X_res.shape
    (400, 1)
    >>> bool(wercs.relevance_[wercs.sample_indices_].mean() > wercs.relevance_.mean())
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "over": [Interval("real", 0, None)],
        "under": [Interval("real", 0, 1, closed="left")],
        **RELEVANCE_PARAMS,
    }
    _sampler_tags = SamplerTags(kind="combine", exact_counts=False)
    _bump_role = "none"

    def __init__(
        self,
        *,
        over: float = 0.5,
        under: float = 0.5,
        threshold: float = 0.5,
        control_points: npt.ArrayLike | None = None,
        extreme: str = "both",
        coef: float = 1.5,
        random_state: RandomState = None,
    ) -> None:
        self.over = over
        self.under = under
        self.threshold = threshold
        self.control_points = control_points
        self.extreme = extreme
        self.coef = coef
        self.random_state = random_state

    def _resample(
        self,
        X: ArrayLike,
        target: RegressionTarget,
        bumps: Bumps,
        percentages: np.ndarray,
        rng: np.random.Generator,
    ) -> RegressionResampled:
        n = target.y.size
        phi = self.relevance_
        n_over, n_under = int(self.over * n), int(self.under * n)
        removed = weighted_choice(1.0 - phi, n_under, rng, replace=False)
        repeats = weighted_choice(phi, n_over, rng, replace=True)
        keep = np.ones(n, dtype=bool)
        keep[removed] = False
        indices = np.concatenate([np.flatnonzero(keep), repeats]).astype(np.intp)
        return RegressionResampled(Resampled(indices), np.empty(0))
