"""Epochs of a plan: a replica's share of an epoch, and the epochs ``balanced_batches`` yields.

:func:`shard_chunks` gives the unit ids of one rank's contiguous share of an epoch (as
``DistributedSampler`` splits it), in chunks the plans compute in one call.
:func:`stratified_epochs` and :func:`draw_epochs` turn a plan into a function from an epoch's
entropy to its batches of row positions; :func:`yield_batches` takes those rows from the
caller's containers, epoch after epoch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from .._containers import take_rows
from .._typing import ArrayLike, SamplingStrategy, Target
from ..exceptions import InvalidParameterError
from ._batch_plans import StratifiedBatches, check_min_per_class, stratified_layout
from ._distribution import apportion, check_num_samples, class_distribution
from ._draws import DRAW_BLOCK, IidDraws, QuotaDraws
from ._labels import LabelGroups

EpochBatches = Callable[[Sequence[int]], Iterator[np.ndarray]]
"""The batches (row positions) of the epoch whose entropy is given."""


def shard_length(n_units: int, num_replicas: int, drop_last: bool) -> int:
    """Units per replica: the tail is dropped (``drop_last``) or padded from the start."""
    return n_units // num_replicas if drop_last else -(-n_units // num_replicas)


def shard_chunks(
    n_units: int, num_replicas: int, rank: int, drop_last: bool, chunk: int
) -> Iterator[np.ndarray]:
    """Unit ids of ``rank``'s contiguous share, in chunks aligned to multiples of ``chunk``.

    Rank ``r`` reads units ``[r * L, (r + 1) * L)`` of the epoch padded to ``num_replicas * L``
    units; padding wraps around to the start of the epoch (as ``DistributedSampler`` does).
    """
    length = shard_length(n_units, num_replicas, drop_last)
    start, stop = rank * length, (rank + 1) * length
    first = start
    while first < stop:
        last = min(stop, (first // chunk + 1) * chunk)
        yield np.arange(first, last, dtype=np.int64) % n_units
        first = last


def stratified_epochs(
    groups: LabelGroups, batch_size: int, min_per_class: int, drop_last: bool
) -> tuple[EpochBatches, int]:
    """Epochs of :class:`StratifiedBatches`, and the number of batches per epoch."""
    check_min_per_class(groups, batch_size, min_per_class, "balanced_batches")

    def plan_for(entropy: Sequence[int]) -> Iterator[np.ndarray]:
        plan = StratifiedBatches(groups, batch_size, min_per_class, drop_last, entropy)
        for units in shard_chunks(plan.n_units, 1, 0, False, plan.chunk_units()):
            rows, ends = plan.take(units)
            yield from np.split(rows, ends[:-1])

    layout = stratified_layout(groups.counts, batch_size, min_per_class, drop_last)
    return plan_for, layout.n_batches


def draw_epochs(
    groups: LabelGroups,
    strategy: SamplingStrategy,
    power: float | None,
    replacement: bool,
    num_samples: int | None,
    batch_size: int,
    drop_last: bool,
    owner: str,
) -> tuple[EpochBatches, int]:
    """Epochs of :class:`IidDraws` or :class:`QuotaDraws` cut into batches, and their number."""
    if not isinstance(replacement, bool | np.bool_):
        raise InvalidParameterError(
            f"The 'replacement' parameter of {owner} must be a bool. Got {replacement!r} instead."
        )
    probs, default = class_distribution(
        groups, strategy, power, replacement=bool(replacement), owner=owner
    )
    total = check_num_samples(num_samples, default, owner)
    steps = shard_length(total, batch_size, drop_last)

    def plan_for(entropy: Sequence[int]) -> Iterator[np.ndarray]:
        plan: IidDraws | QuotaDraws = (
            IidDraws(groups, probs, entropy)
            if replacement
            else QuotaDraws(groups, apportion(total, probs), entropy)
        )
        chunk = batch_size * max(1, DRAW_BLOCK // batch_size)
        for start in range(0, steps * batch_size, chunk):
            units = np.arange(start, min(start + chunk, steps * batch_size, total))
            rows = plan.take(units)
            yield from np.split(rows, np.arange(batch_size, rows.shape[0], batch_size))

    return plan_for, steps


def yield_batches(
    X: ArrayLike,
    y: Target,
    weights: np.ndarray | None,
    plan_for: EpochBatches,
    seed: int,
    epochs: int | None,
) -> Iterator[tuple[Any, ...]]:
    """``(X_batch, y_batch[, w_batch])`` of epochs ``(seed, 0)``, ``(seed, 1)``, ..."""
    epoch = 0
    while epochs is None or epoch < epochs:
        for rows in plan_for((seed, epoch)):
            idx = rows.astype(np.intp)
            batch = (take_rows(X, idx), take_rows(y, idx))
            yield batch if weights is None else (*batch, weights[idx])
        epoch += 1
