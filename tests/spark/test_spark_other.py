"""Spark SMOTE, weights, the split helpers and bad input."""

from __future__ import annotations

import gc
import warnings

import numpy as np
import pandas as pd
import pytest
from _spark_data import frame, jobs_during, rows_of, to_pandas

import imbalance.spark
import imbalance.weights
from imbalance.exceptions import (
    DataTypeError,
    InvalidDataError,
    InvalidParameterError,
    SamplingStrategyError,
)

dd = pytest.importorskip("dask.dataframe")
imbalance_dask = pytest.importorskip("imbalance.dask")


def test_smote_equals_dask_smote(spark):
    pdf = frame(n=300, seed=5).drop(columns="id")
    got, _ = imbalance.spark.SMOTE(random_state=2).fit_resample(spark.createDataFrame(pdf), "label")
    want, _ = imbalance_dask.SMOTE(random_state=2).fit_resample(
        dd.from_pandas(pdf, npartitions=3), "label"
    )
    pd.testing.assert_frame_equal(
        rows_of(to_pandas(got)), rows_of(want.compute()), check_dtype=False
    )


def test_smote_interpolates_vector_columns(spark):
    from pyspark.ml.feature import VectorAssembler

    pdf = frame(n=300, seed=6)
    sdf = VectorAssembler(inputCols=["a", "b"], outputCol="features").transform(
        spark.createDataFrame(pdf)
    )
    smote = imbalance.spark.SMOTE(random_state=0, k_neighbors=3)
    out, _ = smote.fit_resample(sdf.select("features", "label"), "label")
    rows = out.collect()
    counts = pd.Series([r.label for r in rows]).value_counts().to_dict()
    assert counts == smote.target_counts_
    new = np.array([r.features.toArray() for r in rows[len(pdf) :]])
    assert new.shape == (sum(counts.values()) - len(pdf), 2)


def test_smote_refuses_classes_too_large_before_any_job(spark):
    sdf = spark.createDataFrame(frame(n=200))
    smote = imbalance.spark.SMOTE(random_state=0, max_gathered=10)
    with pytest.raises(InvalidDataError, match=r"max_gathered=10 rows.*GiB|GiB.*max_gathered"):
        smote.fit_resample(sdf, "label")


def test_sample_weights_column_equals_in_memory_weights(spark):
    pdf = frame(n=200, seed=7)
    sdf = spark.createDataFrame(pdf)
    out = imbalance.spark.sample_weights(sdf, "label", scheme="sqrt_inverse", output_col="w")
    got = to_pandas(out.select("label", "w"))
    want = imbalance.weights.sample_weights(got["label"].to_numpy(), scheme="sqrt_inverse")
    np.testing.assert_allclose(got["w"].to_numpy(), want)
    cw = imbalance.spark.class_weights(sdf, "label")
    assert cw == pytest.approx(imbalance.weights.class_weights(pdf["label"].to_numpy()))
    assert jobs_during(spark, lambda: imbalance.spark.sample_weights(sdf, "label")) >= 1
    fixed = imbalance.spark.sample_weights(sdf, "label", class_weight={0: 1.0, 1: 2.0, 2: 3.0})
    assert {r.label: r.weight for r in fixed.collect()} == {0: 1.0, 1: 2.0, 2: 3.0}


def test_resampled_split_resamples_the_training_part_only(spark):
    sdf = spark.createDataFrame(frame(n=300, seed=8))
    train, test = imbalance.spark.resampled_split(
        sdf, "label", imbalance.spark.RandomUnderSampler(random_state=0), seed=3
    )
    counts = {r.label: r["count"] for r in train.groupBy("label").count().collect()}
    assert len(set(counts.values())) == 1
    _, test_again = sdf.randomSplit([0.8, 0.2], 3)
    assert sorted(test.collect()) == sorted(test_again.collect())


@pytest.mark.slow
def test_resampled_estimator_in_cross_validator(spark):
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.evaluation import BinaryClassificationEvaluator
    from pyspark.ml.feature import VectorAssembler
    from pyspark.ml.tuning import CrossValidator, ParamGridBuilder

    pdf = frame(n=200, seed=9)
    pdf["label"] = (pdf["label"] > 0).astype(float)
    sdf = VectorAssembler(inputCols=["a", "b"], outputCol="features").transform(
        spark.createDataFrame(pdf)
    )
    lr = LogisticRegression(maxIter=5)
    est = imbalance.spark.ResampledEstimator(lr, imbalance.spark.RandomOverSampler(random_state=0))
    grid = ParamGridBuilder().addGrid(lr.regParam, [0.0, 0.1]).build()
    cv = CrossValidator(
        estimator=est,
        estimatorParamMaps=grid,
        evaluator=BinaryClassificationEvaluator(),
        numFolds=2,
        seed=0,
    )
    with warnings.catch_warnings():
        # CrossValidator leaves its ThreadPool open (PySpark's own code): its __del__ warns.
        warnings.simplefilter("ignore", ResourceWarning)
        model = cv.fit(sdf)
        gc.collect()
    assert len(model.avgMetrics) == 2
    assert model.bestModel.numFeatures == 2


def test_bad_input_is_refused_before_any_job(spark):
    sdf = spark.createDataFrame(frame(n=50))
    rus = imbalance.spark.RandomUnderSampler(random_state=0)
    cases = [
        (lambda: rus.fit_resample(sdf, "nope"), InvalidDataError, "not a column of X"),
        (lambda: rus.fit_resample(sdf, 3), InvalidDataError, "name of X's label column"),
        (lambda: rus.fit_resample(frame(), "label"), InvalidDataError, "pyspark.sql.DataFrame"),
        (
            lambda: rus.fit_resample(sdf.selectExpr("a", "array(label) AS label"), "label"),
            DataTypeError,
            "has type array<bigint>",
        ),
        (
            lambda: imbalance.spark.RandomUnderSampler(row_id="x").fit_resample(sdf, "label"),
            InvalidParameterError,
            "row_id='x'",
        ),
    ]
    for call, error, message in cases:
        assert jobs_during(spark, lambda c=call, e=error, m=message: _raises(c, e, m)) == 0


def _raises(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_bad_labels_are_refused_at_the_counting_job(spark):
    pdf = frame(n=50)
    rus = imbalance.spark.RandomUnderSampler(random_state=0)
    with_null = spark.createDataFrame(pdf).selectExpr("a", "IF(a > 1, NULL, label) AS label")
    with pytest.raises(InvalidDataError, match="missing label"):
        rus.fit_resample(with_null, "label")
    one = spark.createDataFrame(pdf.assign(label=1))
    with pytest.raises(SamplingStrategyError, match="one class only"):
        rus.fit_resample(one, "label")
    too_many = imbalance.spark.RandomUnderSampler(sampling_strategy={2: 10_000})
    with pytest.raises(SamplingStrategyError):
        too_many.fit_resample(spark.createDataFrame(pdf), "label")
    continuous = spark.createDataFrame(pdf).selectExpr("a", "a AS label")
    with pytest.raises(DataTypeError, match="looks continuous"):
        rus.fit_resample(continuous, "label")
