"""Labels out of datasets, and a dataset that over-samples with augmented copies."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch.utils.data import ConcatDataset, Dataset, Subset, TensorDataset

from .._batching import cyclic_members, entropy_key, group_labels
from .._containers import target_to_numpy
from .._strategy import resolve_sampling_strategy
from .._typing import ArrayLike, SamplingStrategy
from ..exceptions import InvalidDataError, InvalidParameterError

__all__ = ["OversampledDataset", "as_label_array", "dataset_labels"]

_LABEL_ATTRIBUTES = ("targets", "labels", "y")


def as_label_array(labels: ArrayLike) -> np.ndarray:
    """Labels as numpy, from a tensor, array, list, Series or dataset (see dataset_labels)."""
    if isinstance(labels, torch.Tensor):
        return labels.detach().cpu().numpy()
    if isinstance(labels, Dataset):
        return dataset_labels(labels)
    if callable(labels):
        raise InvalidParameterError(
            f"labels={labels!r} is a callable; pass the labels themselves, or "
            "dataset_labels(dataset, get=<callable>) to call it on a dataset."
        )
    return target_to_numpy(labels)


def dataset_labels(dataset: Any, get: str | Callable[[Any], Any] | None = None) -> np.ndarray:
    """The class label of every sample of ``dataset``, without loading the samples.

    Parameters
    ----------
    dataset : Dataset
        Map-style dataset.
    get : str or callable, default=None
        Where the labels are: an attribute name, or a callable ``get(dataset) -> labels``.
        ``None`` looks for ``targets`` (torchvision's datasets, ``ImageFolder``,
        ``DatasetFolder``), ``labels`` or ``y``; a ``Subset`` takes its parent's labels at its
        indices, a ``ConcatDataset`` concatenates its parts', and a ``TensorDataset`` uses its
        last tensor.

    Returns
    -------
    labels : ndarray of shape (len(dataset),) or (len(dataset), n_labels)

    Examples
    --------
    >>> import torch
    >>> from torch.utils.data import Subset, TensorDataset
    >>> from imbalance.torch import dataset_labels
    >>> ds = TensorDataset(torch.zeros(4, 2), torch.tensor([0, 1, 1, 0]))
    >>> dataset_labels(Subset(ds, [1, 3])).tolist()
    [1, 0]
    """
    if isinstance(get, str):
        if not hasattr(dataset, get):
            raise InvalidParameterError(
                f"dataset_labels: {type(dataset).__name__} has no attribute {get!r}."
            )
        return as_label_array(getattr(dataset, get))
    if get is not None:
        return as_label_array(get(dataset))
    return _find_labels(dataset)


def _find_labels(dataset: Any) -> np.ndarray:
    if isinstance(dataset, Subset):
        return _find_labels(dataset.dataset)[np.asarray(dataset.indices, dtype=np.intp)]
    if isinstance(dataset, ConcatDataset):
        return np.concatenate([_find_labels(part) for part in dataset.datasets])
    for name in _LABEL_ATTRIBUTES:
        if hasattr(dataset, name):
            return as_label_array(getattr(dataset, name))
    if isinstance(dataset, TensorDataset) and len(dataset.tensors) >= 2:
        return as_label_array(dataset.tensors[-1])
    raise InvalidParameterError(
        f"dataset_labels cannot find the labels of a {type(dataset).__name__}: it has none of "
        f"the attributes {', '.join(_LABEL_ATTRIBUTES)}. Pass get='<attribute>' or "
        "get=lambda ds: <labels>, or pass the labels to the sampler directly."
    )


class OversampledDataset(Dataset[Any]):
    """A dataset grown to ``sampling_strategy``'s counts with copies that can be augmented.

    Items ``0 .. len(dataset) - 1`` are the original samples, unchanged; the items after them
    are copies of minority samples, passed through ``transform`` so that repeats are not
    identical (random augmentation). Each class's copies cycle through random permutations of
    the class, so every sample is copied ``floor`` or ``ceil`` of (copies / class size) times.
    The copies are fixed by ``seed``; the augmentation differs at every access. Shuffle with any
    sampler, ``DistributedSampler`` included.

    Parameters
    ----------
    dataset : Dataset
        Map-style dataset to over-sample.
    labels : array-like of shape (len(dataset),), default=None
        Class of each sample; ``None`` reads them with :func:`dataset_labels`.
    sampling_strategy : float, str, dict or callable, default="auto"
        Final count of each class, with the meaning an over-sampler gives it (as in
        ``RandomOverSampler``): ``"auto"`` grows every class to the majority's size.
    transform : callable, default=None
        ``transform(item) -> item`` applied to copies only (the whole item, e.g. an
        ``(image, label)`` pair); ``None`` gives exact copies.
    seed : int, default=0
        Chooses which samples are copied one more time than others.

    Attributes
    ----------
    target_counts : dict of {class_label: int}
        Number of items of each class.
    copy_sources : ndarray of shape (len(self) - len(dataset),)
        Index in ``dataset`` of every copy, in item order.

    See Also
    --------
    ClassBalancedSampler : draws with replacement instead of growing the dataset.

    Examples
    --------
    >>> import torch
    >>> from torch.utils.data import TensorDataset
    >>> from imbalance.torch import OversampledDataset
    >>> base = TensorDataset(torch.arange(5.0), torch.tensor([0, 0, 0, 1, 1]))
    >>> noisy = OversampledDataset(base, transform=lambda item: (item[0] + 0.5, item[1]))
    >>> len(noisy), noisy.target_counts
    (6, {0: 3, 1: 3})
    >>> x, label = noisy[5]
    >>> float(x) in (3.5, 4.5), int(label)
    (True, 1)
    """

    def __init__(
        self,
        dataset: Any,
        labels: ArrayLike = None,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        transform: Callable[[Any], Any] | None = None,
        seed: int = 0,
    ) -> None:
        owner = type(self).__name__
        if transform is not None and not callable(transform):
            raise InvalidParameterError(
                f"The 'transform' parameter of {owner} must be a callable or None. "
                f"Got {transform!r} instead."
            )
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
            raise InvalidParameterError(
                f"The 'seed' parameter of {owner} must be an int in the range [0, inf). "
                f"Got {seed!r} instead."
            )
        y = dataset_labels(dataset) if labels is None else as_label_array(labels)
        if y.shape[0] != len(dataset):
            raise InvalidDataError(
                f"{owner} got {y.shape[0]} labels for a dataset of {len(dataset)} samples; pass "
                "one label per sample (per-class weights or counts are not labels)."
            )
        groups = group_labels(y, owner=owner)
        goal = resolve_sampling_strategy(
            sampling_strategy, groups.class_counts, kind="over", labels=groups.labels
        )
        extra = np.array([goal[c] for c in groups.classes], dtype=np.int64) - groups.counts
        cls = np.repeat(np.arange(groups.n_classes), extra)
        pos = np.arange(cls.size) - np.repeat(np.cumsum(extra) - extra, extra)
        self.dataset: Any = dataset
        self.transform: Callable[[Any], Any] | None = transform
        self.sampling_strategy = sampling_strategy
        self.seed = int(seed)
        self.target_counts: dict[Any, int] = {c: int(goal[c]) for c in groups.classes}
        self.copy_sources: np.ndarray = cyclic_members(
            groups, cls, pos, entropy_key((self.seed,), 0)
        )

    def __len__(self) -> int:
        return len(self.dataset) + int(self.copy_sources.shape[0])

    def __getitem__(self, index: int) -> Any:
        n, total = len(self.dataset), len(self)
        if not -total <= index < total:
            raise IndexError(f"index {index} is out of range for {total} items")
        index = index + total if index < 0 else index
        if index < n:
            return self.dataset[index]
        item = self.dataset[int(self.copy_sources[index - n])]
        return item if self.transform is None else self.transform(item)
