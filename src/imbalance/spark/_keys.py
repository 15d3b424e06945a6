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
from ._frames import SparkData

__all__ = ["id_column", "key_column", "subset_rows"]

KEY = "__imbalance_key__"
_LO, _HI = "__imbalance_lo__", "__imbalance_hi__"
_GOAL, _ALL = "__imbalance_goal__", "__imbalance_all__"
_BELOW, _CANDS, _CUT = "__imbalance_below__", "__imbalance_cands__", "__imbalance_cut__"
_LOW33 = (1 << 33) - 1
_SIGN = -(1 << 63)
_LONG_MAX = (1 << 63) - 1
_INTEGER_IDS = (T.ByteType, T.ShortType, T.IntegerType, T.LongType)

_WINDOW_MISSED = (
    "imbalance: the key window of a class missed its cut (probability below 1e-20 per class), "
    "or the DataFrame changed between its two reads. Run fit_resample again with another "
    "random_state, or checkpoint the DataFrame."
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
    if data.row_id is not None:
        if not isinstance(data.df.schema[data.row_id].dataType, _INTEGER_IDS):
            return None
        return F.col(data.row_id).cast("long")
    mid = F.monotonically_increasing_id()
    offsets = F.array(*[F.lit(int(o)).cast("long") for o in data.offsets])
    partition = (F.shiftright(mid, 33) + 1).cast("int")
    return F.element_at(offsets, partition) + mid.bitwiseAND(F.lit(_LOW33))


def key_column(ids: Column, seed: int) -> Column:
    """Spark's ``xxhash64(seed, id)`` (the kernels' ``row_keys``), ordered as unsigned."""
    key = F.xxhash64(F.lit(_signed(seed)).cast("long"), ids)
    return key.bitwiseXOR(F.lit(_SIGN))


def _windows(data: SparkData, classes: Sequence[Any], draws: Sequence[ClassDraw]) -> DataFrame:
    """One row per kept class: its key window (signed), its goal, and whether it is kept whole."""
    rows = []
    for cls, draw in zip(classes, draws, strict=True):
        if draw.mode == "subset":
            lo, hi = _signed(int(draw.lo) ^ (1 << 63)), _signed(int(draw.hi) ^ (1 << 63))
            rows.append((cls, lo, hi, draw.goal, False))
        elif draw.mode == "all":
            rows.append((cls, 0, 0, draw.goal, True))
    schema = T.StructType(
        [
            T.StructField(data.label, data.df.schema[data.label].dataType),
            T.StructField(_LO, T.LongType()),
            T.StructField(_HI, T.LongType()),
            T.StructField(_GOAL, T.LongType()),
            T.StructField(_ALL, T.BooleanType()),
        ]
    )
    return data.df.sparkSession.createDataFrame(rows, schema)


def _cuts(keyed: DataFrame, windows: DataFrame, label: str) -> DataFrame:
    """Each kept class's cut: the key of its ``goal``-th row (the largest long if kept whole)."""
    key = F.col(KEY)
    inside = (
        keyed.select(label, KEY)
        .join(F.broadcast(windows.where(~F.col(_ALL))), on=label)
        .where(key <= F.col(_HI))
        .groupBy(label)
        .agg(
            F.sum((key < F.col(_LO)).cast("long")).alias(_BELOW),
            F.array_sort(F.collect_list(F.when(key >= F.col(_LO), key))).alias(_CANDS),
        )
    )
    cuts = windows.join(inside, on=label, how="left")
    rank = F.col(_GOAL) - F.coalesce(F.col(_BELOW), F.lit(0).cast("long"))
    size = F.coalesce(F.size(F.col(_CANDS)), F.lit(0))
    at = F.element_at(F.col(_CANDS), rank.cast("int"))
    after = F.element_at(F.col(_CANDS), (rank + 1).cast("int"))
    cut = (
        F.when(F.col(_ALL), F.lit(_LONG_MAX))
        .when((rank < 1) | (rank > size), F.raise_error(F.lit(_WINDOW_MISSED)))
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
    keyed = data.df.withColumn(KEY, key_column(ids, seed))
    cuts = _cuts(keyed, _windows(data, classes, draws), data.label)
    kept = keyed.join(F.broadcast(cuts), on=data.label).where(F.col(KEY) <= F.col(_CUT))
    return kept.select(*data.columns)
