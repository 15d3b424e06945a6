"""Smoothed bootstrap of Spark repeats: hash-keyed Gaussian noise on the numeric columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .._partitioned._kernels import normal_noise
from .._partitioned._select import PartitionedTarget, partition_keys
from ..exceptions import InvalidDataError
from ._frames import ID, SparkData

__all__ = ["numeric_columns", "smoothed"]

_NUMERIC = (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.FloatType, T.DoubleType)
_INTEGRAL = (T.ByteType, T.ShortType, T.IntegerType, T.LongType)
_SD = "__imbalance_sd_{}__"


def numeric_columns(data: SparkData) -> list[str]:
    """Numeric feature columns (not the label, not ``row_id``, not booleans or vectors)."""
    return [
        f.name
        for f in data.df.schema.fields
        if f.name in data.features and f.name != data.row_id and isinstance(f.dataType, _NUMERIC)
    ]


def _noise_udf(data: SparkData, seed: int, column: int) -> Any:
    def noise(ids: pd.Series, repeat: pd.Series) -> pd.Series:
        keys = partition_keys(len(ids), ids, 0, seed)
        return pd.Series(normal_noise(keys, repeat.to_numpy(), column))

    # pyspark's stubs know only the deprecated functionType= form of pandas_udf
    return F.pandas_udf(noise, T.DoubleType())  # type: ignore[call-overload]


def _per_class(data: SparkData, values: Mapping[Any, float]) -> Column:
    kind = data.df.schema[data.label].dataType
    pairs = [x for c, v in values.items() for x in (F.lit(c).cast(kind), F.lit(float(v)))]
    return F.create_map(*pairs)[F.col(data.label)]


def smoothed(
    data: SparkData,
    repeats: DataFrame,
    target: PartitionedTarget,
    shrinkage: Mapping[Any, float],
    seed: int,
    repeat_col: str,
) -> DataFrame:
    """``repeats`` with noise ``shrinkage[c] * h * std_j(c) * N(0, 1)`` on numeric column ``j``.

    The per-class standard deviations are a lazy ``groupBy`` of X (population std, nulls
    ignored), broadcast-joined on the label.
    """
    columns = numeric_columns(data)
    if not columns:
        raise InvalidDataError(
            f"shrinkage needs numeric feature columns, but X has none besides the label "
            f"{data.label!r} (columns {data.columns}). Set shrinkage=None to repeat rows as they "
            "are."
        )
    n, d = int(target.counts.sum()), len(columns)
    h = (4 / ((d + 2) * n)) ** (1 / (d + 4))
    stds = data.df.groupBy(data.label).agg(
        *[
            F.coalesce(F.stddev_pop(c), F.lit(0.0)).alias(_SD.format(j))
            for j, c in enumerate(columns)
        ]
    )
    out = repeats.join(F.broadcast(stds), on=data.label, how="inner")
    scale = _per_class(data, shrinkage) * F.lit(h)
    types = {f.name: f.dataType for f in data.df.schema.fields}
    for j, c in enumerate(columns):
        z = _noise_udf(data, seed, j)(F.col(ID), F.col(repeat_col))
        value = F.col(c) + scale * F.col(_SD.format(j)) * z
        if isinstance(types[c], _INTEGRAL):
            value = F.round(value)
        out = out.withColumn(c, value.cast(types[c]))
    return out
