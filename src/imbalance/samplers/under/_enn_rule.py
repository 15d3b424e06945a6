"""The edited-nearest-neighbours rule, once or in rounds, as the three ENN samplers apply it.

:func:`edited_out` finds the rows that their nearest alive neighbours reject; the neighbour
lists come from :func:`imbalance.neighbors.alive_neighbours` (this package's engine, or the
user's estimator). :func:`repeat_rule` applies it in rounds (RepeatedEditedNearestNeighbours,
AllKNN). :func:`enn_setup` is the start all three samplers share.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._param_validation import NEIGHBORS_CONSTRAINTS, Interval, Options
from ..._typing import ArrayLike, Label, NeighborSpec, SamplingStrategy
from ..._validation import EncodedTarget
from ...neighbors import AliveNeighbours, n_neighbors_of
from .._features import neighbours_estimator, numeric_features
from ._cleaning import (
    CLEANING_STRATEGY,
    check_estimator_spec,
    check_neighbourhood,
    cleaned_classes,
    minority_code,
    vote,
)

__all__ = [
    "ENN_CONSTRAINTS",
    "alive_rows_of",
    "edited_out",
    "enn_setup",
    "repeat_rule",
]

ENN_CONSTRAINTS: dict[str, list[Any]] = {
    "sampling_strategy": CLEANING_STRATEGY,
    "n_neighbors": [Interval("int", 1, None), "estimator"],
    "kind_sel": [Options({"all", "mode"})],
    **NEIGHBORS_CONSTRAINTS,
}


def enn_setup(
    owner: str, spec: NeighborSpec, n_jobs: int | None, X: ArrayLike
) -> tuple[Any, int, Any]:
    """The checks every ENN sampler starts with: the numeric features, the neighbours asked,
    and imbalanced-learn's ``nn_`` for ``spec``."""
    check_estimator_spec(owner, "n_neighbors", spec)
    nn = neighbours_estimator(spec, n_jobs)
    F = numeric_features(X, owner)
    k = n_neighbors_of(spec)
    check_neighbourhood(owner, "n_neighbors", k, F.shape[0] - 1, f"X has {F.shape[0]} rows")
    return F, k, nn


def edited_out(
    lists: AliveNeighbours,
    codes: np.ndarray,
    rows: np.ndarray,
    k: int,
    kind_sel: str,
    n_classes: int,
) -> np.ndarray:
    """The ``rows`` that their ``k`` nearest alive neighbours reject.

    With ``kind_sel="all"`` a row stays only if all its neighbours share its class; with
    ``"mode"`` if its class is the most frequent among them (ties to the smallest label).
    """
    labels = codes[lists.neighbours(rows, k)]
    own = codes[rows]
    if kind_sel == "all":
        stays = (labels == own[:, None]).all(axis=1)
    else:
        stays = vote(labels, n_classes) == own
    return rows[~stays]


def cleaned_codes(
    owner: str, strategy: SamplingStrategy | list[Label], target: EncodedTarget, counts: np.ndarray
) -> np.ndarray:
    present = {c: int(n) for c, n in zip(target.classes, counts, strict=True) if n}
    chosen = set(cleaned_classes(owner, strategy, present))
    return np.array([k for k, c in enumerate(target.classes) if c in chosen], dtype=np.intp)


def alive_rows_of(lists: AliveNeighbours, codes: np.ndarray, cleaned: np.ndarray) -> Any:
    return np.flatnonzero(lists.alive & np.isin(codes, cleaned))


def repeat_rule(
    owner: str,
    strategy: SamplingStrategy | list[Label],
    target: EncodedTarget,
    lists: AliveNeighbours,
    rounds: list[int],
    kind_sel: str,
    *,
    stop_if_unchanged: bool,
    stop_if_overtaken: bool,
) -> int:
    """Apply the ENN rule once per entry of ``rounds`` (its neighbourhood size) on the rows
    left by the previous round, and stop after a round that emptied a class, removed nothing
    (``stop_if_unchanged``) or left a class other than the minority smaller than the minority
    was at the start (``stop_if_overtaken``). Returns the number of rounds run."""
    codes, n_classes = target.codes, len(target.classes)
    minority = minority_code(target)
    start_minority = int(target.counts[minority])
    done = 0
    for k in rounds:
        done += 1
        counts = np.bincount(codes[lists.alive], minlength=n_classes)
        check_neighbourhood(
            owner, "n_neighbors", k, int(counts.sum()) - 1, f"{int(counts.sum())} rows are left"
        )
        cleaned = cleaned_codes(owner, strategy, target, counts)
        removed = edited_out(
            lists, codes, alive_rows_of(lists, codes, cleaned), k, kind_sel, n_classes
        )
        lists.remove(removed)
        after = np.bincount(codes[lists.alive], minlength=n_classes)
        others = np.delete(after, minority)
        overtaken = bool((others[others > 0] < start_minority).any())
        if (
            (after == 0).any()
            or (stop_if_unchanged and removed.size == 0)
            or (stop_if_overtaken and overtaken)
        ):
            break
    return done
