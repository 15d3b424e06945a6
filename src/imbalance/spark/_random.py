"""Exact-count random under- and over-sampling of Spark DataFrames."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .._param_validation import SAMPLING_STRATEGY_CONSTRAINT, Interval
from .._partitioned._kernels import ClassDraw
from .._partitioned._plan import plan_draws
from .._partitioned._select import PartitionedTarget
from .._strategy import resolve_shrinkage
from .._typing import RandomState, SamplingStrategy
from ..base import SamplerTags
from ._base import SparkSampler
from ._draws import M, drawn_multiplicity
from ._frames import SparkData
from ._keys import subset_rows
from ._smooth import smoothed

__all__ = ["RandomOverSampler", "RandomUnderSampler"]

_R = "__imbalance_repeat__"


class _SparkRandomSampler(SparkSampler):
    """What the two random samplers share: one counting pass, exact lazy draws."""

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "row_id": ["str", None],
    }
    sampling_strategy: Any
    random_state: Any
    row_id: str | None

    def _draws(self) -> list[ClassDraw]:
        return plan_draws(
            self.class_counts_,
            self.target_counts_,
            kind="over" if self._sampling_kind == "over" else "under",
            replacement=bool(getattr(self, "replacement", False)),
        )

    def _drawn(self, data: SparkData, target: PartitionedTarget) -> DataFrame:
        """X with how many times each row is drawn (kept rows, or the extra repeats)."""
        return drawn_multiplicity(data, target.classes, self._draws(), self.seed_)


def _repeated(drawn: DataFrame) -> DataFrame:
    """Each row ``M`` times, side by side, with its repeat number ``_R`` (0, 1, ...)."""
    return drawn.filter(F.col(M) > 0).withColumn(
        _R, F.explode(F.sequence(F.lit(0).cast("long"), F.col(M) - 1))
    )


class RandomUnderSampler(_SparkRandomSampler):
    """Under-sample a Spark DataFrame to exact class counts, lazily and reproducibly.

    The Spark counterpart of :class:`imbalance.samplers.RandomUnderSampler` and
    :class:`imbalance.dask.RandomUnderSampler`: the same ``sampling_strategy`` meanings,
    resolved by the same function on exact class counts. ``fit_resample`` runs one job, a
    ``groupBy`` counting the labels of each partition; the result is a lazy DataFrame with
    exactly ``target_counts_`` rows per class. Nothing but the counts reaches the driver.

    Each row's key is its id (``row_id``, or its position in the DataFrame) hashed with the
    seed by Spark SQL's ``xxhash64``, the hash the Dask sampler's kernels compute; a class
    keeps its rows of smallest key, with an exact threshold found from a few candidates near
    it. So for an int ``random_state`` and the same row ids, the rows kept are those
    :class:`imbalance.dask.RandomUnderSampler` keeps, whatever the partitioning of either.
    Nothing passes through Python: with integer ids or positions the whole plan is Spark SQL
    (one aggregation finds the thresholds, a filter keeps the rows); string ids and
    ``replacement=True`` run the kernels in a pandas UDF over the label and id columns only.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts, as for :class:`imbalance.samplers.RandomUnderSampler`; a callable
        receives the label column as a one-column DataFrame and returns a dict.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the row keys. An int is used as it is (see ``seed_``); anything else draws one.
    replacement : bool, default=False
        Draw with replacement (the bootstrap): a row drawn several times comes out that often.
    row_id : str or None, default=None
        Integer or string column with a distinct value per row. ``None`` uses each row's
        position (partition by partition, in the DataFrame's order), which needs a DataFrame
        that reads the same rows in the same order every time (Parquet files do; a
        ``repartition`` without a sort may not: use ``row_id`` or ``checkpoint()`` then).

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after resampling.
    sampling_strategy_ : dict of {class_label: int}
        Rows kept in each class the strategy targets (imbalanced-learn's meaning).
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    seed_ : int
        The seed the row keys were hashed with; pass it as ``random_state`` to draw again.
    n_features_in_ : int
        Number of columns of X besides the label column.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Those columns' names.

    See Also
    --------
    imbalance.dask.RandomUnderSampler : the same rows on Dask.
    RandomOverSampler : the over-sampling counterpart.
    sample_weights : a weight column instead of dropped rows.

    Examples
    --------
    >>> from imbalance.spark import RandomUnderSampler
    >>> df = spark.createDataFrame([(i, int(i < 3)) for i in range(12)], ["x", "label"])
    >>> rus = RandomUnderSampler(random_state=0)
    >>> df_res, y_res = rus.fit_resample(df, "label")
    >>> rus.target_counts_
    {0: 3, 1: 3}
    >>> sorted(df_res.groupBy("label").count().collect())
    [Row(label=0, count=3), Row(label=1, count=3)]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **_SparkRandomSampler._parameter_constraints,
        "replacement": ["boolean"],
    }
    _sampler_tags = SamplerTags(kind="under")
    _sampling_kind = "under"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        replacement: bool = False,
        row_id: str | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement
        self.row_id = row_id

    def _fit_resample(
        self, X: SparkData, target: PartitionedTarget, rng: np.random.Generator
    ) -> tuple[DataFrame, DataFrame]:
        """Keep the drawn rows (each as many times as drawn), lazily."""
        kept = subset_rows(X, target.classes, self._draws(), self.seed_)
        if kept is not None:  # Spark SQL alone (integer ids or positions, no replacement)
            return kept, kept.select(X.label)
        drawn = self._drawn(X, target)
        if self.replacement:
            out = _repeated(drawn).select(*X.columns)
        else:
            out = drawn.filter(F.col(M) > 0).select(*X.columns)
        return out, out.select(X.label)


class RandomOverSampler(_SparkRandomSampler):
    """Over-sample a Spark DataFrame to exact class counts, lazily and reproducibly.

    The Spark counterpart of :class:`imbalance.samplers.RandomOverSampler` and
    :class:`imbalance.dask.RandomOverSampler`. The extra rows of each class are drawn
    uniformly with replacement (the bootstrap), exactly as many as ``target_counts_`` asks,
    by the Dask sampler's hash-keyed Poisson draws: for an int ``random_state`` and the same
    row ids, the repeats are those of :class:`imbalance.dask.RandomOverSampler`. The output
    is X followed by the repeats (``unionByName``); shuffle before training on batches.

    With ``shrinkage`` the repeats become a smoothed bootstrap (Menardi and Torelli, 2014):
    Gaussian noise of standard deviation ``shrinkage * h * std_j(class)`` is added to each
    numeric column ``j``, with ``h = (4 / ((d + 2) n)) ** (1 / (d + 4))`` as in the in-memory
    sampler; the per-class means and variances come from the same counting pass, and the
    noise is hash-keyed by the row's key, its repeat number and the column, so it too is the
    same whatever the partitioning. Integer columns are rounded.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts, as for :class:`imbalance.samplers.RandomOverSampler`; a callable
        receives the label column as a one-column DataFrame and returns a dict.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the row keys. An int is used as it is (see ``seed_``); anything else draws one.
    shrinkage : float, dict of {class_label: float} or None, default=None
        ``None`` repeats rows as they are; a float (or one per over-sampled class) scales the
        smoothing noise of the numeric columns (vector columns are repeated as they are).
    row_id : str or None, default=None
        Integer or string column with a distinct value per row; ``None`` uses positions (see
        :class:`RandomUnderSampler`).

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after resampling.
    sampling_strategy_ : dict of {class_label: int}
        Rows added to each class the strategy targets (imbalanced-learn's meaning).
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    shrinkage_ : dict of {class_label: float} or None
        The shrinkage of each over-sampled class.
    seed_ : int
        The seed the row keys were hashed with.
    n_features_in_ : int
        Number of columns of X besides the label column.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Those columns' names.

    See Also
    --------
    imbalance.dask.RandomOverSampler : the same rows on Dask.
    RandomUnderSampler : the under-sampling counterpart.
    SMOTE : synthetic rows instead of repeats.

    References
    ----------
    .. [1] G. Menardi and N. Torelli, "Training and assessing classification rules with
       imbalanced data", Data Mining and Knowledge Discovery, 28, 92-122, 2014.

    Examples
    --------
    >>> from imbalance.spark import RandomOverSampler
    >>> df = spark.createDataFrame([(float(i), int(i < 3)) for i in range(12)], ["x", "label"])
    >>> ros = RandomOverSampler(random_state=0)
    >>> df_res, y_res = ros.fit_resample(df, "label")
    >>> sorted(df_res.groupBy("label").count().collect())
    [Row(label=0, count=9), Row(label=1, count=9)]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **_SparkRandomSampler._parameter_constraints,
        "shrinkage": [Interval("real", 0, None), "dict", None],
    }
    _sampler_tags = SamplerTags(kind="over")
    _sampling_kind = "over"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        shrinkage: float | Mapping[Any, float] | None = None,
        row_id: str | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage
        self.row_id = row_id

    def _get_sampler_tags(self) -> SamplerTags:
        tags = super()._get_sampler_tags()
        tags.synthetic = self.shrinkage is not None
        tags.reads_features = self.shrinkage is not None
        return tags

    def _fit_resample(
        self, X: SparkData, target: PartitionedTarget, rng: np.random.Generator
    ) -> tuple[DataFrame, DataFrame]:
        """X, then the drawn repeats (smoothed when ``shrinkage`` is set), lazily."""
        self.shrinkage_ = resolve_shrinkage(self.shrinkage, self.target_counts_, target)
        repeats = _repeated(self._drawn(X, target))
        if self.shrinkage_ is not None:
            repeats = smoothed(X, repeats, target, self.shrinkage_, self.seed_, _R)
        out = X.df.unionByName(repeats.select(*X.columns))
        return out, out.select(X.label)
