"""Row keys and exact draws without replacement as Spark SQL expressions: no Python on the data.

A row's key is Spark's own ``xxhash64(seed, id)``, the very number
:func:`imbalance._partitioned._kernels.row_keys` computes in numpy for Dask, so the rows kept are
the Dask sampler's for the same seed and ids. Keys are unsigned in the kernels and signed in
Spark; flipping the sign bit (``key ^ 2**63``) maps one order onto the other.

A class that keeps its ``t`` rows of smallest key needs its ``t``-th key, the *cut*. As for the
kernels' windows (:mod:`imbalance._partitioned._plan`), the cut's key lies, with probability
above ``1 - 1e-20``, in a window of keys known from the counts alone; one aggregation counts
each class's keys below the window and collects the few inside it (about ``20 sqrt(t)``), the
cut is read off the sorted window, and the data are filtered by ``key <= cut``. All of it is
one lazy plan that Spark compiles: a scan of the label and id columns feeding a broadcast
of one row per class, then the filter, in the pass that writes the result.

Ids that are strings are hashed by pandas in the kernels (``ids_of``), which Spark cannot
compute; they, and draws with replacement, take the pandas-UDF path of :mod:`._draws`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .._partitioned._kernels import ClassDraw
from ._frames import SparkData, row_ids

__all__ = ["id_column", "key_column", "subset_rows"]

KEY = "__imbalance_key__"
_GOAL = "__imbalance_goal__"
_NONE, _ALL, _SUBSET = 0, 1, 2
_FEW_CLASSES = 16
_BELOW, _CANDS, _CUT = "__imbalance_below__", "__imbalance_cands__", "__imbalance_cut__"
_SIGN = -(1 << 63)
_LONG_MAX = (1 << 63) - 1
_INTEGER_IDS = (T.ByteType, T.ShortType, T.IntegerType, T.LongType)

_WINDOW_MISSED = (
    "imbalance: the key window of a class missed its cut (probability below 1e-20 per class), "
    "or the DataFrame changed between its two reads. Run fit_resample again with another "
    "random_state, or checkpoint the DataFrame."
)
_NEW_LABEL = (
    "imbalance: the DataFrame holds a label that the counting pass did not see: it changed "
    "between its two reads. Checkpoint the DataFrame (df.checkpoint()) before resampling."
)
_SAME_ID = (
    "imbalance: row_id gives several rows of one class the same id, and the exact count asked "
    "for falls between them. Use a column with one distinct value per row as row_id, or "
    "row_id=None (row positions)."
)


def _signed(bits: int) -> int:
    """The two's-complement long of a 64-bit pattern given as any Python int."""
    bits %= 1 << 64
    return bits - (1 << 64) if bits >= 1 << 63 else bits


def id_column(data: SparkData) -> Column | None:
    """Each row's 64-bit id as a long column, or None for string ids (hashed by pandas)."""
    if data.row_id is not None and not isinstance(
        data.df.schema[data.row_id].dataType, _INTEGER_IDS
    ):
        return None
    return row_ids(data).cast("long")


def key_column(ids: Column, seed: int) -> Column:
    """Spark's ``xxhash64(seed, id)`` (the kernels' ``row_keys``), ordered as unsigned."""
    key = F.xxhash64(F.lit(_signed(seed)).cast("long"), ids)
    return key.bitwiseXOR(F.lit(_SIGN))


def _per_class(values: Sequence[tuple[Any, int]], label_type: T.DataType, label: str) -> Column:
    """The value of each row's class (null for a label not counted).

    A chain of comparisons for a few classes (compiled to branches: 2-3x faster per row than a
    map lookup), a literal map beyond.
    """
    if len(values) <= _FEW_CLASSES:
        chain: Any = F
        for c, v in values:
            chain = chain.when(F.col(label) == F.lit(c).cast(label_type), F.lit(v).cast("long"))
        return F.lit(None).cast("long") if chain is F else chain
    pairs = [x for c, v in values for x in (F.lit(c).cast(label_type), F.lit(v).cast("long"))]
    return F.try_element_at(F.create_map(*pairs), F.col(label))


def _cuts(keyed: DataFrame, label: str, bounds: tuple[Column, Column, Column]) -> DataFrame:
    """The cut of each class drawn without replacement (the only classes it holds a row for).

    Only keys up to a class's window reach the aggregation (a few per cent of the rows when a
    class keeps few): it counts those below the window and collects those inside; the cut is
    the key at rank ``goal - below`` of the sorted window.
    """
    lo, hi, goal = bounds
    key = F.col(KEY)
    cuts = (
        keyed.where(key <= hi)
        .groupBy(label)
        .agg(
            F.first(goal).alias(_GOAL),
            F.sum((key < lo).cast("long")).alias(_BELOW),
            F.array_sort(F.collect_list(F.when(key >= lo, key))).alias(_CANDS),
        )
    )
    rank = F.col(_GOAL) - F.col(_BELOW)
    size = F.size(F.col(_CANDS))
    at = F.element_at(F.col(_CANDS), rank.cast("int"))
    after = F.element_at(F.col(_CANDS), (rank + 1).cast("int"))
    cut = (
        F.when((rank < 1) | (rank > size), F.raise_error(F.lit(_WINDOW_MISSED)))
        .when((rank < size) & (after == at), F.raise_error(F.lit(_SAME_ID)))
        .otherwise(at)
    )
    return cuts.select(label, cut.cast("long").alias(_CUT))


def subset_rows(
    data: SparkData, classes: Sequence[Any], draws: Sequence[ClassDraw], seed: int
) -> DataFrame | None:
    """X's kept rows when every class is kept whole, dropped or drawn without replacement.

    None when this path does not apply (string ids, or draws with replacement).
    """
    ids = id_column(data)
    if ids is None or any(d.mode == "multiset" for d in draws):
        return None
    label_type = data.df.schema[data.label].dataType
    modes = {"none": _NONE, "all": _ALL, "subset": _SUBSET}
    pairs = list(zip(classes, draws, strict=True))
    mode = _per_class([(c, modes[d.mode]) for c, d in pairs], label_type, data.label)
    # classes not drawn without replacement get an empty window below every key
    lo, hi = (
        _per_class(
            [
                (c, _signed(int(getattr(d, end)) ^ (1 << 63)) if d.mode == "subset" else _SIGN)
                for c, d in pairs
            ],
            label_type,
            data.label,
        )
        for end in ("lo", "hi")
    )
    goal = _per_class([(c, d.goal) for c, d in pairs], label_type, data.label)
    keyed = data.df.withColumn(KEY, key_column(ids, seed))
    cuts = _cuts(keyed.select(data.label, KEY), data.label, (lo, hi, goal))
    joined = keyed.join(F.broadcast(cuts), on=data.label, how="left")
    keep = (
        F.when(mode == _ALL, F.lit(True))
        .when(mode == _NONE, F.lit(False))
        .when(mode.isNull(), F.raise_error(F.lit(_NEW_LABEL)).cast("boolean"))
        .when(F.col(_CUT).isNull(), F.raise_error(F.lit(_WINDOW_MISSED)).cast("boolean"))
        .otherwise(F.col(KEY) <= F.col(_CUT))
    )
    return joined.where(keep).select(*data.columns)
