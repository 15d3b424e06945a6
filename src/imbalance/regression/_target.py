"""A continuous target: checks, bumps of relevance, and per-bump sampling percentages.

A *bump* (UBL's word) is a maximal run of target values, in increasing order, that are all
rare (relevance >= threshold) or all common. Samplers resample bump by bump.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from .. import _containers
from .._typing import SamplingStrategy, Target
from ..exceptions import DataTypeError, InvalidDataError, InvalidParameterError

__all__ = [
    "Bumps",
    "RegressionTarget",
    "as_float_target",
    "bump_percentages",
    "find_bumps",
    "new_rows",
    "write_target_tail",
]


def as_float_target(y: Target, owner: str, *, name: str = "y") -> np.ndarray:
    """``y`` as a 1-D float64 array of finite numbers, or an error in the user's terms
    (``name``: what the caller calls it, ``y``, ``y_true`` or ``y_pred``)."""
    arr = y if isinstance(y, np.ndarray) else _containers.target_to_numpy(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise InvalidDataError(
            f"{owner} takes one continuous target per row; y has shape {arr.shape}. Pass a "
            "1-D array or a Series."
        )
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iufO":
        raise DataTypeError(
            f"{owner} needs a numeric continuous target; y has dtype {arr.dtype}. For class "
            "labels use the samplers of imbalance.samplers."
        )
    try:
        values = np.asarray(arr, dtype=np.float64)
    except (TypeError, ValueError):
        raise DataTypeError(
            f"{owner} needs a numeric continuous target; y holds values that are not numbers."
        ) from None
    bad = ~np.isfinite(values)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        fix = (
            "Check the model's predictions."
            if name == "y_pred"
            else "Drop those rows or impute the target before resampling."
        )
        raise InvalidDataError(
            f"{owner} needs a finite target; {name} holds {int(bad.sum())} missing or "
            f"infinite value(s) (first at row {first}: {float(values[first])!r}). {fix}"
        )
    return values


@dataclass(frozen=True)
class RegressionTarget:
    """The target values as float64 (``y``) and the caller's numpy dtype (``dtype``)."""

    y: np.ndarray
    dtype: np.dtype


@dataclass(frozen=True)
class Bumps:
    """Rows of each bump (positions, in increasing target order) and whether it is rare."""

    members: list[np.ndarray]
    rare: np.ndarray

    @property
    def sizes(self) -> np.ndarray:
        return np.array([m.size for m in self.members], dtype=np.intp)

    def bounds(self, y: np.ndarray) -> np.ndarray:
        return np.array([[y[m].min(), y[m].max()] for m in self.members], dtype=np.float64)


def find_bumps(y: np.ndarray, phi: np.ndarray, threshold: float) -> Bumps:
    """Split the rows, sorted by target, where relevance crosses ``threshold``."""
    order = np.argsort(y, kind="stable")
    rare_sorted = phi[order] >= threshold
    cuts = np.flatnonzero(rare_sorted[1:] != rare_sorted[:-1]) + 1
    members = np.split(order, cuts)
    starts = np.concatenate([[0], cuts]).astype(np.intp)
    return Bumps(members, rare_sorted[starts])


def bump_percentages(
    owner: str, strategy: SamplingStrategy | Sequence[float], bumps: Bumps, role: str
) -> np.ndarray:
    """The sampling percentage of every bump (1 = unchanged), UBL's ``C.perc``.

    ``role`` is ``"both"`` (SMOTER, SMOGN, GaussianNoise: every bump moves towards the mean
    bump size), ``"under"`` (common bumps shrink) or ``"over"`` (rare bumps grow).
    """
    sizes = bumps.sizes.astype(np.float64)
    if role == "none":
        return np.ones(len(sizes))
    moved = np.ones(len(sizes), dtype=bool)
    if role == "under":
        moved = ~bumps.rare
    elif role == "over":
        moved = bumps.rare.copy()
    if isinstance(strategy, str):
        return _named_percentages(strategy, sizes, bumps.rare, role)
    given = _check_percentages(owner, strategy, int(moved.sum()), role)
    perc = np.ones(len(sizes))
    perc[moved] = given
    return perc


def _named_percentages(strategy: str, sizes: np.ndarray, rare: np.ndarray, role: str) -> np.ndarray:
    n, n_bumps = sizes.sum(), len(sizes)
    if role == "both":
        b = round(n / n_bumps)
        if strategy == "balance":
            return b / sizes
        scale = n_bumps * b / np.sum(b**2 / sizes)
        obj = np.array([round(v, 2) for v in (b**2 / sizes * scale).tolist()])
        return np.array([round(v, 1) for v in (obj / sizes).tolist()])
    n_rare, n_common = sizes[rare].sum(), sizes[~rare].sum()
    power = 1 if strategy == "balance" else 2
    perc = np.ones(n_bumps)
    if role == "under":
        perc[~rare] = min(1.0, (n_rare / n_common) ** power)
    else:
        perc[rare] = max(1.0, (n_common / n_rare) ** power)
    return perc


def _check_percentages(owner: str, strategy: object, expected: int, role: str) -> np.ndarray:
    which = {"under": "common bump", "over": "rare bump", "both": "bump"}[role]
    if not isinstance(strategy, Sequence | np.ndarray):
        raise InvalidParameterError(
            f"sampling_strategy of {owner} must be 'balance', 'extreme' or a list of "
            f"percentages, one per {which}; got {strategy!r}."
        )
    perc = np.asarray(strategy, dtype=np.float64).ravel()
    if perc.size != expected:
        raise InvalidParameterError(
            f"sampling_strategy of {owner} lists {perc.size} percentage(s), but the data have "
            f"{expected} {which}(s) (see the bumps_ attribute after fit, or relevance_). Give "
            f"one percentage per {which}, in increasing order of the target."
        )
    low_ok = perc > 0 if role != "over" else perc >= 1
    high_ok = perc <= 1 if role == "under" else np.isfinite(perc)
    if not (low_ok & high_ok).all():
        allowed = {"under": "in (0, 1]", "over": ">= 1 and finite", "both": "> 0 and finite"}
        raise InvalidParameterError(
            f"sampling_strategy of {owner}: every percentage must be {allowed[role]}; got "
            f"{perc.tolist()}."
        )
    return perc


def new_rows(size: int, perc: float, rng: np.random.Generator) -> np.ndarray:
    """Base rows (positions within a bump) of the new rows for ``perc`` > 1, as UBL/smogn:
    every row ``int(perc - 1)`` times, then ``int(size * frac)`` distinct rows at random."""
    whole = int(perc - 1)
    extra = int(size * (perc - 1 - whole))
    repeated = np.repeat(np.arange(size, dtype=np.intp), whole)
    drawn = np.sort(rng.choice(size, size=extra, replace=False)).astype(np.intp)
    return np.concatenate([repeated, drawn])


def write_target_tail(y_res: Any, values: np.ndarray, like: Any) -> Any:
    """Write ``values`` into the last rows of ``y_res`` (a fresh container made by
    ``take_rows``), in y's dtype (integer targets are rounded); pandas tails get fresh labels."""
    n_new = values.shape[0]
    if n_new == 0:
        return y_res
    if isinstance(y_res, np.ndarray):
        y_res[y_res.shape[0] - n_new :] = _cast(values, y_res.dtype)
        return y_res
    if _containers.is_series(y_res):
        series = nw.from_native(y_res, series_only=True)
        dtype = np.asarray(series.head(1).to_numpy()).dtype if series.dtype.is_numeric() else None
        cast = _cast(values, dtype) if dtype is not None else values
        positions = np.arange(len(series) - n_new, len(series))
        out = series.scatter(positions.tolist(), cast.tolist())
        return _containers.relabel_tail(nw.to_native(out), n_new, like=like)
    head = list(y_res[: len(y_res) - n_new])
    kind = np.asarray(like).dtype.kind
    tail = np.rint(values).astype(int) if kind in "iu" else values
    return head + tail.tolist()


def _cast(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return np.clip(np.rint(values), info.min, info.max).astype(dtype)
    return values.astype(dtype, copy=False)
