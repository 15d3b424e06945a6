"""Class-aware samplers for ``torch.utils.data``: per-sample draws that re-balance the classes.

``ClassBalancedSampler`` replaces ``WeightedRandomSampler(1 / class_count[y], N)``: it draws a
class, then a sample of that class (two stages, O(1) per draw), so it has no limit on the
number of samples (``torch.multinomial`` stops at 2**24 categories) and needs no per-sample
weights. ``ProgressiveBalancedSampler`` moves from the data's class distribution to a balanced
one over epochs. Batch samplers live in ``_sampler_batch.py``, datasets in ``_data.py``.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch

from .._batching import (
    DRAW_BLOCK,
    IidDraws,
    QuotaDraws,
    apportion,
    check_num_samples,
    class_distribution,
    group_labels,
)
from .._typing import ArrayLike
from ..exceptions import InvalidParameterError
from ._data import OversampledDataset, as_label_array, dataset_labels
from ._distributed import EpochSampler
from ._sampler_batch import BalancedBatchSampler, StratifiedBatchSampler

__all__ = [
    "BalancedBatchSampler",
    "ClassBalancedSampler",
    "OversampledDataset",
    "ProgressiveBalancedSampler",
    "StratifiedBatchSampler",
    "dataset_labels",
]


class ClassBalancedSampler(EpochSampler[int]):
    """Draw sample indices so that classes appear in chosen proportions, at any dataset size.

    Each draw picks a class from the class distribution (alias table, O(1)), then a sample of
    that class uniformly. With ``replacement=False`` each class gets an exact quota per epoch,
    filled from successive random permutations of the class, so no sample repeats before all
    samples of its class have been drawn; the epoch's order is random.

    Parameters
    ----------
    labels : array-like of shape (n_samples,) or (n_samples, n_labels), or Dataset
        Class of every sample: a tensor, numpy array, list or Series; a dataset whose labels
        :func:`dataset_labels` finds (for another attribute, or labels computed by a callable,
        pass ``dataset_labels(dataset, get)``); or a 0/1 multi-label indicator. A multi-label
        row counts as a sample of its *rarest* label (fewest positive rows; ties go to the
        lower column), rows without a label form a group of their own, and the groups are
        balanced like classes: a rare label's rows are drawn as often as a frequent label's.
    strategy : str, float, dict or callable, default="balanced"
        Class proportions. ``"balanced"``: every class equally often; ``"sqrt"``: class ``k``
        in proportion to ``sqrt(n_k)``; ``"natural"``: the data's proportions. Any other value
        is a ``sampling_strategy`` as imbalanced-learn reads it (``"auto"``, ``"minority"``,
        ``"not majority"``, ... , a float for two classes, a dict ``{class: count}``, a
        callable), with the meaning of an over-sampler when ``replacement`` and of an
        under-sampler otherwise; classes are then drawn in proportion to the counts it gives.
    power : float, default=None
        Smoothing power ``p``: each sample of a class with ``n`` samples weighs ``n ** -p``, so
        classes are drawn in proportion to ``n ** (1 - p)`` (``p=1`` is ``"balanced"``,
        ``p=0.5`` ``"sqrt"``, ``p=0`` ``"natural"``). Replaces ``strategy``.
    num_samples : int, default=None
        Draws per epoch (over all replicas): ``len(labels)`` for a smoothing power, the total
        of the counts a ``sampling_strategy`` asks for otherwise.
    replacement : bool, default=True
        Independent draws (True) or exact per-class quotas without early repeats (False).
    generator : torch.Generator, default=None
        Source of a fresh seed at every ``iter()`` (one process only). ``None`` draws it from
        torch's default generator, so ``torch.manual_seed`` makes runs repeatable.
    seed : int, default=None
        Fixed seed: epoch ``e`` draws from ``(seed, e)`` (see :meth:`set_epoch`). Defaults to 0
        when ``num_replicas > 1``, where every rank must pass the same seed.
    num_replicas, rank : int, default=None
        Share of a distributed epoch to draw, as ``DistributedSampler`` takes them; both
        ``None`` means one process. Rank ``r`` draws items ``[r * L, (r + 1) * L)`` of the epoch,
        ``L = len(self)``, computed without the other ranks' draws.
    drop_last : bool, default=False
        With several replicas: drop the epoch's tail that does not divide evenly instead of
        padding it with draws from the start of the epoch.

    Attributes
    ----------
    classes : list
        Class labels, sorted (column indices, and -1 for unlabelled rows, for multi-label).
    class_counts : dict of {class_label: int}
        Samples of each class in ``labels``.
    class_probabilities : dict of {class_label: float}
        Probability that a draw of the current epoch is of each class.
    num_samples : int
        Draws per epoch over all replicas.
    epoch : int
        Set by :meth:`set_epoch`.

    See Also
    --------
    ProgressiveBalancedSampler : moves from natural to balanced proportions over epochs.
    StratifiedBatchSampler : every sample once per epoch, classes in proportion in each batch.
    imbalance.batches.balanced_batches : the same draws as numpy batches, without torch.

    References
    ----------
    .. [1] D. Mahajan et al., "Exploring the Limits of Weakly Supervised Pretraining",
       ECCV 2018 (square-root sampling).
    .. [2] B. Kang et al., "Decoupling Representation and Classifier for Long-Tailed
       Recognition", ICLR 2020 (class-balanced and square-root sampling compared).

    Examples
    --------
    >>> import torch
    >>> from imbalance.torch import ClassBalancedSampler
    >>> labels = torch.tensor([0] * 90 + [1] * 10)
    >>> sampler = ClassBalancedSampler(labels, seed=0)
    >>> len(sampler), sampler.class_probabilities
    (100, {0: 0.5, 1: 0.5})
    >>> drawn = labels[list(sampler)]
    >>> 35 < int(drawn.sum()) < 65
    True
    >>> sqrt = ClassBalancedSampler(labels, power=0.5).class_probabilities
    >>> {label: round(p, 6) for label, p in sqrt.items()}
    {0: 0.75, 1: 0.25}
    """

    def __init__(
        self,
        labels: ArrayLike,
        *,
        strategy: Any = "balanced",
        power: float | None = None,
        num_samples: int | None = None,
        replacement: bool = True,
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
        if not isinstance(replacement, bool):
            raise InvalidParameterError(
                f"The 'replacement' parameter of {owner} must be a bool. "
                f"Got {replacement!r} instead."
            )
        self.strategy = strategy
        self.power = power
        self.replacement = replacement
        self._groups = group_labels(as_label_array(labels), owner=owner, multilabel=True)
        self._target, default = class_distribution(
            self._groups, strategy, power, replacement=replacement, owner=owner
        )
        self.num_samples = check_num_samples(num_samples, default, owner)

    @property
    def classes(self) -> list[Any]:
        return list(self._groups.classes)

    @property
    def class_counts(self) -> dict[Any, int]:
        return self._groups.class_counts

    @property
    def class_probabilities(self) -> dict[Any, float]:
        probs = self._probabilities(self.epoch).tolist()
        return dict(zip(self._groups.classes, probs, strict=True))

    def _probabilities(self, epoch: int) -> np.ndarray:
        return self._target

    def __iter__(self) -> Iterator[int]:
        entropy = self._entropy()
        probs = self._probabilities(self.epoch)
        plan: IidDraws | QuotaDraws = (
            IidDraws(self._groups, probs, entropy)
            if self.replacement
            else QuotaDraws(self._groups, apportion(self.num_samples, probs), entropy)
        )
        chunks = self._share(self.num_samples, DRAW_BLOCK)
        return itertools.chain.from_iterable(plan.take(units).tolist() for units in chunks)

    def __len__(self) -> int:
        return self._share_length(self.num_samples)


_SCHEDULES: dict[str, Callable[[float], float]] = {
    "linear": lambda t: t,
    "cosine": lambda t: (1.0 - math.cos(math.pi * t)) / 2.0,
    "step": lambda t: float(t >= 1.0),
}


class ProgressiveBalancedSampler(ClassBalancedSampler):
    """A :class:`ClassBalancedSampler` whose class distribution moves over the epochs.

    At epoch ``e`` (set with :meth:`set_epoch`, which Lightning calls for you) classes are drawn
    with probabilities ``(1 - a) * natural + a * target``, where ``natural`` are the data's
    proportions, ``target`` those of ``strategy`` / ``power``, and ``a = schedule(e)`` rises from
    0 at epoch 0 to 1 at epoch ``epochs``: the model first sees the data as it is, then more
    and more of the rare classes (progressively-balanced sampling [1]_; ``schedule="step"`` is
    deferred re-sampling [2]_).

    Parameters
    ----------
    labels : array-like of shape (n_samples,) or (n_samples, n_labels), or Dataset
        As in :class:`ClassBalancedSampler`.
    epochs : int
        Epoch at which the target distribution is reached (and kept after).
    schedule : {"linear", "cosine", "step"} or callable, default="linear"
        ``a`` as a function of ``t = min(epoch / epochs, 1)``: ``t``, ``(1 - cos(pi t)) / 2``
        or ``0`` before ``epochs`` and ``1`` from it; a callable receives the epoch itself and
        returns ``a`` in ``[0, 1]``.
    strategy, power, num_samples, replacement, generator, seed, num_replicas, rank, drop_last
        As in :class:`ClassBalancedSampler` (``strategy`` and ``power`` set the target).

    Attributes
    ----------
    classes, class_counts, num_samples, epoch
        As in :class:`ClassBalancedSampler`.
    class_probabilities : dict of {class_label: float}
        Class probabilities at the current epoch.

    See Also
    --------
    ClassBalancedSampler : fixed proportions.

    References
    ----------
    .. [1] B. Kang et al., "Decoupling Representation and Classifier for Long-Tailed
       Recognition", ICLR 2020.
    .. [2] K. Cao et al., "Learning Imbalanced Datasets with Label-Distribution-Aware Margin
       Loss", NeurIPS 2019.

    Examples
    --------
    >>> from imbalance.torch import ProgressiveBalancedSampler
    >>> sampler = ProgressiveBalancedSampler([0] * 80 + [1] * 20, epochs=4, seed=0)
    >>> for epoch in (0, 2, 4):
    ...     sampler.set_epoch(epoch)
    ...     print(epoch, sampler.progress(), sampler.class_probabilities)
    0 0.0 {0: 0.8, 1: 0.2}
    2 0.5 {0: 0.65, 1: 0.35}
    4 1.0 {0: 0.5, 1: 0.5}
    """

    def __init__(
        self,
        labels: ArrayLike,
        *,
        epochs: int,
        schedule: str | Callable[[int], float] = "linear",
        strategy: Any = "balanced",
        power: float | None = None,
        num_samples: int | None = None,
        replacement: bool = True,
        generator: torch.Generator | None = None,
        seed: int | None = None,
        num_replicas: int | None = None,
        rank: int | None = None,
        drop_last: bool = False,
    ) -> None:
        super().__init__(
            labels, strategy=strategy, power=power, num_samples=num_samples,
            replacement=replacement, generator=generator, seed=seed,
            num_replicas=num_replicas, rank=rank, drop_last=drop_last,
        )  # fmt: skip
        owner = type(self).__name__
        if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 1:
            raise InvalidParameterError(
                f"The 'epochs' parameter of {owner} must be an int in the range [1, inf). "
                f"Got {epochs!r} instead."
            )
        if not (callable(schedule) or (isinstance(schedule, str) and schedule in _SCHEDULES)):
            raise InvalidParameterError(
                f"The 'schedule' parameter of {owner} must be one of "
                f"{', '.join(map(repr, _SCHEDULES))} or a callable epoch -> float in [0, 1]. "
                f"Got {schedule!r} instead."
            )
        self.epochs: int = int(epochs)
        self.schedule: str | Callable[[int], float] = schedule
        self._natural: np.ndarray = self._groups.counts / self._groups.n_samples

    def progress(self, epoch: int | None = None) -> float:
        """Fraction ``a`` of the way from the natural to the target distribution.

        Parameters
        ----------
        epoch : int, default=None
            Epoch to evaluate; ``None`` is the current one.

        Returns
        -------
        a : float in [0, 1]
        """
        epoch = self.epoch if epoch is None else epoch
        if isinstance(self.schedule, str):
            return _SCHEDULES[self.schedule](min(epoch / self.epochs, 1.0))
        value = self.schedule(epoch)
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Real)
            or not 0 <= float(value) <= 1
        ):
            raise InvalidParameterError(
                f"The schedule of {type(self).__name__} returned {value!r} for epoch {epoch}; "
                "it must return a float in [0, 1]."
            )
        return float(value)

    def _probabilities(self, epoch: int) -> np.ndarray:
        a = self.progress(epoch)
        return np.asarray((1.0 - a) * self._natural + a * self._target)
