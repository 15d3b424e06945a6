"""Exact hash-keyed draws on a Spark DataFrame, as a lazy plan over the shared kernels.

Three steps, all lazy (they run when the result is computed, never at ``fit_resample``):

1. *summaries*: ``mapInPandas`` over the label and id columns runs
   :func:`imbalance._partitioned._select.window_task` on every Arrow batch; each class drawn
   by threshold gives one small row (draws below its key window, the candidates inside);
2. *cuts*: the summaries, grouped into one ``applyInPandas`` group, go through
   :func:`imbalance._partitioned._plan.find_cuts`; one row per class holds its threshold;
3. *multiplicity*: the cuts are broadcast-joined on the label, and a pandas UDF over the
   label, id and cut columns returns how many times each row comes out
   (:func:`imbalance._partitioned._kernels.multiplicity`). The features never go through
   Python: rows are filtered (and repeated with ``explode``) by Spark itself.

A key window misses its threshold with probability below 1e-20 (``_plan.Z_FIRST``); Dask then
makes one more pass, a lazy plan cannot, so the job stops with an error that says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .._partitioned._kernels import ClassDraw, Threshold, WindowSummary, label_codes, multiplicity
from .._partitioned._plan import find_cuts
from .._partitioned._select import drawn_keys, window_task
from ..exceptions import ResamplingError
from ._frames import ID, SparkData, row_ids

__all__ = ["drawn_multiplicity", "keyed"]

_T, _K, _N = "__imbalance_cut_t__", "__imbalance_cut_k__", "__imbalance_cut_n__"
M = "__imbalance_m__"

_SUMMARY = T.StructType(
    [
        T.StructField("code", T.IntegerType()),
        T.StructField("below", T.LongType()),
        T.StructField("times", T.BinaryType()),
        T.StructField("keys", T.BinaryType()),
        T.StructField("arrival", T.BinaryType()),
    ]
)


def keyed(data: SparkData) -> DataFrame:
    """The DataFrame with the id column the kernels key rows by."""
    return data.df.withColumn(ID, row_ids(data))


def _drawn_classes(
    df: DataFrame, label: str, classes: list[Any], draws: list[ClassDraw], modes: tuple[str, ...]
) -> DataFrame:
    """The rows of the classes drawn in one of ``modes``: a class that gives no row (the
    majority when over-sampling) never reaches Python. The filter comes after the id column,
    which Spark never moves it below (the id is not deterministic), so positions hold."""
    if all(d.mode in modes for d in draws):
        return df
    wanted = [c for c, d in zip(classes, draws, strict=True) if d.mode in modes]
    return df.where(F.col(label).isin(wanted))


def _summaries(data: SparkData, classes: list[Any], draws: list[ClassDraw], seed: int) -> DataFrame:
    label = data.label

    def summarise(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            ids = batch[ID]
            found = window_task(batch[label], ids, 0, classes, draws, seed)
            yield pd.DataFrame(
                [
                    (k, s.below, s.times.tobytes(), s.keys.tobytes(), s.arrival.tobytes())
                    for k, s in enumerate(found)
                    if s is not None
                ],
                columns=_SUMMARY.fieldNames(),
            )

    return (
        _drawn_classes(keyed(data), data.label, classes, draws, ("subset", "multiset"))
        .select(label, ID)
        .mapInPandas(summarise, _SUMMARY)
    )


def _decode(row: Any) -> WindowSummary:
    return WindowSummary(
        int(row.below),
        np.frombuffer(row.times, dtype=np.float64),
        np.frombuffer(row.keys, dtype=np.uint64),
        np.frombuffer(row.arrival, dtype=np.int64),
    )


def _cuts(
    summaries: DataFrame, data: SparkData, classes: list[Any], draws: list[ClassDraw]
) -> DataFrame:
    """One row per class: its label and threshold (zeros for classes drawn whole or not)."""
    label_type = data.df.schema[data.label].dataType
    schema = T.StructType(
        [
            T.StructField(data.label, label_type),
            T.StructField(_T, T.DoubleType()),
            T.StructField(_K, T.LongType()),
            T.StructField(_N, T.LongType()),
        ]
    )
    label = data.label

    def place(rows: pd.DataFrame) -> pd.DataFrame:
        parts: list[list[WindowSummary | None]] = []
        codes = rows["code"].to_numpy(dtype=np.int64).tolist()
        for code, row in zip(codes, rows.itertuples(index=False), strict=True):
            part: list[WindowSummary | None] = [None] * len(draws)
            part[code] = _decode(row)
            parts.append(part)
        cuts, retry = find_cuts(classes, draws, parts)
        if retry != draws:
            raise ResamplingError(
                "the key window of a class missed its threshold (probability below 1e-20 "
                "per class), or the DataFrame changed between its two reads. Run "
                "fit_resample again with another random_state, or checkpoint the DataFrame."
            )
        found = [c if c is not None else (0.0, 0, 0) for c in cuts]
        return pd.DataFrame(
            {
                label: pd.Series(classes, dtype=object),
                _T: [c[0] for c in found],
                _K: np.asarray([c[1] for c in found], dtype=np.uint64).view(np.int64),
                _N: [c[2] for c in found],
            }
        )

    one = summaries.withColumn("__imbalance_group__", F.lit(0))
    return one.groupBy("__imbalance_group__").applyInPandas(place, schema)


def _multiplicity_udf(
    data: SparkData, classes: list[Any], draws: list[ClassDraw], seed: int
) -> Any:
    def times_drawn(
        labels: pd.Series, ids: pd.Series, t: pd.Series, k: pd.Series, n: pd.Series
    ) -> pd.Series:
        codes = label_codes(labels, classes)
        cuts: list[Threshold | None] = [None] * len(classes)
        present, first = np.unique(codes, return_index=True)
        times, keys_as_u64 = (
            t.to_numpy(dtype=np.float64),
            k.to_numpy(dtype=np.int64).view(np.uint64),
        )
        numbers = n.to_numpy(dtype=np.int64)
        for code, i in zip(present.tolist(), first.tolist(), strict=True):
            cuts[code] = (float(times[i]), int(keys_as_u64[i]), int(numbers[i]))
        keys = drawn_keys(codes, ids, 0, seed, draws)
        return pd.Series(multiplicity(keys, codes, draws, cuts))

    # pyspark's stubs know only the deprecated functionType= form of pandas_udf
    return F.pandas_udf(times_drawn, T.LongType())  # type: ignore[call-overload]


def drawn_multiplicity(
    data: SparkData, classes: list[Any], draws: list[ClassDraw], seed: int
) -> DataFrame:
    """X with its id column ``ID`` and ``M``: how many times each row is drawn (lazy, exact)."""
    if not any(d.mode in ("subset", "multiset") for d in draws):
        kept = [c for c, d in zip(classes, draws, strict=True) if d.mode == "all"]
        return keyed(data).withColumn(M, F.col(data.label).isin(kept).cast("long"))
    cuts = _cuts(_summaries(data, classes, draws, seed), data, classes, draws)
    rows = _drawn_classes(keyed(data), data.label, classes, draws, ("all", "subset", "multiset"))
    joined = rows.join(F.broadcast(cuts), on=data.label, how="inner")
    udf = _multiplicity_udf(data, classes, draws, seed)
    m: Column = udf(F.col(data.label), F.col(ID), F.col(_T), F.col(_K), F.col(_N))
    return joined.withColumn(M, m).select(*data.columns, ID, M)
