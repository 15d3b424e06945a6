"""Per-row values that follow their rows through a sampler: which input row each output row is."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.validation import has_fit_parameter

from .._containers import target_to_numpy
from .._typing import ArrayLike, Estimator, Target
from .._validation import encode_target
from ..exceptions import ImbalanceError, InvalidDataError, InvalidParameterError

__all__ = ["resample_sample_weight"]


def resampled_rows(sampler: Estimator, n_resampled: int) -> np.ndarray:
    """The input row behind each output row of a fitted sampler.

    Kept and repeated rows are themselves; a synthetic row is its first parent. Needs a sampler
    that exposes ``sample_indices_``.
    """
    indices = getattr(sampler, "sample_indices_", None)
    if indices is None:
        raise InvalidParameterError(
            f"sample_weight cannot follow the rows of {type(sampler).__name__}: it does not "
            "expose sample_indices_. Use a sampler from imbalance.samplers, or drop sample_weight."
        )
    parents = getattr(sampler, "synthetic_parents_", None)
    rows = np.asarray(indices if parents is None else np.concatenate([indices, parents[:, 0]]))
    if rows.shape[0] != n_resampled:
        raise InvalidDataError(
            f"{type(sampler).__name__} returned {n_resampled} rows but accounts for "
            f"{rows.shape[0]} in sample_indices_ and synthetic_parents_; weights cannot follow."
        )
    return rows


def resample_sample_weight(
    sampler: Estimator, sample_weight: ArrayLike, n_resampled: int
) -> np.ndarray:
    """The weights of a fitted sampler's output rows, taken from the weights of its input rows.

    Kept and repeated rows keep their weight; synthetic rows take the weight of their first
    parent. Needs a sampler that exposes ``sample_indices_``.

    Parameters
    ----------
    sampler : fitted sampler
        A sampler after ``fit_resample``.
    sample_weight : array-like of shape (n_samples,)
        The weights of the rows given to ``fit_resample``.
    n_resampled : int
        The number of rows ``fit_resample`` returned.

    Returns
    -------
    sample_weight_resampled : ndarray of shape (n_resampled,)
    """
    return np.asarray(sample_weight, dtype=np.float64)[resampled_rows(sampler, n_resampled)]


class RowTracker:
    """Which original row each current row is, through a chain of samplers."""

    def __init__(self) -> None:
        self.rows: np.ndarray | None = None  # None: the rows are the original rows
        self.sampler: str | None = None  # the name of the last sampler step seen
        self.error: ImbalanceError | None = None

    def after(self, name: str, sampler: Estimator, n_resampled: int) -> None:
        self.sampler = name
        if self.error is not None:
            return
        try:
            local = resampled_rows(sampler, n_resampled)
        except ImbalanceError as exc:  # only a problem if a weight must follow later
            self.error = exc
            return
        self.rows = local if self.rows is None else self.rows[local]

    def take(self, values: ArrayLike) -> Any:
        """``values`` (one per original row) for the current rows."""
        if self.sampler is None:
            return values
        if self.error is not None:
            raise self.error
        return np.asarray(values)[self.rows]


def class_totals(y: Target, weights: np.ndarray | None = None) -> dict[Any, float]:
    """Rows (or weight) per class."""
    target = encode_target(target_to_numpy(y))
    if weights is None:
        return dict(zip(target.classes, target.counts.tolist(), strict=True))
    totals = np.bincount(target.codes, weights=weights, minlength=len(target.classes))
    return dict(zip(target.classes, totals.tolist(), strict=True))


def check_per_row_params(params: dict[str, Any], n_samples: int, where: str) -> None:
    """Refuse parameters holding one value per row, once a sampler has changed the rows."""
    for name, value in params.items():
        if (
            hasattr(value, "__len__")
            and not isinstance(value, str | dict)
            and len(value) == n_samples
        ):
            raise InvalidParameterError(
                f"fit parameter {name!r} holds one value per row, but {where} changes the rows, so "
                "it would no longer line up. Pass per-row weights as sample_weight (they are "
                "resampled with their rows); other per-row parameters are not supported."
            )


def weight_if_taken(step: Estimator, weight: ArrayLike | None) -> dict[str, Any]:
    """``{"sample_weight": weight}`` for a step whose ``fit`` takes it, else nothing."""
    return {"sample_weight": weight} if has_fit_parameter(step, "sample_weight") else {}


def follow_rows(params: dict[str, Any], tracker: RowTracker, n_samples: int | None) -> Any:
    """After a sampler: resample ``sample_weight`` with the rows, refuse other per-row values."""
    if tracker.sampler is None:
        return params
    if n_samples is not None:
        others = {k: v for k, v in params.items() if k != "sample_weight"}
        check_per_row_params(others, n_samples, f"the sampler step {tracker.sampler!r}")
    if params.get("sample_weight") is not None:
        params = {**params, "sample_weight": tracker.take(params["sample_weight"])}
    return params
