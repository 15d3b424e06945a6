"""Exact-count random under- and over-sampling of Dask collections."""

from __future__ import annotations

from typing import Any, ClassVar

import dask.array as da
import numpy as np

from .._param_validation import SAMPLING_STRATEGY_CONSTRAINT
from .._partitioned._plan import plan_draws, quotas
from .._partitioned._select import PartitionedTarget, Selection, offsets_of
from .._typing import RandomState, SamplingStrategy
from ..base import SamplerTags
from ._base import PartitionedSampler
from ._collections import (
    Partitioned,
    append,
    drawn_rows,
    sample_positions,
    select,
    threshold_pass,
)

__all__ = ["RandomOverSampler", "RandomUnderSampler"]


class _PartitionedRandomSampler(PartitionedSampler):
    """What the two random samplers share: threshold passes, exact quotas."""

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "row_id": ["str", None],
    }
    sampling_strategy: Any
    random_state: Any
    row_id: str | None

    def _fit_resample(
        self, X: Partitioned, target: PartitionedTarget, rng: np.random.Generator
    ) -> tuple[Any, Any]:
        counts = target.counts
        draws = plan_draws(
            self.class_counts_,
            self.target_counts_,
            kind="over" if self._sampling_kind == "over" else "under",
            replacement=bool(getattr(self, "replacement", False)),
        )
        offsets = offsets_of(counts)
        cuts, draws, summaries = threshold_pass(X, target.classes, draws, offsets, self.seed_)
        drawn = quotas(counts, draws, cuts, summaries)
        selection = Selection(target.classes, draws, cuts, self.seed_)
        return self._output(X, counts, drawn, selection)

    def _output(
        self, data: Partitioned, counts: np.ndarray, drawn: np.ndarray, selection: Selection
    ) -> tuple[Any, Any]:
        raise NotImplementedError


class RandomUnderSampler(_PartitionedRandomSampler):
    """Under-sample a Dask collection to exact class counts, lazily and reproducibly.

    The Dask counterpart of :class:`imbalance.samplers.RandomUnderSampler`: the same
    ``sampling_strategy`` meanings, resolved by the same function on exact class counts, so
    ``target_counts_`` is identical for the same labels. ``fit_resample`` makes two small passes
    over the labels (and the ``row_id`` column), computing only per-partition summaries (label
    counts, then the few keys near each class's threshold), and returns lazy collections:
    nothing of X is read until they are computed, and no partition leaves its worker.

    Each row's key is its id (``row_id``, or its position in the collection) hashed with the
    seed; a class keeps its rows of smallest key, and the threshold is exact, so the result has
    exactly ``target_counts_`` rows per class. Kept rows come out in input order, partition by
    partition (the output has X's partitions).

    **Reproducibility.** For an int ``random_state``, the rows kept depend only on the seed,
    the labels and the row ids: not on the partitioning, the number of workers, threads or
    processes, nor the order in which partitions are computed. With ``row_id=None`` the id is
    the row's position, so repartitioning (which keeps the order) gives the same rows; with a
    ``row_id`` column, reordering the rows or reading them with another engine does too. The
    rows differ from the in-memory sampler's for the same seed (another random generator);
    their number per class does not.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts. A float (two classes only) is the wanted ratio of minority to
        majority rows; ``"majority"``, ``"not minority"``, ``"not majority"``, ``"all"`` or
        ``"auto"`` (= ``"not minority"``) name the classes shrunk to the minority's size; a dict
        gives the final count of each class it names; a callable receives the (lazy) Dask
        labels and returns such a dict. Same meanings as imbalanced-learn.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the row keys. An int is used as it is (see ``seed_``); anything else draws one.
    replacement : bool, default=False
        Draw with replacement: each class's ``target_counts_`` draws are uniform over its rows
        (the bootstrap), and a row drawn several times comes out that many times in a row.
    row_id : str or None, default=None
        Column of X holding a distinct id per row (integers, strings, any hashable type).
        ``None`` uses each row's position in the collection.

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after resampling.
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    partition_counts_ : ndarray of shape (n_partitions, n_classes)
        Rows of each class in each output partition (known before computing the output).
    sample_indices_ : dask Array of shape (n_samples_new,)
        Positions in X of the output rows, in output order (lazy, with known chunks).
    seed_ : int
        The seed the row keys were hashed with; pass it as ``random_state`` to draw again.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    imbalance.samplers.RandomUnderSampler : the same sampler for data in memory.
    RandomOverSampler : the over-sampling counterpart.
    sample_weights : weights instead of dropped rows.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> from imbalance.dask import RandomUnderSampler
    >>> df = pd.DataFrame({"x": range(12), "label": [0] * 9 + [1] * 3})
    >>> ddf = dd.from_pandas(df, npartitions=3)
    >>> rus = RandomUnderSampler(random_state=0)
    >>> X_res, y_res = rus.fit_resample(ddf, "label")
    >>> rus.target_counts_
    {0: 3, 1: 3}
    >>> y_res.value_counts().compute().sort_index().to_dict()
    {0: 3, 1: 3}
    >>> again = RandomUnderSampler(random_state=0)
    >>> X_two, _ = again.fit_resample(ddf.repartition(npartitions=2), "label")
    >>> X_res.compute().equals(X_two.compute())
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **_PartitionedRandomSampler._parameter_constraints,
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

    def _output(
        self, data: Partitioned, counts: np.ndarray, drawn: np.ndarray, selection: Selection
    ) -> tuple[Any, Any]:
        sizes = drawn.sum(axis=1)
        self.partition_counts_ = drawn
        self.sample_indices_ = sample_positions(data, counts, sizes, selection)
        return select(data, counts, sizes, selection)


class RandomOverSampler(_PartitionedRandomSampler):
    """Over-sample a Dask collection to exact class counts, lazily and reproducibly.

    The Dask counterpart of :class:`imbalance.samplers.RandomOverSampler`: the same
    ``sampling_strategy`` meanings, resolved by the same function on exact class counts.
    The extra rows of each class are drawn uniformly with replacement (the bootstrap) among its
    rows, exactly as many as ``target_counts_`` asks: each row's key (its id hashed with the
    seed) drives a Poisson process, and the first arrivals of the class, up to an exact
    threshold, are the draws. ``fit_resample`` makes two small passes over the labels and
    returns lazy collections.

    Output order: X's partitions unchanged, then as many partitions again holding the repeats
    (the repeats of partition ``p`` in partition ``n_partitions + p``, in input order, a row
    drawn several times side by side). For a DataFrame the repeats keep their index labels.
    Shuffle before training by partitions (see :func:`iter_partitions`).

    **Reproducibility.** As for :class:`RandomUnderSampler`: for an int ``random_state`` the
    repeats depend only on the seed, the labels and the row ids, whatever the partitioning,
    workers or scheduler.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts. A float (two classes only) is the wanted ratio of minority to
        majority rows; ``"minority"``, ``"not minority"``, ``"not majority"``, ``"all"`` or
        ``"auto"`` (= ``"not majority"``) name the classes grown to the majority's size; a dict
        gives the final count of each class it names; a callable receives the (lazy) Dask
        labels and returns such a dict. Same meanings as imbalanced-learn.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the row keys. An int is used as it is (see ``seed_``); anything else draws one.
    row_id : str or None, default=None
        Column of X holding a distinct id per row. ``None`` uses each row's position.

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after resampling.
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    partition_counts_ : ndarray of shape (2 * n_partitions, n_classes)
        Rows of each class in each output partition: the originals, then the repeats.
    sample_indices_ : dask Array of shape (n_samples_new,)
        Positions in X of the output rows, in output order (lazy, with known chunks).
    seed_ : int
        The seed the row keys were hashed with.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    imbalance.samplers.RandomOverSampler : the same sampler for data in memory.
    RandomUnderSampler : the under-sampling counterpart.
    SMOTE : synthetic rows instead of repeats.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbalance.dask import RandomOverSampler
    >>> X = da.from_array(np.arange(24.0).reshape(12, 2), chunks=(4, 2))
    >>> y = da.from_array(np.array([0] * 9 + [1] * 3), chunks=4)
    >>> ros = RandomOverSampler(random_state=0)
    >>> X_res, y_res = ros.fit_resample(X, y)
    >>> X_res.shape
    (18, 2)
    >>> np.bincount(y_res.compute()).tolist()
    [9, 9]
    >>> bool((X_res.compute() == X.compute()[ros.sample_indices_.compute()]).all())
    True
    """

    _sampler_tags = SamplerTags(kind="over")
    _sampling_kind = "over"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        row_id: str | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.row_id = row_id

    def _output(
        self, data: Partitioned, counts: np.ndarray, drawn: np.ndarray, selection: Selection
    ) -> tuple[Any, Any]:
        X_new, y_new = drawn_rows(data, counts, drawn.sum(axis=1), selection)
        self.partition_counts_ = np.vstack([counts, drawn])
        originals = da.arange(int(counts.sum()), chunks=(tuple(counts.sum(axis=1).tolist()),))
        repeats = sample_positions(data, counts, drawn.sum(axis=1), selection)
        self.sample_indices_ = da.concatenate([originals.astype(np.intp), repeats])
        return append(data, X_new, y_new)
