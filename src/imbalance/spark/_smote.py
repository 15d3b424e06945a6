"""SMOTE on a Spark DataFrame: the grown classes gathered on one executor, synthesised there.

SMOTE makes each synthetic row from two rows of the same class, so the rows of the classes it
grows (usually the rare ones) are all it needs. They are sent to one ``applyInPandas`` group,
ordered as in the DataFrame, and :class:`imbalance.samplers.SMOTE` (with the one
neighbour engine, :mod:`imbalance.neighbors`) synthesises them, exactly as the Dask SMOTE does
on its driver: for an int ``random_state`` the synthetic rows are those of
:class:`imbalance.dask.SMOTE` (and of the in-memory SMOTE) on the same rows in the same order.
Classes too large for one executor are refused before any job runs (``max_gathered``).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from pyspark.ml.functions import array_to_vector, vector_to_array
from pyspark.ml.linalg import VectorUDT
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .._param_validation import SAMPLING_STRATEGY_CONSTRAINT, Interval, Options
from .._partitioned._select import PartitionedTarget
from .._partitioned._synthesis import spare_class, synthesise
from .._typing import Backend, Label, NeighborSpec, RandomState, Sampler, SamplingStrategy
from ..base import SamplerTags
from ..exceptions import InvalidDataError
from ..neighbors import BACKENDS
from ..samplers import SMOTE as InMemorySMOTE
from ._base import SparkSampler
from ._draws import keyed
from ._frames import ID, SparkData

__all__ = ["SMOTE"]

_GROUP = "__imbalance_group__"
# Bytes per gathered value in the executor's pandas / numpy copies (frame, float64 block,
# neighbour distances, synthetic rows), for the size quoted by the error.
_BYTES_PER_VALUE = 32


class SMOTE(SparkSampler):
    """SMOTE for Spark DataFrames: synthetic rows appended to the DataFrame, lazily.

    Counts the classes in one job and resolves ``sampling_strategy`` like every sampler. The
    rows of the classes that grow are gathered, in DataFrame order, on one executor (an
    ``applyInPandas`` group) where :class:`imbalance.samplers.SMOTE` synthesises them
    with the neighbour engine of :mod:`imbalance.neighbors`; the other classes never leave
    their partitions and nothing but the counts reaches the driver. For an int
    ``random_state`` the synthetic rows equal those of :class:`imbalance.dask.SMOTE` (and of
    the in-memory SMOTE) on the same rows in the same order.

    Features are the columns other than the label: numbers are interpolated (integers
    rounded), other columns copied from the row each synthetic row starts from, and MLlib
    vector columns are interpolated element by element.

    **Size.** The grown classes must fit one executor's Python memory, about
    ``32 * rows * features`` bytes; with more than ``max_gathered`` rows ``fit_resample``
    raises before any job runs, with the numbers. There is no approximate path for Spark yet:
    under-sample the majority first, or use :class:`RandomOverSampler`, or
    :class:`imbalance.dask.SMOTE` with ``block_size`` (k-means blocks).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts, as for :class:`RandomOverSampler`.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the synthesis.
    k_neighbors : int or estimator, default=5
        Nearest same-class neighbours among which partners are drawn.
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the neighbour search (on the executor).
    n_jobs : int or None, default=None
        Threads of the neighbour search.
    max_gathered : int, default=5_000_000
        Most rows gathered on the executor (all grown classes together).
    row_id : str or None, default=None
        Column whose values order the gathered rows; ``None`` keeps the DataFrame's order.

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
    seed_ : int
        The seed used.
    n_features_in_ : int
        Number of columns of X besides the label column.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Those columns' names.

    See Also
    --------
    imbalance.dask.SMOTE : the same rows on Dask, with a k-means path for huge classes.
    RandomOverSampler : repeats instead of synthetic rows, without gathering anything.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall and W. P. Kegelmeyer, "SMOTE: Synthetic
       Minority Over-sampling Technique", Journal of Artificial Intelligence Research, 16,
       321-357, 2002.

    Examples
    --------
    >>> from imbalance.spark import SMOTE
    >>> rows = [(float(i), float(i % 7), int(i >= 50)) for i in range(60)]
    >>> df = spark.createDataFrame(rows, ["a", "b", "label"])
    >>> df_res, y_res = SMOTE(random_state=0).fit_resample(df, "label")
    >>> sorted(df_res.groupBy("label").count().collect())
    [Row(label=0, count=50), Row(label=1, count=50)]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "k_neighbors": [Interval("int", 1, None), "estimator"],
        "neighbors": [Options(BACKENDS)],
        "n_jobs": [None, Interval("int", -1, -1), Interval("int", 1, None)],
        "max_gathered": [Interval("int", 1, None)],
        "row_id": ["str", None],
    }
    _sampler_tags = SamplerTags(kind="over", synthetic=True, reads_features=True, keeps_rows=True)

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        k_neighbors: NeighborSpec = 5,
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
        max_gathered: int = 5_000_000,
        row_id: str | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.neighbors = neighbors
        self.n_jobs = n_jobs
        self.max_gathered = max_gathered
        self.row_id = row_id

    def _fit_resample(
        self, X: SparkData, target: PartitionedTarget, rng: np.random.Generator
    ) -> tuple[DataFrame, DataFrame]:
        """X, then the synthetic rows of the grown classes (one executor), lazily."""
        grown = [c for c in target.classes if self.target_counts_[c] > self.class_counts_[c]]
        if not grown:
            return X.df, X.df.select(X.label)
        self._check_size(X, grown)
        local = InMemorySMOTE(
            random_state=self.seed_,
            k_neighbors=self.k_neighbors,
            neighbors=self.neighbors,
            n_jobs=self.n_jobs,
        )
        goals = {c: int(self.target_counts_[c]) for c in grown}
        synthetic = _gathered(X, local, goals, spare_class(target.classes, grown))
        out = X.df.unionByName(synthetic)
        return out, out.select(X.label)

    def _check_size(self, data: SparkData, grown: list[Any]) -> None:
        rows = sum(self.class_counts_[c] for c in grown)
        if rows <= self.max_gathered:
            return
        size = _BYTES_PER_VALUE * rows * max(1, len(data.features)) / 2**30
        raise InvalidDataError(
            f"SMOTE gathers the rows of the classes it grows ({', '.join(map(repr, grown))}) on "
            f"one executor: {rows} rows x {len(data.features)} columns, about {size:.1f} GiB, "
            f"more than max_gathered={self.max_gathered} rows. Raise max_gathered if one "
            "executor has that memory for Python; otherwise under-sample the majority first, "
            "use RandomOverSampler, or imbalance.dask.SMOTE with block_size."
        )


def _vector_columns(df: DataFrame) -> list[str]:
    return [f.name for f in df.schema.fields if isinstance(f.dataType, VectorUDT)]


def _gathered(data: SparkData, local: Sampler, goals: dict[Any, int], spare: Label) -> DataFrame:
    """The synthetic rows, from one ``applyInPandas`` group holding the grown classes."""
    label = data.label
    features, vectors = data.features, _vector_columns(data.df)
    rows = keyed(data).filter(F.col(label).isin(list(goals)))
    for v in vectors:
        rows = rows.withColumn(v, vector_to_array(F.col(v)))
    schema = T.StructType(
        [
            T.StructField(f.name, T.ArrayType(T.DoubleType()))
            if f.name in vectors
            else T.StructField(f.name, f.dataType)
            for f in data.df.schema.fields
        ]
    )
    columns = list(data.columns)

    def synthesise_group(part: pd.DataFrame) -> pd.DataFrame:
        order = part[ID]
        part = part.iloc[np.argsort(order.to_numpy(), kind="stable")]
        X_loc = _expand(part[features].reset_index(drop=True), vectors)
        X_syn, y_syn = synthesise(local, X_loc, part[label].to_numpy(), goals, spare)
        out = _pack(X_syn.reset_index(drop=True), vectors)
        out[label] = y_syn
        return out[columns]

    one = rows.withColumn(_GROUP, F.lit(0))
    synthetic = one.groupBy(_GROUP).applyInPandas(synthesise_group, schema)
    for v in vectors:
        synthetic = synthetic.withColumn(v, array_to_vector(F.col(v)))
    return synthetic


def _slot(column: str, i: int) -> str:
    return f"{column}\x00{i}"


def _expand(frame: pd.DataFrame, vectors: list[str]) -> pd.DataFrame:
    """Vector (array) columns spread into one float column per element."""
    if not vectors:
        return frame
    pieces: list[pd.DataFrame] = []
    for c in frame.columns:
        if c not in vectors:
            pieces.append(frame[[c]])
            continue
        block = (
            np.stack([np.asarray(v, dtype=np.float64) for v in frame[c]]) if len(frame) else None
        )
        if block is None or block.ndim != 2:
            raise InvalidDataError(f"vector column {c!r} must hold vectors of one length.")
        names = [_slot(c, i) for i in range(block.shape[1])]
        pieces.append(pd.DataFrame(block, columns=names, index=frame.index))
    return pd.concat(pieces, axis=1)


def _pack(frame: pd.DataFrame, vectors: list[str]) -> pd.DataFrame:
    """The element columns of each vector column gathered back into one array column."""
    if not vectors:
        return frame
    out = frame.copy()
    for c in vectors:
        names = [n for n in frame.columns if isinstance(n, str) and n.startswith(f"{c}\x00")]
        block = frame[names].to_numpy(dtype=np.float64)
        out = out.drop(columns=names)
        out[c] = list(block)
    return out
