"""Random samplers on Spark: the same rows as imbalance.dask, exact counts, lazy, one job."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _spark_data import frame, jobs_during, rows_of, to_pandas

import imbalance.samplers
import imbalance.spark
from imbalance.base import BaseSampler

dd = pytest.importorskip("dask.dataframe")
imbalance_dask = pytest.importorskip("imbalance.dask")

# (sampler, parameters, Spark partitions): Dask always has 5, Spark 1, 2 or 3.
SAMPLERS = [
    ("RandomUnderSampler", {}, 3),
    ("RandomUnderSampler", {"replacement": True}, 1),
    ("RandomOverSampler", {}, 2),
]


@pytest.mark.parametrize(("name", "params", "n_parts"), SAMPLERS, ids=lambda v: str(v))
def test_same_rows_as_dask_whatever_the_partitioning(spark, name, params, n_parts):
    pdf = frame(string_ids=name == "RandomOverSampler")
    ddf = dd.from_pandas(pdf, npartitions=5)
    want, _ = getattr(imbalance_dask, name)(random_state=7, row_id="id", **params).fit_resample(
        ddf, "label"
    )
    want = rows_of(want.compute())
    for _ in range(1):
        sdf = spark.createDataFrame(pdf).repartition(n_parts)
        sampler = getattr(imbalance.spark, name)(random_state=7, row_id="id", **params)
        got, y_got = sampler.fit_resample(sdf, "label")
        got = rows_of(to_pandas(got))
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        counts = got["label"].value_counts().to_dict()
        assert counts == sampler.target_counts_
        assert y_got.columns == ["label"]


def test_positions_as_ids_match_dask_positions(spark):
    pdf = frame(n=300, seed=1)
    sdf = spark.createDataFrame(pdf)  # rows keep their order, partition by partition
    got, _ = imbalance.spark.RandomOverSampler(random_state=3).fit_resample(sdf, "label")
    ddf = dd.from_pandas(pdf, npartitions=4)
    want, _ = imbalance_dask.RandomOverSampler(random_state=3).fit_resample(ddf, "label")
    pd.testing.assert_frame_equal(
        rows_of(to_pandas(got)), rows_of(want.compute()), check_dtype=False
    )


STRATEGIES = ["auto", "not minority", "all", {0: 50, 1: 30}, 0.5, lambda y: {0: 30, 1: 30, 2: 5}]


@pytest.mark.parametrize("strategy", STRATEGIES[:-1], ids=str)
def test_target_counts_equal_the_in_memory_samplers(spark, strategy):
    pdf = frame(n=200, seed=2)
    pdf = pdf[pdf.label < 2] if isinstance(strategy, float) else pdf
    sdf = spark.createDataFrame(pdf)
    for name in ("RandomUnderSampler", "RandomOverSampler"):
        if name == "RandomOverSampler" and strategy == {0: 50, 1: 30}:
            continue
        ours = getattr(imbalance.spark, name)(sampling_strategy=strategy, random_state=0)
        ours.fit_resample(sdf, "label")
        ref = getattr(imbalance.samplers, name)(sampling_strategy=strategy, random_state=0)
        ref.fit_resample(pdf[["a", "b"]], pdf["label"])
        assert ours.target_counts_ == ref.target_counts_
        assert ours.sampling_strategy_ == ref.sampling_strategy_


def test_callable_strategy_gets_the_label_column(spark):
    sdf = spark.createDataFrame(frame(n=200, seed=2))
    seen = []

    def strategy(labels):
        seen.append(labels.columns)
        return {0: 30, 1: 20}

    rus = imbalance.spark.RandomUnderSampler(sampling_strategy=strategy, random_state=0)
    out, _ = rus.fit_resample(sdf, "label")
    assert seen == [["label"]]
    got = {r.label: r["count"] for r in out.groupBy("label").count().collect()}
    assert got == rus.target_counts_


def test_fit_resample_runs_only_the_counting_job(spark):
    sdf = spark.createDataFrame(frame(n=200))
    counting = jobs_during(spark, lambda: sdf.groupBy("label").count().collect())
    for sampler in (
        imbalance.spark.RandomUnderSampler(random_state=0),
        imbalance.spark.RandomOverSampler(random_state=0, shrinkage=1.0),
        imbalance.spark.SMOTE(random_state=0),
    ):
        assert jobs_during(spark, lambda s=sampler: s.fit_resample(sdf, "label")) <= counting


def test_vector_features_never_pass_through_python(spark):
    from pyspark.ml.feature import VectorAssembler

    pdf = frame(n=200, seed=3)
    sdf = VectorAssembler(inputCols=["a", "b"], outputCol="features").transform(
        spark.createDataFrame(pdf)
    )
    out, _ = imbalance.spark.RandomUnderSampler(random_state=0).fit_resample(
        sdf.select("features", "label"), "label"
    )
    rows = out.collect()
    assert {r.label for r in rows} == {0, 1, 2}
    assert len(rows) == 3 * min(np.bincount(pdf["label"]))
    assert rows[0].features.size == 2


@pytest.mark.slow
def test_smoothed_bootstrap_is_exact_and_independent_of_partitioning(spark):
    pdf = frame(n=300, seed=4)
    results = []
    for n_parts in (1, 3):
        sdf = spark.createDataFrame(pdf).repartition(n_parts)
        ros = imbalance.spark.RandomOverSampler(random_state=5, shrinkage=0.5, row_id="id")
        out, _ = ros.fit_resample(sdf, "label")
        results.append(rows_of(to_pandas(out)))
    pd.testing.assert_frame_equal(results[0], results[1])
    out = results[0]
    assert out["label"].value_counts().to_dict() == ros.target_counts_
    new = out.merge(pdf, how="left", indicator=True)
    new = new[new["_merge"] == "left_only"]
    assert len(new) == sum(ros.target_counts_.values()) - len(pdf)  # every repeat is smoothed
    assert new["b"].dtype.kind == "i" and set(new["id"]) <= set(pdf["id"])  # ints stay ints


def test_no_spark_sampler_overrides_the_shell():
    classes = [
        c
        for c in vars(imbalance.spark).values()
        if isinstance(c, type) and issubclass(c, BaseSampler)
    ]
    assert len(classes) == 3
    assert all(
        "fit_resample" not in vars(k)
        for c in classes
        for k in c.__mro__[:-1]
        if k is not BaseSampler
    )
