"""Class and per-row weights of Dask labels, from one counting pass."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dask.array as da
import numpy as np
import pandas as pd

from .._numeric import check_class_weight
from .._partitioned._kernels import label_array, label_codes
from .._strategy import resolve_sampling_strategy
from .._typing import SamplingKind, SamplingStrategy, Target
from .._weighting import Scheme, weights_from_counts
from ..exceptions import InvalidParameterError
from ._collections import count_blocks, label_collection

__all__ = ["class_counts", "class_weights", "sample_weights", "strategy_weights"]


def _blocks(y: Any) -> list[Any]:
    return list(np.ravel(y.to_delayed()))


def class_counts(y: Target) -> dict[Any, int]:
    """Number of rows of each class of Dask labels, in one pass.

    Parameters
    ----------
    y : dask Series or dask Array of shape (n_samples,)
        Class labels; missing labels are an error.

    Returns
    -------
    class_counts : dict of {class_label: int}
        In sorted label order.

    See Also
    --------
    class_weights : weights computed from these counts.

    Examples
    --------
    >>> import dask.array as da
    >>> from imbalance.dask import class_counts
    >>> class_counts(da.from_array([1, 0, 0, 2, 0], chunks=2))
    {0: 3, 1: 1, 2: 1}
    """
    return _counts(y, "class_counts")


def _counts(y: Target, owner: str) -> dict[Any, int]:
    classes, counts = count_blocks(_blocks(label_collection(y, owner)))
    return dict(zip(classes, counts.sum(axis=0).tolist(), strict=True))


def class_weights(
    y: Target, *, scheme: Scheme = "balanced", beta: float = 0.999
) -> dict[Any, float]:
    """Weight of each class of Dask labels, from one counting pass.

    The same weights as :func:`imbalance.weights.class_weights` on the computed labels.

    Parameters
    ----------
    y : dask Series or dask Array of shape (n_samples,)
        Class labels.
    scheme : {"balanced", "inverse", "sqrt_inverse", "effective_number", "median_frequency"}
        How counts become weights (see :mod:`imbalance.weights`).
    beta : float in [0, 1), default=0.999
        Used by ``"effective_number"`` only.

    Returns
    -------
    class_weight : dict of {class_label: float}
        In sorted label order; ready for ``class_weight=`` in scikit-learn.

    See Also
    --------
    sample_weights : one weight per row, lazily.
    imbalance.weights.class_weights : the same for labels in memory.

    Examples
    --------
    >>> import dask.array as da
    >>> from imbalance.dask import class_weights
    >>> class_weights(da.from_array([0] * 9 + [1], chunks=4))
    {0: 0.5555555555555556, 1: 5.0}
    """
    counts = _counts(y, "class_weights")
    values = weights_from_counts(list(counts.values()), scheme=scheme, beta=beta)
    return dict(zip(counts, values.tolist(), strict=True))


def strategy_weights(
    y: Target, sampling_strategy: SamplingStrategy = "auto", *, kind: SamplingKind = "over"
) -> dict[Any, float]:
    """Class weights that stand in for resampling with ``sampling_strategy``, in one pass.

    Each class gets ``target_count / count`` (see :func:`imbalance.weights.strategy_weights`);
    a callable ``sampling_strategy`` receives the lazy Dask labels.

    Parameters
    ----------
    y : dask Series or dask Array of shape (n_samples,)
        Class labels.
    sampling_strategy : float, str, dict or callable, default="auto"
        As for the samplers of the same ``kind``.
    kind : {"over", "under"}, default="over"
        Which sampler the weights stand in for.

    Returns
    -------
    class_weight : dict of {class_label: float}

    See Also
    --------
    RandomOverSampler, RandomUnderSampler : resampling with the same strategy.

    Examples
    --------
    >>> import dask.array as da
    >>> from imbalance.dask import strategy_weights
    >>> strategy_weights(da.from_array([0] * 6 + [1] * 2, chunks=3))
    {0: 1.0, 1: 3.0}
    """
    labels = label_collection(y, "strategy_weights")
    counts = class_counts(labels)
    goal = resolve_sampling_strategy(sampling_strategy, counts, kind=kind, labels=labels)
    return {c: goal[c] / counts[c] for c in counts}


def _weigh(labels: Target, classes: list[Any], values: np.ndarray) -> Any:
    w = values[label_codes(labels, classes)]
    if isinstance(labels, pd.Series):
        return pd.Series(w, index=labels.index, name=labels.name)
    return w


def _weigh_explicit(labels: Target, class_weight: Mapping[Any, float]) -> Any:
    arr = label_array(labels)
    classes = list(class_weight)
    codes = pd.Index(classes, dtype=object).get_indexer(pd.Index(arr, dtype=object))
    if (codes < 0).any():
        missing = sorted({repr(v) for v in arr[codes < 0]})
        raise InvalidParameterError(
            f"class_weight has no weight for class(es) {', '.join(missing)} of y; "
            "give one for every class."
        )
    return _weigh(labels, classes, np.array([class_weight[c] for c in classes], dtype=float))


def sample_weights(
    y: Target,
    *,
    scheme: Scheme = "balanced",
    beta: float = 0.999,
    class_weight: Mapping[Any, float] | None = None,
) -> Any:
    """One weight per row (the weight of the row's class), as a lazy Dask collection.

    Counts the classes in one pass (none when ``class_weight`` is given), then maps each
    partition lazily: a dask Series with y's partitions, divisions and index (so that
    ``ddf.assign(w=sample_weights(ddf["label"]))`` lines up), or a dask Array with y's chunks.

    Parameters
    ----------
    y : dask Series or dask Array of shape (n_samples,)
        Class labels.
    scheme, beta
        As in :func:`class_weights`; ignored when ``class_weight`` is given.
    class_weight : dict of {class_label: float}, default=None
        Explicit weights, finite, ``>= 0`` and not all 0 (checked at once); a label without
        one raises when its partition is computed.

    Returns
    -------
    sample_weight : dask Series or dask Array of shape (n_samples,), float64

    See Also
    --------
    imbalance.weights.sample_weights : the same for labels in memory.

    Examples
    --------
    >>> import dask.array as da
    >>> from imbalance.dask import sample_weights
    >>> sample_weights(da.from_array(["a", "a", "a", "b"], chunks=2), scheme="inverse").compute()
    array([1.33333333, 1.33333333, 1.33333333, 4.        ])
    """
    labels = label_collection(y, "sample_weights")
    if class_weight is not None:
        func: Any = _weigh_explicit
        args: tuple[Any, ...] = (check_class_weight(class_weight),)
    else:
        counts = _counts(labels, "sample_weights")
        values = weights_from_counts(list(counts.values()), scheme=scheme, beta=beta)
        func, args = _weigh, (list(counts), values)
    if isinstance(labels, da.Array):
        return labels.map_blocks(func, *args, dtype=np.float64)
    meta = pd.Series(np.empty(0, dtype=np.float64), name=labels.name)
    return labels.map_partitions(func, *args, meta=meta)
