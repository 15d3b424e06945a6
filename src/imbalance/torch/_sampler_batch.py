"""Batch samplers: stratified batches (classes in proportion) and P x K batches."""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from typing import Any

import torch

from .._batching import (
    PKBatches,
    StratifiedBatches,
    check_min_per_class,
    group_labels,
    stratified_layout,
)
from .._typing import ArrayLike
from ..exceptions import InvalidParameterError
from ._data import as_label_array
from ._distributed import EpochSampler

__all__ = ["BalancedBatchSampler", "StratifiedBatchSampler"]


def _check_int(value: Any, name: str, low: int, owner: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise InvalidParameterError(
            f"The {name!r} parameter of {owner} must be an int in the range [{low}, inf). "
            f"Got {value!r} instead."
        )
    return int(value)


def _yield_lists(
    plan: StratifiedBatches | PKBatches, units_chunks: Iterator[Any]
) -> Iterator[list[int]]:
    for units in units_chunks:
        rows, ends = plan.take(units)
        flat = rows.tolist()
        start = 0
        for end in ends.tolist():
            yield flat[start:end]
            start = end


class StratifiedBatchSampler(EpochSampler[list[int]]):
    """Batches that each hold every class in its proportion; every sample once per epoch.

    Class ``k`` with ``n_k`` of the ``N`` samples gets ``floor`` or ``ceil`` of
    ``batch_size * n_k / N`` rows in every full batch (within 1 of its ideal share, largest
    remainder rounding, the extra rows spread at random over the batches), and the last batch
    holds what is left. Rows are drawn from a fresh random permutation of each class every
    epoch and shuffled within each batch.

    Parameters
    ----------
    labels : array-like of shape (n_samples,), or Dataset
        Class of every sample (tensor, array, list, Series, or a dataset whose labels
        :func:`dataset_labels` finds; otherwise pass ``dataset_labels(dataset, get)``).
    batch_size : int
        Rows per batch (per replica).
    drop_last : bool, default=False
        Drop the last, smaller batch; with several replicas, also drop the batches that do not
        divide evenly among them instead of padding with batches from the start of the epoch.
    min_per_class : int, default=0
        Every batch holds at least this many rows of every class. Classes whose proportional
        share is smaller get exactly ``min_per_class`` rows per batch, repeating their samples
        (each cycle through the class is a new permutation); the other classes share the rest
        of the batch in proportion, each of their samples once per epoch (so an epoch has more
        batches).
    generator, seed, num_replicas, rank
        As in :class:`ClassBalancedSampler`; the unit shared among replicas is the batch.

    Attributes
    ----------
    classes : list
        Class labels, sorted.
    class_counts : dict of {class_label: int}
        Samples of each class.
    epoch : int
        Set by :meth:`set_epoch`.

    See Also
    --------
    BalancedBatchSampler : P classes times K samples per batch.
    sklearn.model_selection.StratifiedKFold : the same per-class allocation, over folds.

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import StratifiedBatchSampler
    >>> labels = torch.tensor([0] * 90 + [1] * 10)
    >>> sampler = StratifiedBatchSampler(labels, batch_size=20, seed=0)
    >>> [int(labels[batch].sum()) for batch in sampler]
    [2, 2, 2, 2, 2]
    >>> boosted = StratifiedBatchSampler(labels, batch_size=20, min_per_class=4, seed=0)
    >>> len(boosted), [int(labels[batch].sum()) for batch in boosted][:3]
    (6, [4, 4, 4])
    """

    def __init__(
        self,
        labels: ArrayLike,
        batch_size: int,
        *,
        drop_last: bool = False,
        min_per_class: int = 0,
        generator: torch.Generator | None = None,
        seed: int | None = None,
        num_replicas: int | None = None,
        rank: int | None = None,
    ) -> None:
        super().__init__(
            generator=generator, seed=seed, num_replicas=num_replicas, rank=rank,
            drop_last=drop_last,
        )  # fmt: skip
        owner = type(self).__name__
        self.batch_size = _check_int(batch_size, "batch_size", 1, owner)
        self.min_per_class = _check_int(min_per_class, "min_per_class", 0, owner)
        self._groups = group_labels(as_label_array(labels), owner=owner)
        check_min_per_class(self._groups, self.batch_size, self.min_per_class, owner)
        layout = stratified_layout(
            self._groups.counts, self.batch_size, self.min_per_class, self.drop_last
        )
        self._n_batches = layout.n_batches

    @property
    def classes(self) -> list[Any]:
        return list(self._groups.classes)

    @property
    def class_counts(self) -> dict[Any, int]:
        return self._groups.class_counts

    def __iter__(self) -> Iterator[list[int]]:
        plan = StratifiedBatches(
            self._groups, self.batch_size, self.min_per_class, self.drop_last, self._entropy()
        )
        return _yield_lists(plan, self._share(plan.n_units, plan.chunk_units()))

    def __len__(self) -> int:
        return self._share_length(self._n_batches)


class BalancedBatchSampler(EpochSampler[list[int]]):
    """P x K batches: ``n_classes`` distinct classes, ``n_per_class`` samples of each.

    The classes of a batch are drawn uniformly without replacement; the samples of a class are
    distinct when the class has at least ``n_per_class`` of them, otherwise all of them and
    then repeats. A batch lists its classes' samples class by class. Batches are independent,
    so the batches of one rank are computed without the others'.

    Parameters
    ----------
    labels : array-like of shape (n_samples,), or Dataset
        Class of every sample.
    n_classes : int
        Classes per batch (P); at most the number of classes.
    n_per_class : int
        Samples per class in a batch (K).
    num_batches : int, default=None
        Batches per epoch over all replicas; ``None`` gives ``len(labels) // (P * K)`` (at
        least 1).
    generator, seed, num_replicas, rank, drop_last
        As in :class:`ClassBalancedSampler`; the unit shared among replicas is the batch.

    Attributes
    ----------
    classes : list
        Class labels, sorted.
    class_counts : dict of {class_label: int}
        Samples of each class.
    num_batches : int
        Batches per epoch over all replicas.
    epoch : int
        Set by :meth:`set_epoch`.

    See Also
    --------
    StratifiedBatchSampler : classes in their natural proportions.

    References
    ----------
    .. [1] A. Hermans, L. Beyer and B. Leibe, "In Defense of the Triplet Loss for Person
       Re-Identification", arXiv:1703.07737, 2017.

    Examples
    --------
    >>> from imbalance.torch import BalancedBatchSampler
    >>> labels = [0] * 50 + [1] * 5 + [2] * 3
    >>> sampler = BalancedBatchSampler(labels, n_classes=2, n_per_class=4, seed=0)
    >>> len(sampler)
    7
    >>> batch = next(iter(sampler))
    >>> sorted({labels[i] for i in batch}).__len__(), len(batch)
    (2, 8)
    """

    def __init__(
        self,
        labels: ArrayLike,
        n_classes: int,
        n_per_class: int,
        *,
        num_batches: int | None = None,
        generator: torch.Generator | None = None,
        seed: int | None = None,
        num_replicas: int | None = None,
        rank: int | None = None,
        drop_last: bool = False,
    ) -> None:
        super().__init__(
            generator=generator, seed=seed, num_replicas=num_replicas, rank=rank,
            drop_last=drop_last,
        )  # fmt: skip
        owner = type(self).__name__
        self.n_classes = _check_int(n_classes, "n_classes", 1, owner)
        self.n_per_class = _check_int(n_per_class, "n_per_class", 1, owner)
        self._groups = group_labels(as_label_array(labels), owner=owner)
        if self.n_classes > self._groups.n_classes:
            raise InvalidParameterError(
                f"{owner}: n_classes={n_classes} is more than the {self._groups.n_classes} "
                f"classes in labels; use n_classes <= {self._groups.n_classes}."
            )
        default = max(1, self._groups.n_samples // (self.n_classes * self.n_per_class))
        self.num_batches = (
            default if num_batches is None else _check_int(num_batches, "num_batches", 1, owner)
        )

    @property
    def classes(self) -> list[Any]:
        return list(self._groups.classes)

    @property
    def class_counts(self) -> dict[Any, int]:
        return self._groups.class_counts

    def __iter__(self) -> Iterator[list[int]]:
        plan = PKBatches(
            self._groups, self.n_classes, self.n_per_class, self.num_batches, self._entropy()
        )
        return _yield_lists(plan, self._share(plan.n_units, plan.chunk_units()))

    def __len__(self) -> int:
        return self._share_length(self.num_batches)
