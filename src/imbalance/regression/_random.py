"""Random under- and over-sampling for a continuous target (UBL's RandUnderRegress and
RandOverRegress), and the row plan they share with the synthetic samplers."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from .._typing import ArrayLike, RandomState, SamplingStrategy
from ..base import Resampled, SamplerTags
from ._base import RELEVANCE_PARAMS, STRATEGY_PARAM, RegressionResampled, RegressionSampler
from ._target import Bumps, RegressionTarget, new_rows

__all__ = ["RandomOverSampler", "RandomUnderSampler", "plan_rows"]


def plan_rows(
    bumps: Bumps, percentages: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """Rows kept (sorted positions) and, for each bump that grows, its members and the
    positions within it of the base row of each new row.

    A bump with percentage ``p < 1`` keeps ``int(p * size)`` of its rows, drawn without
    replacement; ``p > 1`` keeps every row and adds ``(p - 1) * size`` rows (see
    :func:`new_rows`); ``p = 1`` keeps every row.
    """
    kept: list[np.ndarray] = []
    grown: list[tuple[np.ndarray, np.ndarray]] = []
    for members, p in zip(bumps.members, percentages.tolist(), strict=True):
        if p < 1:
            kept.append(rng.choice(members, size=int(p * members.size), replace=False))
            continue
        kept.append(members)
        if p > 1:
            grown.append((members, new_rows(members.size, p, rng)))
    return np.sort(np.concatenate(kept)).astype(np.intp), grown


class _RandomRegression(RegressionSampler):
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": STRATEGY_PARAM,
        **RELEVANCE_PARAMS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "balance",
        threshold: float = 0.5,
        control_points: npt.ArrayLike | None = None,
        extreme: str = "both",
        coef: float = 1.5,
        random_state: RandomState = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
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
        kept, grown = plan_rows(bumps, percentages, rng)
        copies = [members[base] for members, base in grown]
        indices = np.concatenate([kept, *copies]).astype(np.intp)
        return RegressionResampled(Resampled(indices), np.empty(0))


class RandomUnderSampler(_RandomRegression):
    """Under-sample the common target values of a regression data set (UBL's RandUnderRegress).

    The rows are split into bumps: runs of increasing target values that are all rare
    (relevance phi >= ``threshold``) or all common. Each common bump keeps a random share of its
    rows; rare bumps are kept whole. Kept rows come out in input order.

    Parameters
    ----------
    sampling_strategy : {"balance", "extreme"} or list of float, default="balance"
        ``"balance"``: every common bump keeps the share ``n_rare / n_common`` of its rows, so
        that as many common as rare rows remain; ``"extreme"``: the share
        ``(n_rare / n_common) ** 2``, so that common rows become the fewer. A list gives the
        share (in (0, 1]) kept of each common bump, in increasing order of the target.
    threshold : float, default=0.5
        Relevance from which a value is rare.
    control_points : array-like of shape (n_points, 2 or 3), default=None
        Relevance control points ``(value, relevance[, slope])``; ``None`` derives them from
        the box plot of y (see :func:`imbalance.regression.relevance`).
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
        Smallest and largest target value of each bump, in increasing order.
    bump_rare_ : ndarray of shape (n_bumps,)
        Whether each bump is rare.
    bump_counts_ : ndarray of shape (n_bumps,)
        Rows of each bump in the input.
    sampling_strategy_ : dict of {int: float}
        Share kept (or growth factor) of each bump, UBL's ``C.perc``.
    target_counts_ : dict of {int: int}
        Rows of each bump in the output.
    sample_indices_ : ndarray of shape (n_kept,)
        Positions in X of the output rows.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    RandomOverSampler : repeat rows of the rare bumps instead.
    SMOGN : under-sample common bumps and make new rare rows.

    References
    ----------
    .. [1] L. Torgo, P. Branco, R. P. Ribeiro and B. Pfahringer, "Resampling strategies for
       regression", Expert Systems 32(3), 465-476, 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import RandomUnderSampler
    >>> rng = np.random.default_rng(0)
    >>> y = rng.lognormal(size=500)
    >>> X = y[:, None] + rng.normal(size=(500, 1))
    >>> rus = RandomUnderSampler(random_state=0)
    >>> X_res, y_res = rus.fit_resample(X, y)
    >>> rus.bump_rare_.tolist(), rus.bump_counts_.tolist(), rus.target_counts_
    ([False, True], [408, 92], {0: 92, 1: 92})
    """

    _bump_role = "under"
    _sampler_tags = SamplerTags(kind="under", exact_counts=False)


class RandomOverSampler(_RandomRegression):
    """Over-sample the rare target values of a regression data set by repeating rows (UBL's
    RandOverRegress).

    Rows are split into bumps as in :class:`RandomUnderSampler`. Each rare bump keeps its rows
    and repeats some: a bump grown by the factor ``p`` repeats every row ``int(p - 1)`` times
    and then ``int(size * frac(p - 1))`` distinct rows drawn at random. The input rows come
    first, in input order, then the repeats, listed in ``sample_indices_``.

    Parameters
    ----------
    sampling_strategy : {"balance", "extreme"} or list of float, default="balance"
        ``"balance"``: every rare bump grows by ``n_common / n_rare``, so that there are as
        many rare as common rows; ``"extreme"``: by ``(n_common / n_rare) ** 2``, so that rare
        rows become the majority. A list gives the factor (>= 1) of each rare bump, in
        increasing order of the target.
    threshold : float, default=0.5
        Relevance from which a value is rare.
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
        Smallest and largest target value of each bump.
    bump_rare_ : ndarray of shape (n_bumps,)
        Whether each bump is rare.
    bump_counts_ : ndarray of shape (n_bumps,)
        Rows of each bump in the input.
    sampling_strategy_ : dict of {int: float}
        Growth factor of each bump.
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
    SMOTER : new rare rows between neighbours instead of repeats.

    References
    ----------
    .. [1] P. Branco, L. Torgo and R. P. Ribeiro, "Pre-processing approaches for imbalanced
       distributions in regression", Neurocomputing 343, 76-99, 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import RandomOverSampler
    >>> rng = np.random.default_rng(0)
    >>> y = rng.lognormal(size=500)
    >>> ros = RandomOverSampler(random_state=0)
    >>> X_res, y_res = ros.fit_resample(y[:, None], y)
    >>> ros.target_counts_
    {0: 408, 1: 408}
    """

    _bump_role = "over"
    _sampler_tags = SamplerTags(kind="over", exact_counts=False)
