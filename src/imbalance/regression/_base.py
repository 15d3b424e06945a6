"""The regression samplers' hooks on the one ``fit_resample`` shell.

:class:`RegressionSampler` replaces the hooks of :class:`imbalance.base.BaseSampler` that
assume classes: the target is checked as continuous (finite, not constant), the relevance of
every row is computed and the rows are split into bumps, the sampling percentages are
resolved per bump, and the output writes the synthetic rows' target values.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .. import _containers
from .._param_validation import Interval, Options
from .._typing import ArrayLike, Target
from .._validation import check_X_y
from ..base import BaseSampler, Resampled, column_names
from ..exceptions import InvalidDataError
from ..neighbors import BACKENDS
from ._relevance import RelevanceWarning, check_control_points, relevance_values
from ._target import (
    Bumps,
    RegressionTarget,
    as_float_target,
    bump_percentages,
    find_bumps,
    write_target_tail,
)

__all__ = [
    "NEIGHBOR_PARAMS",
    "RELEVANCE_PARAMS",
    "STRATEGY_PARAM",
    "RegressionResampled",
    "RegressionSampler",
]


def _is_percentages(value: object) -> bool:
    return isinstance(value, list | tuple | np.ndarray)


class _Percentages(Options):
    def __init__(self) -> None:
        super().__init__(())

    def accepts(self, value: object) -> bool:
        return _is_percentages(value)

    def describe(self) -> str:
        return "a list of percentages, one per bump"


class _ControlPoints(Options):
    def __init__(self) -> None:
        super().__init__(())

    def accepts(self, value: object) -> bool:
        return value is None or _is_percentages(value)

    def describe(self) -> str:
        return "None or rows (value, relevance[, slope])"


RELEVANCE_PARAMS: dict[str, list[Any]] = {
    "threshold": [Interval("real", 0, 1, closed="right")],
    "control_points": [_ControlPoints()],
    "extreme": [Options(("both", "high", "low"))],
    "coef": [Interval("real", 0, None, closed="neither")],
    "random_state": ["random_state"],
}
STRATEGY_PARAM: list[Any] = [Options(("balance", "extreme")), _Percentages()]
NEIGHBOR_PARAMS: dict[str, list[Any]] = {
    "k_neighbors": [Interval("int", 1, None)],
    "neighbors": [Options(BACKENDS)],
    "n_jobs": [None, Interval("int", -1, -1), Interval("int", 1, None)],
}


@dataclass(frozen=True)
class RegressionResampled:
    """Rows out (``rows``) and the target value of each synthetic row (``targets``)."""

    rows: Resampled
    targets: np.ndarray


class RegressionSampler(BaseSampler):
    """Base class of the samplers for a continuous target: the one shell, with regression hooks.

    Rows are split into bumps: runs of increasing target values that are all rare
    (``relevance_ >= threshold``) or all common. Subclasses set ``_bump_role`` (``"under"``,
    ``"over"`` or ``"both"``: which bumps ``sampling_strategy`` moves) and implement
    ``_resample(X, target, bumps, percentages, rng) -> RegressionResampled``.

    When no row is rare, or every row is, there is nothing to balance: the sampler warns
    (:class:`RelevanceWarning`) and returns the data unchanged.
    """

    _bump_role: ClassVar[str] = "both"

    def _check_data(self, X: ArrayLike, y: Target) -> tuple[Any, Any, int, Any]:
        X, y, n_features, y_arr = check_X_y(X, y)
        owner = type(self).__name__
        values = as_float_target(y_arr, owner)
        if values.size and values.min() == values.max():
            raise InvalidDataError(
                f"{owner} needs a target that varies; every value of y is "
                f"{float(values[0])!r}, so no value is rarer than another. Check the target "
                "column."
            )
        return X, y, n_features, RegressionTarget(values, np.asarray(y_arr).dtype)

    def _record_input(self, X: ArrayLike, n_features: int, target: RegressionTarget) -> None:
        self.n_features_in_ = n_features
        names = column_names(X)
        if names is None:
            self.__dict__.pop("feature_names_in_", None)
        else:
            self.feature_names_in_ = names

    def _resolve_targets(self, target: RegressionTarget) -> None:
        params = self.get_params(deep=False)
        if params["control_points"] is not None:
            check_control_points(params["control_points"])
        # no rare region is reported once, by _fit_resample, with what the sampler does
        self.relevance_, warning = relevance_values(
            target.y,
            params["control_points"],
            params["extreme"],
            params["coef"],
            warn_no_rare=False,
        )
        if warning:
            warnings.warn(warning, RelevanceWarning, stacklevel=4)
        bumps = find_bumps(target.y, self.relevance_, params["threshold"])
        self._bumps = bumps
        self.bump_bounds_ = bumps.bounds(target.y)
        self.bump_rare_ = bumps.rare.copy()
        self.bump_counts_ = bumps.sizes.copy()
        self._noop = bool(bumps.rare.all() or not bumps.rare.any())
        if self._noop:
            self.sampling_strategy_ = dict.fromkeys(range(len(bumps.members)), 1)
            return
        strategy = params.get("sampling_strategy", "balance")
        perc = bump_percentages(type(self).__name__, strategy, bumps, self._bump_role)
        self._percentages = perc
        self.sampling_strategy_: dict[Any, Any] = dict(enumerate(perc.tolist()))

    def _fit_resample(
        self, X: ArrayLike, target: RegressionTarget, rng: np.random.Generator
    ) -> RegressionResampled:
        bumps: Bumps = self._bumps
        if self._noop:
            which = "every" if bumps.rare.all() else "no"
            warnings.warn(
                f"{type(self).__name__}: {which} row has relevance >= threshold="
                f"{self.get_params()['threshold']!r}, so there is no rare region to balance; "
                "the data are returned unchanged. Lower the threshold, or give control_points "
                "that mark the values that matter.",
                RelevanceWarning,
                stacklevel=3,
            )
            return RegressionResampled(Resampled(np.arange(target.y.size)), np.empty(0))
        perc = np.asarray(self._percentages, dtype=np.float64)
        return self._resample(X, target, bumps, perc, rng)

    def _resample(
        self,
        X: ArrayLike,
        target: RegressionTarget,
        bumps: Bumps,
        percentages: np.ndarray,
        rng: np.random.Generator,
    ) -> RegressionResampled:
        raise NotImplementedError

    def _assemble(
        self, X: ArrayLike, y: Target, target: RegressionTarget, out: RegressionResampled
    ) -> tuple[Any, Any]:
        res = out.rows
        n_new = res.parents.shape[0]
        self.sample_indices_ = res.indices
        if self._get_sampler_tags().synthetic:
            self.synthetic_parents_ = res.parents
        rows = res.indices if n_new == 0 else np.concatenate([res.indices, res.parents[:, 0]])
        self.target_counts_ = self._counts_after(target, rows)
        X_res = _containers.take_rows(X, rows)
        if n_new:
            if res.sources:
                X_res = _containers.copy_tail_columns(X_res, X, res.sources)
            if res.columns:
                X_res = _containers.replace_tail(X_res, res.columns, res.values, like=X)
            else:
                X_res = _containers.relabel_tail(X_res, n_new, like=X)
        y_res = write_target_tail(_containers.take_rows(y, rows), out.targets, like=y)
        return X_res, y_res

    def _counts_after(self, target: RegressionTarget, rows: np.ndarray) -> dict[int, int]:
        """Rows of each bump in the output (a synthetic row counts in its base row's bump)."""
        bump_of = np.empty(target.y.size, dtype=np.intp)
        for k, members in enumerate(self._bumps.members):
            bump_of[members] = k
        counts = np.bincount(bump_of[rows], minlength=len(self._bumps.members))
        return dict(enumerate(counts.tolist()))
