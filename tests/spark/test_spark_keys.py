"""Row keys computed by Spark SQL itself: the kernels' numbers, the Dask rows, no Python worker."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _spark_data import frame, rows_of, to_pandas
from pyspark.errors import PySparkException
from pyspark.sql import functions as F

import imbalance.spark
from imbalance._partitioned._kernels import ClassDraw, row_keys
from imbalance.spark._frames import SparkData, count_pass
from imbalance.spark._keys import key_column, subset_rows

dd = pytest.importorskip("dask.dataframe")
imbalance_dask = pytest.importorskip("imbalance.dask")

IDS = [0, 1, 2, 3, -1, -2, 2**31, 2**62 + 5, -(2**63), 2**63 - 1, 123_456_789]


@pytest.mark.parametrize("seed", [0, 7, 2**40 + 3, 2**63 + 11, 2**64 - 1])
def test_spark_key_is_the_kernels_row_key(spark, seed):
    sdf = spark.createDataFrame([(i,) for i in IDS], ["id"])
    got = [r[0] for r in sdf.select(key_column(F.col("id"), seed)).collect()]
    want = row_keys(np.asarray(IDS, dtype=np.int64).view(np.uint64), seed)
    # Spark's keys are signed with the sign bit flipped, so that they sort as the uint64 keys
    flipped = (want ^ np.uint64(1 << 63)).view(np.int64)
    assert got == flipped.tolist()
    assert np.array_equal(np.argsort(got, kind="stable"), np.argsort(want, kind="stable"))


@pytest.mark.parametrize("n_parts", [1, 4])
def test_positions_as_ids_keep_the_dask_rows(spark, n_parts):
    pdf = frame(n=300, seed=4)
    # coalescing an ordered frame keeps the row order, so positions stay the same
    sdf = spark.createDataFrame(pdf).coalesce(n_parts)
    got, _ = imbalance.spark.RandomUnderSampler(random_state=9).fit_resample(sdf, "label")
    want, _ = imbalance_dask.RandomUnderSampler(random_state=9).fit_resample(
        dd.from_pandas(pdf, npartitions=3), "label"
    )
    pd.testing.assert_frame_equal(
        rows_of(to_pandas(got)), rows_of(want.compute()), check_dtype=False
    )


def test_string_ids_still_keep_the_dask_rows(spark):
    pdf = frame(n=300, seed=5, string_ids=True)
    got, _ = imbalance.spark.RandomUnderSampler(random_state=2, row_id="id").fit_resample(
        spark.createDataFrame(pdf).repartition(3), "label"
    )
    want, _ = imbalance_dask.RandomUnderSampler(random_state=2, row_id="id").fit_resample(
        dd.from_pandas(pdf, npartitions=2), "label"
    )
    pd.testing.assert_frame_equal(
        rows_of(to_pandas(got)), rows_of(want.compute()), check_dtype=False
    )


def test_under_sampling_runs_no_python_worker(spark, capsys):
    sdf = spark.createDataFrame(frame(n=200)).repartition(2)
    out, _ = imbalance.spark.RandomUnderSampler(random_state=0, row_id="id").fit_resample(
        sdf, "label"
    )
    capsys.readouterr()
    out.explain()
    plan = capsys.readouterr().out
    assert "Filter" in plan
    assert "Python" not in plan and "ArrowEval" not in plan and "PandasUDF" not in plan


def _data(spark, pdf):
    sdf = spark.createDataFrame(pdf)
    classes, _, offsets = count_pass(sdf, "label")
    return SparkData(sdf, "label", "id", offsets), classes


def test_rows_sharing_an_id_across_the_cut_are_refused(spark):
    pdf = pd.DataFrame({"x": np.arange(40.0), "id": [5] * 30 + list(range(10)), "label": [0] * 40})
    pdf.loc[30:, "label"] = 1
    out, _ = imbalance.spark.RandomUnderSampler(random_state=0, row_id="id").fit_resample(
        spark.createDataFrame(pdf), "label"
    )
    with pytest.raises(PySparkException, match="same id"):
        out.collect()


def test_a_window_that_misses_its_cut_stops_the_job(spark):
    pdf = frame(n=100, seed=1)
    data, classes = _data(spark, pdf)
    # an empty key window at the very top of the key range cannot hold the cut
    draws = [ClassDraw("subset", 3, 10, 2**64 - 2, 2**64 - 1, 10.0) for _ in classes]
    out = subset_rows(data, classes, draws, seed=0)
    assert out is not None
    with pytest.raises(PySparkException, match="missed its cut"):
        out.collect()


def test_many_classes_use_the_map_lookup_and_keep_the_dask_rows(spark):
    rng = np.random.default_rng(3)
    n = 600
    labels = np.minimum(rng.geometric(0.15, size=n), 20).astype(np.int64)  # 20 classes
    pdf = pd.DataFrame({"id": np.arange(n) * 3 + 1, "a": rng.normal(size=n), "label": labels})
    assert pdf["label"].nunique() > 16  # more than the chain of comparisons handles
    got, _ = imbalance.spark.RandomUnderSampler(
        sampling_strategy={c: 2 for c in range(1, 21)}, random_state=4, row_id="id"
    ).fit_resample(spark.createDataFrame(pdf).repartition(2), "label")
    want, _ = imbalance_dask.RandomUnderSampler(
        sampling_strategy={c: 2 for c in range(1, 21)}, random_state=4, row_id="id"
    ).fit_resample(dd.from_pandas(pdf, npartitions=3), "label")
    pd.testing.assert_frame_equal(
        rows_of(to_pandas(got)), rows_of(want.compute()), check_dtype=False
    )
    assert to_pandas(got)["label"].value_counts().to_dict() == dict.fromkeys(range(1, 21), 2)


@pytest.mark.parametrize("kind", ["string", "double", "boolean"])
def test_labels_of_every_type_keep_the_dask_rows(spark, kind):
    pdf = frame(n=300, seed=6)
    if kind == "string":
        pdf["label"] = pdf["label"].map({0: "common", 1: "rare", 2: "rarest"})
    elif kind == "double":
        pdf["label"] = pdf["label"].astype(np.float64)
    else:
        pdf["label"] = pdf["label"] > 0
    rus = imbalance.spark.RandomUnderSampler(random_state=8, row_id="id")
    got, _ = rus.fit_resample(spark.createDataFrame(pdf).repartition(2), "label")
    want, _ = imbalance_dask.RandomUnderSampler(random_state=8, row_id="id").fit_resample(
        dd.from_pandas(pdf, npartitions=3), "label"
    )
    got = to_pandas(got)
    assert got["label"].value_counts().to_dict() == rus.target_counts_
    pd.testing.assert_frame_equal(rows_of(got), rows_of(want.compute()), check_dtype=False)
