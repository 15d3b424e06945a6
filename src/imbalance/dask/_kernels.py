"""Per-partition kernels of partitioned resampling: plain numpy and pandas, no Dask.

Each function here sees one partition (a pandas object or numpy array) and returns a small
summary or the partition's rows; :mod:`._plan` turns the summaries into thresholds on the driver.
Nothing here imports an engine, so a Spark adapter (``mapInPandas``) can call the same
functions.

Row keys
--------
Every row carries a 64-bit id: its position in the whole collection (``row_id=None``) or the
value of a column. Integer ids are taken as their two's-complement bits; any other id is hashed
with :func:`pandas.util.hash_pandas_object` (``index=False``). With ``seed`` the row key is ::

    seed_key = mix64(seed)
    key      = mix64(id + seed_key)                (mod 2**64)

where ``mix64`` is the SplitMix64 finaliser (``x ^= x >> 30; x *= 0xBF58476D1CE4E5B9;
x ^= x >> 27; x *= 0x94D049BB133111EB; x ^= x >> 31``). For a fixed seed the key is a bijection
of the id, so distinct ids never tie. Keys depend on the id and the seed only, never on the
partition a row lives in, which is what makes the samples independent of the partitioning.

Draws
-----
*Subset* (without replacement): a class keeps the ``t`` rows of smallest key, a uniform random
``t``-subset. *Multiset* (``e`` draws with replacement): row ``i`` carries a Poisson process
of rate 1 whose ``j``-th gap is ``-log(u)`` with ``u = unit(mix64(key ^ mix64((j + 1) *
0x9E3779B97F4A7C15)))``; the first ``e`` arrivals of the class, ordered by (time, key, j), are
the draws. The labels of the first ``e`` arrivals of ``n`` superposed rate-1 processes are
independent and uniform over the ``n`` rows, so the counts per row follow the multinomial
distribution of ``e`` draws with replacement: the bootstrap, with exactly ``e`` draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..exceptions import InvalidDataError

__all__ = [
    "ClassDraw",
    "LabelCounts",
    "WindowSummary",
    "count_labels",
    "label_codes",
    "mix64",
    "multiplicity",
    "row_keys",
    "window_summary",
]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
# Arrival-time cells generated at once (rows x arrivals), bounding the temporaries to ~32 MB.
_CELLS = 1 << 22

Mode = Literal["all", "none", "subset", "multiset"]


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser of each uint64 (a bijection of the 64-bit integers)."""
    z = np.asarray(x, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def seed_key(seed: int) -> np.uint64:
    """The per-seed offset added to every id (``mix64(seed)``)."""
    return np.uint64(mix64(np.array([seed % 2**64], dtype=np.uint64))[0])


def ids_of(values: Any) -> np.ndarray:
    """64-bit ids of a column of row ids: integer bits as they are, anything else hashed."""
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values))
    if series.isna().any():
        raise InvalidDataError(
            f"row_id column {series.name!r} has {int(series.isna().sum())} missing value(s); "
            "every row needs an id. Fill them, or use row_id=None (row positions)."
        )
    if pd.api.types.is_integer_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=np.int64).view(np.uint64)
    return pd.util.hash_pandas_object(series, index=False).to_numpy(dtype=np.uint64)


def row_keys(ids: np.ndarray, seed: int) -> np.ndarray:
    """Row keys ``mix64(id + mix64(seed))`` of uint64 ids (see the module docstring)."""
    with np.errstate(over="ignore"):
        return mix64(np.asarray(ids, dtype=np.uint64) + seed_key(seed))


def position_ids(offset: int, n: int) -> np.ndarray:
    """Ids of ``n`` rows starting at global position ``offset``."""
    return np.arange(offset, offset + n, dtype=np.uint64)


# --------------------------------------------------------------------------------------------
# Labels


@dataclass(frozen=True)
class LabelCounts:
    """Labels of one partition: distinct values, their counts, rows and missing labels."""

    values: np.ndarray
    counts: np.ndarray
    n_rows: int
    n_missing: int


def label_array(labels: Any) -> np.ndarray:
    """1-D numpy labels of a pandas Series or numpy array (categories as their values)."""
    if isinstance(labels, pd.Series):
        if isinstance(labels.dtype, pd.CategoricalDtype):
            return np.asarray(labels.astype(object).to_numpy(), dtype=object)
        if pd.api.types.is_bool_dtype(labels.dtype) and not labels.isna().any():
            return labels.to_numpy(dtype=bool)
        if pd.api.types.is_integer_dtype(labels.dtype) and not labels.isna().any():
            return labels.to_numpy(dtype=np.int64)
        return labels.to_numpy()
    arr = np.asarray(labels)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise InvalidDataError(
            f"y must hold one label per row (1-D); got a block of shape {arr.shape}. "
            "Pass y.ravel() or the label column."
        )
    return arr.astype(object) if arr.dtype.kind in "US" else arr


def _missing(labels: Any, arr: np.ndarray) -> int:
    if isinstance(labels, pd.Series):
        return int(labels.isna().sum())
    if arr.dtype.kind == "f":
        return int(np.isnan(arr).sum())
    if arr.dtype.kind == "O":
        return int(pd.isna(arr).sum())
    return 0


def count_labels(labels: Any) -> LabelCounts:
    """Distinct labels of one partition and their counts (the first pass)."""
    arr = label_array(labels)
    n_missing = _missing(labels, arr)
    if n_missing:
        empty = np.empty(0, dtype=arr.dtype)
        return LabelCounts(empty, np.empty(0, dtype=np.int64), len(arr), n_missing)
    try:
        values, counts = np.unique(arr, return_counts=True)
    except TypeError as exc:
        kinds = sorted({type(v).__name__ for v in arr[:1000]})
        raise InvalidDataError(
            f"y mixes label types that cannot be compared ({', '.join(kinds)}). "
            "Use one type for every label, e.g. y.astype(str)."
        ) from exc
    return LabelCounts(values, counts.astype(np.int64), len(arr), 0)


def label_codes(labels: Any, classes: list[Any]) -> np.ndarray:
    """Position in ``classes`` of each row's label."""
    arr = label_array(labels)
    codes = pd.Index(classes, dtype=object).get_indexer(pd.Index(arr, dtype=object))
    if (codes < 0).any():
        unknown = arr[np.flatnonzero(codes < 0)[0]]
        raise InvalidDataError(
            f"y changed between the passes over the data: label {unknown!r} was not counted. "
            "Persist the collection (collection.persist()) when its source is not deterministic."
        )
    return codes


# --------------------------------------------------------------------------------------------
# Draws


@dataclass(frozen=True)
class ClassDraw:
    """How one class is drawn, and the key window the driver is narrowing.

    ``mode`` is ``"all"`` (every row once), ``"none"`` (no row), ``"subset"`` (``goal`` rows of
    smallest key) or ``"multiset"`` (``goal`` draws with replacement) among the class's ``size``
    rows. ``lo`` and ``hi`` bound the window of keys (subset, as integers) or arrival times
    (multiset) whose values the next pass returns; ``z`` is its half-width in standard
    deviations of the threshold's position.
    """

    mode: Mode
    goal: int = 0
    size: int = 0
    lo: float = 0.0
    hi: float = 0.0
    z: float = 0.0


@dataclass(frozen=True)
class WindowSummary:
    """One class in one partition: draws below the window, and the candidates inside it.

    For a subset the candidates are keys; for a multiset, arrival times with their row key
    and arrival number (the order is lexicographic on the three).
    """

    below: int
    times: np.ndarray
    keys: np.ndarray
    arrival: np.ndarray


def _unit(bits: np.ndarray) -> np.ndarray:
    """uint64 -> float64 strictly inside (0, 1)."""
    return ((bits >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


def _gaps(keys: np.ndarray, start: int, count: int) -> np.ndarray:
    """Gaps ``start .. start + count - 1`` of each row's Poisson process (Exp(1) variables)."""
    with np.errstate(over="ignore"):
        streams = mix64(np.arange(start + 1, start + count + 1, dtype=np.uint64) * _GOLDEN)
    return -np.log(_unit(mix64(keys[:, None] ^ streams[None, :])))


def arrival_times(keys: np.ndarray, upto: float) -> np.ndarray:
    """Arrival times of each row's process, every arrival up to ``upto`` included.

    Shape ``(n_rows, K)``; arrivals past ``upto`` may be present after the last wanted one.
    Times are cumulative sums in one left-to-right order, so a row's times are bit-identical
    whatever ``upto`` and however many rows are processed together.
    """
    n = len(keys)
    width = max(1, math.ceil(upto + 6.0 * math.sqrt(max(upto, 0.0)) + 8.0))
    carry = np.zeros((n, 1))
    blocks: list[np.ndarray] = []
    start = 0
    need = np.ones(n, dtype=bool)
    while need.any():
        gaps = _gaps(keys, start, width)
        times = np.cumsum(np.hstack([carry, gaps]), axis=1)[:, 1:]
        blocks.append(times)
        carry = times[:, -1:]
        start += width
        need = carry[:, 0] <= upto
    return blocks[0] if len(blocks) == 1 else np.hstack(blocks)


def _row_chunks(n: int, upto: float) -> list[slice]:
    width = max(1, math.ceil(upto + 6.0 * math.sqrt(max(upto, 0.0)) + 8.0))
    step = max(1, _CELLS // width)
    return [slice(i, i + step) for i in range(0, n, step)]


def _multiset_window(keys: np.ndarray, lo: float, hi: float) -> WindowSummary:
    below = 0
    times, ks, arrival = [], [], []
    for rows in _row_chunks(len(keys), hi):
        T = arrival_times(keys[rows], hi)
        below += int((lo > T).sum())
        r, j = np.nonzero((lo <= T) & (hi >= T))
        times.append(T[r, j])
        ks.append(keys[rows][r])
        arrival.append(j.astype(np.int64))
    if not times:
        return WindowSummary(0, np.empty(0), np.empty(0, np.uint64), np.empty(0, np.int64))
    return WindowSummary(below, np.concatenate(times), np.concatenate(ks), np.concatenate(arrival))


def _subset_window(keys: np.ndarray, lo: float, hi: float) -> WindowSummary:
    lo_k, hi_k = np.uint64(min(int(lo), 2**64 - 1)), np.uint64(min(int(hi), 2**64 - 1))
    inside = keys[(keys >= lo_k) & (keys <= hi_k)]
    zeros = np.zeros(len(inside))
    return WindowSummary(int((keys < lo_k).sum()), zeros, inside, zeros.astype(np.int64))


def window_summary(
    keys: np.ndarray, codes: np.ndarray, draws: list[ClassDraw]
) -> list[WindowSummary | None]:
    """For each class drawn with a threshold, its draws below the window and inside it."""
    out: list[WindowSummary | None] = []
    for k, draw in enumerate(draws):
        if draw.mode == "subset":
            out.append(_subset_window(keys[codes == k], draw.lo, draw.hi))
        elif draw.mode == "multiset":
            out.append(_multiset_window(keys[codes == k], draw.lo, draw.hi))
        else:
            out.append(None)
    return out


Threshold = tuple[float, int, int]
"""A cut on the order of draws: (arrival time, row key, arrival number); subsets use the key."""


def _multiset_counts(keys: np.ndarray, cut: Threshold) -> np.ndarray:
    time, key, arrival = cut[0], np.uint64(cut[1]), cut[2]
    out = np.zeros(len(keys), dtype=np.int64)
    for rows in _row_chunks(len(keys), time):
        T = arrival_times(keys[rows], time)
        count = (time > T).sum(axis=1)
        tie_r, tie_j = np.nonzero(np.equal(T, time))
        if tie_r.size:
            k = keys[rows][tie_r]
            wins = (k < key) | ((k == key) & (tie_j <= arrival))
            np.add.at(count, tie_r[wins], 1)
        out[rows] = count
    return out


def multiplicity(
    keys: np.ndarray,
    codes: np.ndarray,
    draws: list[ClassDraw],
    cuts: list[Threshold | None],
) -> np.ndarray:
    """Number of times each row of the partition is drawn."""
    m = np.zeros(len(codes), dtype=np.int64)
    for k, (draw, cut) in enumerate(zip(draws, cuts, strict=True)):
        if draw.mode == "none":
            continue
        rows = np.flatnonzero(codes == k)
        if draw.mode == "all":
            m[rows] = 1
        elif draw.mode == "subset" and cut is not None:
            m[rows] = keys[rows] <= np.uint64(cut[1])
        elif draw.mode == "multiset" and cut is not None:
            m[rows] = _multiset_counts(keys[rows], cut)
    return m


def repeat_positions(m: np.ndarray) -> np.ndarray:
    """Positions of a partition's rows, each repeated ``m`` times, in input order."""
    return np.repeat(np.arange(len(m)), m)
