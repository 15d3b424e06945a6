"""Shared data of the Spark tests: one pandas frame, read by Spark and by Dask alike."""

from __future__ import annotations

import numpy as np
import pandas as pd


def frame(n: int = 400, seed: int = 0, string_ids: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = np.arange(n) * 7 + 3
    return pd.DataFrame(
        {
            "id": [f"row-{i}" for i in ids] if string_ids else ids,
            "a": rng.normal(size=n),
            "b": rng.integers(0, 100, n),
            "label": rng.choice([0, 1, 2], p=[0.8, 0.15, 0.05], size=n),
        }
    )


def rows_of(pdf: pd.DataFrame) -> pd.DataFrame:
    """Rows as a multiset: sorted on every column, index dropped."""
    return pdf.sort_values(list(pdf.columns), kind="stable").reset_index(drop=True)


def jobs_during(spark, action) -> int:
    """Number of Spark jobs that ``action()`` runs."""
    tracker = spark.sparkContext.statusTracker()
    spark.sparkContext.setJobGroup("imbalance-count", "counted")
    try:
        before = len(tracker.getJobIdsForGroup("imbalance-count"))
        action()
        return len(tracker.getJobIdsForGroup("imbalance-count")) - before
    finally:
        spark.sparkContext.setJobGroup("other", "other")


def to_pandas(df) -> pd.DataFrame:
    """A small Spark DataFrame as pandas, through ``collect`` (PySpark 4.x's ``toPandas``
    passes pandas 3 a deprecated ``copy`` keyword, which the warnings-as-errors run refuses)."""
    return pd.DataFrame([r.asDict() for r in df.collect()], columns=df.columns)
