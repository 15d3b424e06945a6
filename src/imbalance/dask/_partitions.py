"""Feed a (resampled) Dask collection to a training loop, one partition at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dask
import dask.array as da
import numpy as np

from .._typing import ArrayLike, RandomState, Target
from .._validation import check_generator
from ..exceptions import InvalidDataError

__all__ = ["iter_partitions"]


def _parts(collection: Any) -> list[Any]:
    if isinstance(collection, da.Array):
        if collection.ndim == 2 and collection.numblocks[1] > 1:
            collection = collection.rechunk({1: -1})
        return [collection.blocks[i] for i in range(collection.numblocks[0])]
    return [collection.partitions[i] for i in range(collection.npartitions)]


def _take(part: Any, order: np.ndarray) -> Any:
    return part.iloc[order] if hasattr(part, "iloc") else part[order]


def iter_partitions(
    X: ArrayLike,
    y: Target | None = None,
    *,
    shuffle: bool = False,
    random_state: RandomState | None = None,
) -> Iterator[Any]:
    """Compute a Dask collection one partition at a time, for incremental training.

    Only one partition of X (and of y) is in memory at a time, as a pandas object or a numpy
    array. With ``shuffle``, partitions come in a random order and the rows of each are
    permuted (the same permutation for X and y): over-sampled repeats, which
    :class:`RandomOverSampler` appends at the end, are then spread over training.

    Parameters
    ----------
    X : dask DataFrame, Series or Array
        Rows to iterate over.
    y : dask Series or Array, default=None
        Labels partitioned like X; when given, pairs ``(X_part, y_part)`` are yielded.
    shuffle : bool, default=False
        Random partition order and rows permuted within each partition.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the shuffle.

    Yields
    ------
    X_part : pandas object or ndarray
        Or ``(X_part, y_part)`` when y is given.

    See Also
    --------
    RandomUnderSampler, RandomOverSampler, SMOTE : make the collection to iterate over.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from imbalance.dask import iter_partitions
    >>> X = da.from_array(np.arange(10.0).reshape(5, 2), chunks=(2, 2))
    >>> y = da.from_array(np.array([0, 1, 0, 1, 1]), chunks=2)
    >>> [len(yp) for _, yp in iter_partitions(X, y)]
    [2, 2, 1]
    """
    x_parts = _parts(X)
    y_parts = _parts(y) if y is not None else None
    if y_parts is not None and len(y_parts) != len(x_parts):
        raise InvalidDataError(
            f"X has {len(x_parts)} partitions and y has {len(y_parts)}; they must be "
            "partitioned alike."
        )
    rng = check_generator(random_state) if shuffle else None
    order = rng.permutation(len(x_parts)) if rng is not None else np.arange(len(x_parts))
    for i in order.tolist():
        if y_parts is None:
            (x_part,) = dask.compute(x_parts[i])
            yield x_part if rng is None else _take(x_part, rng.permutation(len(x_part)))
            continue
        x_part, y_part = dask.compute(x_parts[i], y_parts[i])
        if rng is not None:
            rows = rng.permutation(len(x_part))
            x_part, y_part = _take(x_part, rows), _take(y_part, rows)
        yield x_part, y_part
