"""Seeds, row keys and per-partition selection: what every engine runs on its partitions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._typing import RandomState, Target
from .._validation import check_generator
from ._kernels import (
    ClassDraw,
    Threshold,
    WindowSummary,
    ids_of,
    keyed_rows,
    label_codes,
    multiplicity,
    position_ids,
    repeat_positions,
    row_keys,
    window_summary,
)

__all__ = [
    "PartitionedTarget",
    "Selection",
    "drawn_keys",
    "offsets_of",
    "partition_keys",
    "resolve_seed",
    "window_task",
]


@dataclass(frozen=True)
class PartitionedTarget:
    """Classes of a partitioned y: ``counts[p, k]`` rows of ``classes[k]`` in partition ``p``;
    ``labels`` the lazy labels (what a callable ``sampling_strategy`` receives)."""

    classes: list[Any]
    counts: np.ndarray
    labels: Any

    @property
    def class_counts(self) -> dict[Any, int]:
        return dict(zip(self.classes, self.counts.sum(axis=0).tolist(), strict=True))


def resolve_seed(random_state: RandomState) -> int:
    """The integer seed of the row keys: the int given, or one drawn from the generator."""
    if isinstance(random_state, int | np.integer) and not isinstance(random_state, bool):
        return int(random_state)
    return int(check_generator(random_state).integers(0, 2**63 - 1))


def offsets_of(counts: np.ndarray) -> np.ndarray:
    """Global position of the first row of each partition."""
    return np.concatenate([[0], np.cumsum(counts.sum(axis=1))[:-1]]).astype(np.int64)


def partition_keys(n_rows: int, ids: Target | None, offset: int, seed: int) -> np.ndarray:
    """Row keys of one partition: its rows' ids (or global positions) hashed with the seed."""
    raw = position_ids(offset, n_rows) if ids is None else ids_of(ids)
    return row_keys(raw, seed)


def drawn_keys(
    codes: np.ndarray, ids: Target | None, offset: int, seed: int, draws: list[ClassDraw]
) -> np.ndarray:
    """Row keys of the rows whose class is drawn by threshold; 0 for the others (unused)."""
    rows = keyed_rows(codes, draws)
    if rows is None:
        return partition_keys(len(codes), ids, offset, seed)
    keys = np.zeros(len(codes), dtype=np.uint64)
    raw = (rows + offset).astype(np.uint64) if ids is None else ids_of(ids)[rows]
    keys[rows] = row_keys(raw, seed)
    return keys


def window_task(
    labels: Target,
    ids: Target | None,
    offset: int,
    classes: list[Any],
    draws: list[ClassDraw],
    seed: int,
) -> list[WindowSummary | None]:
    """One partition's (or one block of rows') summary of the key windows of ``draws``."""
    codes = label_codes(labels, classes)
    return window_summary(drawn_keys(codes, ids, offset, seed, draws), codes, draws)


@dataclass(frozen=True)
class Selection:
    """Everything a partition needs, besides its offset, to know which rows come out."""

    classes: list[Any]
    draws: list[ClassDraw]
    cuts: list[Threshold | None]
    seed: int

    def multiplicity(self, labels: Target, ids: np.ndarray, offset: int) -> np.ndarray:
        """How many times each row of a partition starting at ``offset`` comes out."""
        codes = label_codes(labels, self.classes)
        keys = drawn_keys(codes, ids, offset, self.seed, self.draws)
        return multiplicity(keys, codes, self.draws, self.cuts)

    def positions(self, labels: Any, ids: Any, offset: int) -> np.ndarray:
        """Positions, within a partition starting at ``offset``, of its output rows."""
        return repeat_positions(self.multiplicity(labels, ids, offset))
