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

    seed_key = xxh64(seed, 42)
    key      = xxh64(id, seed_key)

where ``xxh64(v, s)`` is the XXH64 hash of the eight bytes of ``v`` with seed ``s``, exactly as
Spark SQL's ``xxhash64`` computes it for a long (so ``key`` is Spark's
``xxhash64(lit(seed), id)``, evaluated next to the data, without Python). For a fixed seed the
key is a bijection of the id (odd multiplications, rotations and xor-shifts), so distinct ids
never tie. Keys depend on the id and the seed only, never on the partition a row lives in,
which is what makes the samples independent of the partitioning.

Draws
-----
*Subset* (without replacement): a class keeps the ``t`` rows of smallest key, a uniform random
``t``-subset. *Multiset* (``e`` draws with replacement among ``n`` rows): row ``i`` carries a
Poisson process of rate 1 driven by its key, and the first ``e`` arrivals of the class, ordered
by (time, key, arrival number), are the draws. The labels of the first ``e`` arrivals of ``n``
superposed rate-1 processes are independent and uniform over the ``n`` rows, so the counts per
row follow the multinomial distribution of ``e`` draws with replacement: the bootstrap, with
exactly ``e`` draws.

Each row's process is built around an *anchor* time ``A`` that depends on ``e`` and ``n`` only
(:func:`anchor_time`), so that only the few arrivals near the class's cut are ever generated.
With ``stream(f, j) = mix64(((f << 40) + j + 1) * 0x9E3779B97F4A7C15)`` (mod 2**64) and
``unit(b) = ((b >> 11) + 0.5) / 2**53``:

- ``N(A)``, the number of arrivals in ``[0, A]``, is the inverse Poisson(``A``) distribution
  function of ``unit(mix64(key ^ stream(1, 0)))``;
- given ``N(A)``, those arrivals are at ``A * unit(mix64(key ^ stream(2, j)))``, ``j < N(A)``,
  with arrival numbers ``j`` (generated only when a cut falls below ``A``, which the windows
  make vanishingly rare);
- after ``A``, arrival ``N(A) + j`` comes at ``A + g_0 + ... + g_j`` (summed left to right) with
  gaps ``g_j = -log(unit(mix64(key ^ stream(0, j))))``.

This is exactly a Poisson process (a Poisson count on ``[0, A]`` with uniform arrival times,
followed by an independent process after ``A``); with ``A = 0`` it is the plain sum of
exponential gaps. Work per class is a few numbers per row plus about ``50 * sqrt(e)``, not
``e``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special

from .._typing import Target
from ..exceptions import InvalidDataError

__all__ = [
    "ClassDraw",
    "LabelCounts",
    "WindowSummary",
    "count_labels",
    "keyed_rows",
    "label_codes",
    "mix64",
    "multiplicity",
    "normal_noise",
    "row_keys",
    "window_summary",
    "xxh64",
]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
# XXH64's primes (Collet's xxHash), as Spark's XXH64 uses them.
_P1 = np.uint64(0x9E3779B185EBCA87)
_P2 = np.uint64(0xC2B2AE3D27D4EB4F)
_P3 = np.uint64(0x165667B19E3779F9)
_P4 = np.uint64(0x85EBCA77C2B2AE63)
_P5 = np.uint64(0x27D4EB2F165667C5)
# Spark SQL's default seed of xxhash64.
SPARK_HASH_SEED = 42
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
# Arrival-time cells generated at once (rows x arrivals), bounding the temporaries to ~32 MB.
_CELLS = 1 << 22
# Anchor of the multiset processes, in standard deviations of the cut below its expected time:
# four times the first window's half-width (see _plan), so only a second widening reaches it.
Z_ANCHOR = 40.0

# Integer labels in [0, _BINCOUNT_MAX) are counted with bincount rather than by sorting.
_BINCOUNT_MAX = 1 << 16

Mode = Literal["all", "none", "subset", "multiset"]


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser of each uint64 (a bijection of the 64-bit integers)."""
    z = np.asarray(x, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint64(r)) | (x >> np.uint64(64 - r))


def xxh64(values: np.ndarray, seed: np.uint64 | int) -> np.ndarray:
    """XXH64 of each uint64 (its eight bytes) with ``seed``: Spark SQL's ``xxhash64`` of a long."""
    v = np.asarray(values, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = np.uint64(seed) + _P5 + np.uint64(8)
        h = h ^ (_rotl(v * _P2, 31) * _P1)
        h = _rotl(h, 27) * _P1 + _P4
        h = (h ^ (h >> np.uint64(33))) * _P2
        h = (h ^ (h >> np.uint64(29))) * _P3
    return np.asarray(h ^ (h >> np.uint64(32)), dtype=np.uint64)


def seed_key(seed: int) -> np.uint64:
    """The per-seed hash seed of every row key (``xxh64(seed, 42)``)."""
    bits = np.array([seed % 2**64], dtype=np.uint64)
    return np.uint64(xxh64(bits, SPARK_HASH_SEED)[0])


def ids_of(values: Target) -> np.ndarray:
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
    """Row keys ``xxh64(id, xxh64(seed, 42))`` of uint64 ids (see the module docstring)."""
    return xxh64(ids, seed_key(seed))


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


def label_array(labels: Target) -> np.ndarray:
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


def _missing(labels: Target, arr: np.ndarray) -> int:
    if isinstance(labels, pd.Series):
        return int(labels.isna().sum())
    if arr.dtype.kind == "f":
        return int(np.isnan(arr).sum())
    if arr.dtype.kind == "O":
        return int(pd.isna(arr).sum())
    return 0


def count_labels(labels: Target) -> LabelCounts:
    """Distinct labels of one partition and their counts (the first pass)."""
    arr = label_array(labels)
    n_missing = _missing(labels, arr)
    if n_missing:
        empty = np.empty(0, dtype=arr.dtype)
        return LabelCounts(empty, np.empty(0, dtype=np.int64), len(arr), n_missing)
    if arr.dtype.kind in "iu" and len(arr) and arr.min() >= 0 and arr.max() < _BINCOUNT_MAX:
        counts = np.bincount(arr.astype(np.intp, copy=False))
        values = np.flatnonzero(counts).astype(arr.dtype)
        return LabelCounts(values, counts[values].astype(np.int64), len(arr), 0)
    try:
        values, counts = np.unique(arr, return_counts=True)
    except TypeError as exc:
        kinds = sorted({type(v).__name__ for v in arr[:1000]})
        raise InvalidDataError(
            f"y mixes label types that cannot be compared ({', '.join(kinds)}). "
            "Use one type for every label, e.g. y.astype(str)."
        ) from exc
    return LabelCounts(values, counts.astype(np.int64), len(arr), 0)


def _numeric_codes(arr: np.ndarray, classes: list[Any]) -> np.ndarray | None:
    """Codes of numeric labels (a lookup table for small integers, else a binary search).

    None when a label is not among the classes.
    """
    table = np.asarray(classes)
    if table.dtype.kind not in "biuf" or len(table) == 0 or len(arr) == 0:
        return None if len(arr) else np.empty(0, dtype=np.intp)
    if arr.dtype.kind in "iu" and table.dtype.kind in "iu":
        lo, hi = int(table.min()), int(table.max())
        if lo >= 0 and hi < _BINCOUNT_MAX and arr.min() >= 0 and arr.max() <= hi:
            lookup = np.full(hi + 1, -1, dtype=np.intp)
            lookup[table] = np.arange(len(table))
            codes = lookup[arr]
            return codes if bool((codes >= 0).all()) else None
    codes = np.minimum(np.searchsorted(table, arr), len(table) - 1)
    return codes if bool((table[codes] == arr).all()) else None


def label_codes(labels: Target, classes: list[Any]) -> np.ndarray:
    """Position in ``classes`` (sorted, as :func:`merge_counts` gives them) of each row's label."""
    arr = label_array(labels)
    if arr.dtype.kind in "biuf":
        codes = _numeric_codes(arr, classes)
        if codes is not None:
            return codes
    codes = pd.Index(classes, dtype=object).get_indexer(pd.Index(arr, dtype=object))
    if (codes < 0).any():
        unknown = arr[np.flatnonzero(codes < 0)[0]]
        unknown = unknown.item() if isinstance(unknown, np.generic) else unknown
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
    deviations of the threshold's position. ``anchor`` is the time ``A`` from which a
    multiset's processes are generated (:func:`anchor_time`, fixed for the class: it does not
    move when the window widens).
    """

    mode: Mode
    goal: int = 0
    size: int = 0
    lo: float = 0.0
    hi: float = 0.0
    z: float = 0.0
    anchor: float = 0.0


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


def _stream(family: int, index: np.ndarray) -> np.ndarray:
    """``stream(family, j)`` of the module docstring, for each ``j`` of ``index``."""
    with np.errstate(over="ignore"):
        base = np.asarray(index, dtype=np.uint64) + np.uint64((family << 40) + 1)
        return mix64(base * _GOLDEN)


def anchor_time(goal: int, size: int, z: float = Z_ANCHOR) -> float:
    """The anchor ``A`` of a class's processes: ``z`` standard deviations below its cut.

    The cut time of ``goal`` draws among ``size`` rows is about ``goal / size`` with standard
    deviation ``sqrt(goal) / size``; rows generate their arrivals from ``A`` on only.
    """
    if goal <= 0 or size <= 0:
        return 0.0
    return max(0.0, (goal - z * math.sqrt(goal)) / size)


@lru_cache(maxsize=64)
def _poisson_table(mean: float) -> tuple[int, np.ndarray]:
    """``(k0, cdf)``: ``cdf[i] = P(Poisson(mean) <= k0 + i)``, all but ~1e-30 of the mass."""
    spread = 13.0 * math.sqrt(mean)
    k0 = max(0, math.floor(mean - spread) - 10)
    ks = np.arange(k0, math.ceil(mean + spread) + 40, dtype=np.float64)
    cdf = np.maximum.accumulate(special.pdtr(ks, mean))
    cdf.setflags(write=False)
    return k0, cdf


def anchor_counts(keys: np.ndarray, anchor: float) -> np.ndarray:
    """``N(A)``: each row's number of arrivals in ``[0, anchor]`` (inverse Poisson CDF)."""
    if anchor <= 0.0 or len(keys) == 0:
        return np.zeros(len(keys), dtype=np.int64)
    k0, cdf = _poisson_table(float(anchor))
    u = _unit(mix64(keys ^ _stream(1, np.zeros(1, dtype=np.uint64))))
    found = np.minimum(np.searchsorted(cdf, u, side="left"), len(cdf) - 1)
    return k0 + found.astype(np.int64)


@dataclass(frozen=True)
class Arrivals:
    """Arrivals of a block of rows below a time window, and those inside it.

    ``below[i]`` counts row ``i``'s arrivals before ``lo``; ``rows``, ``times`` and
    ``numbers`` list the arrivals in ``[lo, hi]`` (row, time, arrival number).
    """

    below: np.ndarray
    rows: np.ndarray
    times: np.ndarray
    numbers: np.ndarray


def _before_anchor(
    keys: np.ndarray, n_anchor: np.ndarray, anchor: float, lo: float, hi: float
) -> Arrivals:
    """Arrivals in ``[0, anchor]`` (uniform times given their number); rare: cuts below A."""
    rows = np.repeat(np.arange(len(keys)), n_anchor)
    starts = np.cumsum(n_anchor) - n_anchor
    numbers = np.arange(len(rows), dtype=np.int64) - np.repeat(starts, n_anchor)
    times = anchor * _unit(mix64(keys[rows] ^ _stream(2, numbers)))
    below = np.bincount(rows[times < lo], minlength=len(keys)).astype(np.int64)
    inside = (times >= lo) & (times <= hi)
    return Arrivals(below, rows[inside], times[inside], numbers[inside])


def _after_anchor(keys: np.ndarray, anchor: float, lo: float, hi: float) -> Arrivals:
    """Arrivals after ``anchor`` (gaps summed left to right), counted below ``lo`` up to ``hi``.

    Rows draw their gaps a few at a time and only rows still short of ``hi`` draw more, so the
    work is about the number of arrivals up to ``hi``. A row's times are bit-identical
    whatever the window and however many rows are processed together.
    """
    n = len(keys)
    lam = max(hi - anchor, 0.0)
    width = max(1, math.ceil(lam + 2.0 * math.sqrt(lam) + 1.0))
    below = np.zeros(n, dtype=np.int64)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    active = np.arange(n)
    carry = np.full(n, float(anchor))
    start = 0
    while active.size:
        with np.errstate(over="ignore"):
            bits = keys[active][:, None] ^ _stream(0, np.arange(start, start + width))[None, :]
        gaps = -np.log(_unit(mix64(bits)))
        gaps[:, 0] += carry
        times = np.cumsum(gaps, axis=1)
        below[active] += (times < lo).sum(axis=1)
        r, j = np.nonzero((times >= lo) & (times <= hi))
        found.append((active[r], times[r, j], start + j.astype(np.int64)))
        carry = times[:, -1]
        more = carry <= hi
        active, carry = active[more], carry[more]
        start += width
    rows, times_in, numbers = (np.concatenate(parts) for parts in zip(*found, strict=True))
    return Arrivals(below, rows, times_in, numbers)


def arrivals(keys: np.ndarray, anchor: float, lo: float, hi: float) -> Arrivals:
    """Each row's arrivals before ``lo``, and its arrivals in ``[lo, hi]``, of its process."""
    if len(keys) == 0:
        empty = np.empty(0, dtype=np.int64)
        return Arrivals(empty, empty, np.empty(0), empty)
    n_anchor = anchor_counts(keys, anchor)
    after = _after_anchor(keys, anchor, lo, hi)
    numbers = n_anchor[after.rows] + after.numbers
    if lo >= anchor:
        return Arrivals(n_anchor + after.below, after.rows, after.times, numbers)
    inner = _before_anchor(keys, n_anchor, anchor, lo, hi)
    return Arrivals(
        inner.below + after.below,
        np.concatenate([inner.rows, after.rows]),
        np.concatenate([inner.times, after.times]),
        np.concatenate([inner.numbers, numbers]),
    )


def _row_chunks(n: int, anchor: float, lo: float, hi: float) -> list[slice]:
    """Row blocks whose arrivals up to ``hi`` (from ``anchor``, or 0 below it) fit _CELLS."""
    width = hi - anchor if lo >= anchor else hi
    step = max(1, _CELLS // max(1, math.ceil(width + 2.0 * math.sqrt(max(width, 0.0))) + 1))
    return [slice(i, i + step) for i in range(0, n, step)]


def _multiset_window(keys: np.ndarray, draw: ClassDraw) -> WindowSummary:
    below = 0
    times, ks, numbers = [], [], []
    for rows in _row_chunks(len(keys), draw.anchor, draw.lo, draw.hi):
        got = arrivals(keys[rows], draw.anchor, draw.lo, draw.hi)
        below += int(got.below.sum())
        times.append(got.times)
        ks.append(keys[rows][got.rows])
        numbers.append(got.numbers)
    if not times:
        return WindowSummary(0, np.empty(0), np.empty(0, np.uint64), np.empty(0, np.int64))
    return WindowSummary(below, np.concatenate(times), np.concatenate(ks), np.concatenate(numbers))


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
            out.append(_multiset_window(keys[codes == k], draw))
        else:
            out.append(None)
    return out


def keyed_rows(codes: np.ndarray, draws: list[ClassDraw]) -> np.ndarray | None:
    """Rows whose class is drawn by threshold (the only ones that need a key); None: all."""
    keyed = np.array([d.mode in ("subset", "multiset") for d in draws], dtype=bool)
    if keyed.all():
        return None
    return np.flatnonzero(keyed[codes])


Threshold = tuple[float, int, int]
"""A cut on the order of draws: (arrival time, row key, arrival number); subsets use the key."""


def _multiset_counts(keys: np.ndarray, draw: ClassDraw, cut: Threshold) -> np.ndarray:
    time, key, number = cut[0], np.uint64(cut[1]), cut[2]
    out = np.zeros(len(keys), dtype=np.int64)
    for rows in _row_chunks(len(keys), draw.anchor, time, time):
        got = arrivals(keys[rows], draw.anchor, time, time)
        count = got.below
        if got.rows.size:
            k = keys[rows][got.rows]
            wins = (k < key) | ((k == key) & (got.numbers <= number))
            np.add.at(count, got.rows[wins], 1)
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
            m[rows] = _multiset_counts(keys[rows], draw, cut)
    return m


def normal_noise(keys: np.ndarray, repeat: np.ndarray, column: int) -> np.ndarray:
    """Standard normal noise keyed by row key, repeat number and column (Box-Muller).

    ``u1 = unit(mix64(key ^ stream(3 + 2c, r)))`` and ``u2`` from family ``4 + 2c``; the
    noise of a smoothed repeat depends on these three numbers only, never on the partitioning.
    """
    r = np.asarray(repeat, dtype=np.int64)
    u1 = _unit(mix64(np.asarray(keys, dtype=np.uint64) ^ _stream(3 + 2 * column, r)))
    u2 = _unit(mix64(np.asarray(keys, dtype=np.uint64) ^ _stream(4 + 2 * column, r)))
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def repeat_positions(m: np.ndarray) -> np.ndarray:
    """Positions of a partition's rows, each repeated ``m`` times, in input order."""
    return np.repeat(np.arange(len(m)), m)
