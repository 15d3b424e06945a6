"""Driver-side steps of partitioned resampling: small functions on small summaries, no Dask.

The engine runs the kernels of :mod:`._kernels` on every partition; these functions merge what
comes back (label counts, key windows) into classes, thresholds and per-partition quotas.
Everything here is O(n_partitions x n_classes) plus the few candidates near each threshold.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np

from .._typing import Label
from ..exceptions import InvalidDataError
from ._kernels import ClassDraw, LabelCounts, Mode, Threshold, WindowSummary, anchor_time

__all__ = ["find_cuts", "merge_counts", "plan_draws", "quotas", "widen"]

# Half-width of the first key window, in standard deviations of the threshold's position:
# a window misses with probability below 1e-20, and a miss only costs one more pass.
Z_FIRST = 10.0
_Z_GROWTH = 4.0
# The multiset processes are generated from an anchor Z_ANCHOR = Z_FIRST * _Z_GROWTH standard
# deviations below the cut (._kernels.anchor_time): only a second widening, never seen in
# practice, makes rows generate their arrivals before it.
_MAX_TRIES = 40
_U64_MAX = 2**64 - 1


def merge_counts(parts: Sequence[LabelCounts]) -> tuple[list[Any], np.ndarray]:
    """Sorted classes and the ``(n_partitions, n_classes)`` matrix of label counts."""
    missing = sum(p.n_missing for p in parts)
    if missing:
        first = next(i for i, p in enumerate(parts) if p.n_missing)
        raise InvalidDataError(
            f"y has {missing} missing label(s) (NaN or None), the first in partition {first}. "
            "Drop those rows (e.g. ddf.dropna(subset=[target])) or give them a class before "
            "resampling."
        )
    if sum(p.n_rows for p in parts) == 0:
        raise InvalidDataError("y is empty: the collection has no row to resample.")
    values = np.concatenate([np.asarray(p.values, dtype=object) for p in parts])
    try:
        classes, inverse = np.unique(_common_dtype(values, parts), return_inverse=True)
    except TypeError as exc:
        kinds = sorted({type(v).__name__ for v in values[:1000]})
        raise InvalidDataError(
            f"y mixes label types that cannot be compared ({', '.join(kinds)}) across "
            "partitions. Use one type for every label, e.g. y.astype(str)."
        ) from exc
    matrix = np.zeros((len(parts), len(classes)), dtype=np.int64)
    rows = np.repeat(np.arange(len(parts)), [len(p.values) for p in parts])
    np.add.at(matrix, (rows, inverse.reshape(-1)), np.concatenate([p.counts for p in parts]))
    return classes.tolist(), matrix


def _common_dtype(values: np.ndarray, parts: Sequence[LabelCounts]) -> np.ndarray:
    """Labels back in their own dtype when every partition agrees (ints stay ints)."""
    dtypes = {p.values.dtype for p in parts if len(p.values)}
    if len(dtypes) == 1:
        (dtype,) = dtypes
        if dtype.kind != "O":
            return values.astype(dtype)
    return values


def plan_draws(
    class_counts: Mapping[Any, int],
    target_counts: Mapping[Any, int],
    *,
    kind: Literal["under", "over"],
    replacement: bool = False,
    z: float = Z_FIRST,
) -> list[ClassDraw]:
    """How each class is drawn, in label order, with its first key window.

    Under-sampling draws the rows that are kept (every row once when a class keeps them all);
    over-sampling draws the extra rows (with replacement) added after the originals.
    """
    draws = []
    for cls, n in class_counts.items():
        t = int(target_counts[cls])
        mode: Mode
        if kind == "over":
            goal, mode = t - n, "multiset"
        elif replacement:
            goal, mode = t, "multiset"
        else:
            goal, mode = t, "subset"
        if goal == 0:
            draws.append(ClassDraw("none", 0, n))
        elif mode == "subset" and goal == n:
            draws.append(ClassDraw("all", n, n))
        else:
            draws.append(_with_window(ClassDraw(mode, goal, n), z))
    return draws


def _with_window(draw: ClassDraw, z: float) -> ClassDraw:
    n, goal = draw.size, draw.goal
    if draw.mode == "subset":
        p = goal / (n + 1)
        sd = math.sqrt(p * (1.0 - p) / (n + 2))
        lo = int(max(0.0, p - z * sd) * 2.0**64)
        hi = min(_U64_MAX, int(min(1.0, p + z * sd) * 2.0**64))
        return ClassDraw("subset", goal, n, lo, hi, z)
    mean, sd = goal / n, math.sqrt(goal) / n
    start, end = max(0.0, mean - z * sd), mean + z * sd
    return ClassDraw("multiset", goal, n, start, end, z, anchor_time(goal, n))


def widen(draw: ClassDraw) -> ClassDraw:
    """The same draw with a window ``4x`` wider (after a window that missed its threshold)."""
    return _with_window(draw, draw.z * _Z_GROWTH)


def _ordered(summaries: Sequence[WindowSummary]) -> tuple[int, list[np.ndarray]]:
    below = sum(s.below for s in summaries)
    times = np.concatenate([s.times for s in summaries])
    keys = np.concatenate([s.keys for s in summaries])
    arrival = np.concatenate([s.arrival for s in summaries])
    order = np.lexsort((arrival, keys, times))
    return below, [times[order], keys[order], arrival[order]]


def _cut(draw: ClassDraw, summaries: Sequence[WindowSummary], cls: Label) -> Threshold | None:
    below, (times, keys, arrival) = _ordered(summaries)
    rank = draw.goal - below
    if not 1 <= rank <= len(keys):
        return None
    i = rank - 1
    same = rank < len(keys) and keys[rank] == keys[i]
    if same and (
        draw.mode == "subset" or (times[rank] == times[i] and arrival[rank] == arrival[i])
    ):
        raise InvalidDataError(
            f"row_id gives several rows of class {cls!r} the same id, and the exact count asked "
            "for falls between them. Use a column with one distinct value per row as row_id, "
            "or row_id=None (row positions)."
        )
    time = float(times[i]) if draw.mode == "multiset" else 0.0
    return (time, int(keys[i]), int(arrival[i]) if draw.mode == "multiset" else 0)


def find_cuts(
    classes: Sequence[Any],
    draws: Sequence[ClassDraw],
    summaries: Sequence[Sequence[WindowSummary | None]],
) -> tuple[list[Threshold | None], list[ClassDraw]]:
    """The threshold of every class whose window held it, and the draws to retry (widened).

    ``summaries[p][k]`` is partition ``p``'s summary of class ``k``. A class whose threshold
    fell outside its window gets ``None`` and a wider window in the returned draws.
    """
    cuts: list[Threshold | None] = []
    retry = list(draws)
    for k, draw in enumerate(draws):
        if draw.mode not in ("subset", "multiset"):
            cuts.append(None)
            continue
        found = _cut(draw, [w for w in (s[k] for s in summaries) if w is not None], classes[k])
        cuts.append(found)
        if found is None:
            if draw.z >= Z_FIRST * _Z_GROWTH**_MAX_TRIES:
                raise InvalidDataError(
                    f"the draws of class {classes[k]!r} could not be placed: the data changed "
                    "between the passes over it. Persist the collection first."
                )
            retry[k] = widen(draw)
    return cuts, retry


def _at_most(summary: WindowSummary, cut: Threshold, mode: str) -> int:
    if mode == "subset":
        return int((summary.keys <= np.uint64(cut[1])).sum())
    time, key, arrival = cut[0], np.uint64(cut[1]), cut[2]
    before = summary.times < time
    tie = (summary.times == time) & (
        (summary.keys < key) | ((summary.keys == key) & (summary.arrival <= arrival))
    )
    return int((before | tie).sum())


def quotas(
    counts: np.ndarray,
    draws: Sequence[ClassDraw],
    cuts: Sequence[Threshold | None],
    summaries: Sequence[Sequence[WindowSummary | None]],
) -> np.ndarray:
    """Rows drawn from each partition for each class, shape ``(n_partitions, n_classes)``.

    Each column sums to the class's goal: the quotas are a by-product of the thresholds.
    """
    out = np.zeros_like(counts)
    for k, (draw, cut) in enumerate(zip(draws, cuts, strict=True)):
        if draw.mode == "all":
            out[:, k] = counts[:, k]
        elif draw.mode != "none" and cut is not None:
            for p, part in enumerate(summaries):
                s = part[k]
                assert s is not None
                out[p, k] = s.below + _at_most(s, cut, draw.mode)
    return out
