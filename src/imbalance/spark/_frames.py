"""The Spark side of partitioned resampling: check the DataFrame, count the classes, key rows.

Every pass hands the label column and one 64-bit *id* per row to the engine-neutral kernels of
:mod:`imbalance._partitioned`. The id is the ``row_id`` column, or else the row's position in
the DataFrame: partition ``p``'s row ``i`` is at ``offset[p] + i``, with ``offset`` the running
total of the per-partition counts of the counting pass. Spark's own
``monotonically_increasing_id()`` carries ``(p, i)`` as ``(p << 33) + i``, so positions are
computed next to the data, in any pass, without a shuffle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .._partitioned._kernels import LabelCounts
from .._partitioned._plan import merge_counts
from .._typing import ArrayLike, Target
from ..exceptions import DataTypeError, InvalidDataError, InvalidParameterError

__all__ = ["SparkData", "as_spark_data", "count_pass", "row_ids"]

# Helper columns added to a DataFrame while it is resampled (dropped from every result).
ID = "__imbalance_id__"
MID = "__imbalance_mid__"
_LOW33 = (1 << 33) - 1

_LABEL_TYPES = (
    T.ByteType,
    T.ShortType,
    T.IntegerType,
    T.LongType,
    T.FloatType,
    T.DoubleType,
    T.StringType,
    T.BooleanType,
)
_ID_TYPES = (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.StringType)


@dataclass(frozen=True)
class SparkData:
    """A DataFrame to resample: its label column, its optional ``row_id`` column, and the
    global position of the first row of every partition (``offsets[p]``)."""

    df: DataFrame
    label: str
    row_id: str | None
    offsets: np.ndarray

    @property
    def columns(self) -> list[str]:
        return list(self.df.columns)

    @property
    def features(self) -> list[str]:
        return [c for c in self.df.columns if c != self.label]


def _type_name(field: T.StructField) -> str:
    return str(field.dataType.simpleString())


def as_spark_data(X: ArrayLike, y: Target, row_id: str | None, owner: str) -> tuple[DataFrame, str]:
    """Check X, y and ``row_id`` against X's schema, before any job runs."""
    if not isinstance(X, DataFrame):
        raise InvalidDataError(
            f"{owner} resamples a pyspark.sql.DataFrame; X is a "
            f"{type(X).__module__}.{type(X).__name__}. Use imbalance.samplers.{owner} for data "
            f"in memory, or imbalance.dask.{owner} for Dask collections."
        )
    if not isinstance(y, str):
        raise InvalidDataError(
            f"y must be the name of X's label column (a str); got a {type(y).__name__}. "
            "Add the labels to the DataFrame and pass the column's name."
        )
    fields = {f.name: f for f in X.schema.fields}
    if y not in fields:
        raise InvalidDataError(
            f"y={y!r} is not a column of X; X's columns are {list(fields)}. "
            "Pass the name of the label column."
        )
    if not isinstance(fields[y].dataType, _LABEL_TYPES):
        raise DataTypeError(
            f"label column {y!r} has type {_type_name(fields[y])}; {owner} takes integer, "
            "floating-point (class codes such as 0.0 and 1.0), string or boolean labels. "
            f"Cast it, e.g. X.withColumn({y!r}, X[{y!r}].cast('string'))."
        )
    if row_id is not None:
        if row_id not in fields:
            raise InvalidParameterError(
                f"row_id={row_id!r} of {owner} is not a column of X; X's columns are "
                f"{list(fields)}. Name a column with one distinct value per row, or use "
                "row_id=None (row positions)."
            )
        if not isinstance(fields[row_id].dataType, _ID_TYPES):
            raise DataTypeError(
                f"row_id column {row_id!r} has type {_type_name(fields[row_id])}; use an "
                "integer or string column."
            )
    reserved = [c for c in (ID, MID) if c in fields]
    if reserved:
        raise InvalidDataError(f"X has a column named {reserved[0]!r}, which imbalance reserves.")
    return X, y


def _labels_of(values: Sequence[Any]) -> np.ndarray:
    """Label values of one partition in a numpy dtype the kernels sort (ints stay ints)."""
    arr = np.asarray(list(values))
    return arr.astype(object) if arr.dtype.kind in "US" else arr


def count_pass(df: DataFrame, label: str) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """The one pass that runs at ``fit_resample``: label counts per partition.

    Returns the sorted classes, the ``(n_partitions, n_classes)`` counts (partitions without
    rows included) and the global offset of every partition.
    """
    pid = F.spark_partition_id().alias("p")
    rows = df.groupBy(pid, F.col(label).alias("l")).count().collect()
    n_parts = max([r["p"] for r in rows], default=-1) + 1
    by_part: list[dict[Any, int]] = [{} for _ in range(n_parts)]
    for r in rows:
        by_part[r["p"]][r["l"]] = int(r["count"])
    parts = [_label_counts(label, p, counts) for p, counts in enumerate(by_part)]
    if not parts:
        raise InvalidDataError("X is empty: the DataFrame has no row to resample.")
    classes, matrix = merge_counts(parts)
    _check_classes(label, classes)
    offsets = np.concatenate([[0], np.cumsum(matrix.sum(axis=1))[:-1]]).astype(np.int64)
    return classes, matrix, offsets


def _label_counts(label: str, p: int, counts: dict[Any, int]) -> LabelCounts:
    missing = sum(n for v, n in counts.items() if v is None or (isinstance(v, float) and v != v))
    if missing:
        raise InvalidDataError(
            f"label column {label!r} has {missing} missing label(s) (null or NaN), the first "
            f"in partition {p}. Drop those rows (df.dropna(subset=[{label!r}])) or give them a "
            "class before resampling."
        )
    values = list(counts)
    n = np.asarray([counts[v] for v in values], dtype=np.int64)
    return LabelCounts(_labels_of(values), n, int(n.sum()), 0)


def _check_classes(label: str, classes: list[Any]) -> None:
    odd = [c for c in classes if isinstance(c, float) and not float(c).is_integer()]
    if odd:
        raise DataTypeError(
            f"label column {label!r} looks continuous: it holds non-integer values such as "
            f"{odd[0]!r}. Resampling needs class labels; bin the target into classes first."
        )


def row_ids(data: SparkData) -> Column:
    """The column the kernels key rows by: ``row_id``, or each row's global position,
    ``offsets[p] + i`` computed by Spark from ``monotonically_increasing_id()`` = ``(p << 33) + i``
    (no Python, no shuffle)."""
    if data.row_id is not None:
        return F.col(data.row_id)
    mid = F.monotonically_increasing_id()
    offsets = F.array(*[F.lit(int(o)).cast("long") for o in data.offsets])
    partition = (F.shiftright(mid, 33) + 1).cast("int")
    return F.element_at(offsets, partition) + mid.bitwiseAND(F.lit(_LOW33))
