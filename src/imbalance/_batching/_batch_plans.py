"""Per-batch plans: what batch ``j`` of an epoch holds, computed for any set of batches.

:class:`StratifiedBatches` keeps the data's class proportions in every batch (with an optional
minimum per class) and yields each row of a non-boosted class once per epoch;
:class:`PKBatches` holds ``P`` distinct classes times ``K`` rows each. Both read rows from the
classes' keyed permutations, so the memory of an epoch is O(batch) and any share of an epoch
is computed without the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..exceptions import InvalidParameterError
from ._labels import LabelGroups
from ._permutation import (
    STREAM_CLASSES,
    STREAM_MEMBERS,
    STREAM_ROWS,
    STREAM_SHUFFLE,
    cyclic_members,
    derive_key,
    entropy_key,
    hashed_order,
    keyed_permutation,
)


@dataclass(frozen=True)
class StratifiedLayout:
    """How many rows of each class every batch of an epoch holds (see StratifiedBatches)."""

    boosted: np.ndarray
    base: np.ndarray
    extra: np.ndarray
    extra_start: np.ndarray
    full_total: np.ndarray
    n_full: int
    n_batches: int
    min_per_class: int


def stratified_layout(
    counts: np.ndarray, batch_size: int, min_per_class: int, drop_last: bool
) -> StratifiedLayout:
    """Per-class counts of the full batches and of the last one, largest remainder throughout.

    Classes whose share of a batch would fall below ``min_per_class`` are *boosted*: they get
    exactly ``min_per_class`` rows per batch (repeating rows once the class is exhausted); the
    other classes share the rest of each batch in proportion, and every one of their rows
    appears once per epoch.
    """
    boosted = _boosted_classes(counts, batch_size, min_per_class)
    width = batch_size - min_per_class * int(boosted.sum())
    regular = np.where(boosted, 0, counts)
    pool = int(regular.sum())
    n_full = pool // width
    full_total = _exact_apportion(n_full * width, regular.tolist(), pool)
    base = full_total // n_full if n_full else np.zeros_like(counts)
    extra = full_total - n_full * base
    extra_start = np.cumsum(extra) - extra
    tail = pool - n_full * width
    n_batches = n_full + int(tail > 0 and not drop_last)
    return StratifiedLayout(
        boosted, base, extra, extra_start, full_total, n_full, n_batches, min_per_class
    )


def _boosted_classes(counts: np.ndarray, batch_size: int, min_per_class: int) -> np.ndarray:
    boosted = np.zeros(counts.shape[0], dtype=bool)
    while min_per_class:
        width = batch_size - min_per_class * int(boosted.sum())
        pool = int(counts[~boosted].sum())
        below = ~boosted & (width * counts < min_per_class * pool)
        if not below.any():
            break
        boosted |= below
    return boosted


def _exact_apportion(total: int, weights: list[int], weight_sum: int) -> np.ndarray:
    """Largest remainder of ``total * w / weight_sum`` in exact integer arithmetic."""
    floors = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    short = total - sum(floors)
    for k in sorted(range(len(weights)), key=lambda k: -remainders[k])[:short]:
        floors[k] += 1
    return np.array(floors, dtype=np.int64)


def check_min_per_class(
    groups: LabelGroups, batch_size: int, min_per_class: int, owner: str
) -> None:
    """Every class must fit ``min_per_class`` times into one batch."""
    if min_per_class * groups.n_classes > batch_size:
        raise InvalidParameterError(
            f"{owner}: batch_size={batch_size} cannot hold min_per_class={min_per_class} rows of "
            f"each of the {groups.n_classes} classes ({min_per_class * groups.n_classes} rows). "
            f"Use batch_size >= {min_per_class * groups.n_classes} or a smaller min_per_class."
        )


class StratifiedBatches:
    """Batches holding every class in proportion; each row of a non-boosted class once."""

    def __init__(
        self,
        groups: LabelGroups,
        batch_size: int,
        min_per_class: int,
        drop_last: bool,
        entropy: Sequence[int],
    ) -> None:
        self.groups = groups
        self.layout = stratified_layout(groups.counts, batch_size, min_per_class, drop_last)
        self.n_units = self.layout.n_batches
        self.batch_size = batch_size
        self.row_key = entropy_key(entropy, STREAM_ROWS)
        self.member_key = entropy_key(entropy, STREAM_MEMBERS)
        self.shuffle_key = entropy_key(entropy, STREAM_SHUFFLE)

    def chunk_units(self) -> int:
        """Batches per call of :meth:`take` that keep its temporaries near 2**16 elements."""
        per_batch = max(self.batch_size, 3 * self.groups.n_classes)
        return max(1, (1 << 16) // per_batch)

    def take(self, batches: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows of ``batches`` (concatenated) and the end of each batch in that array."""
        batches = np.asarray(batches, dtype=np.int64)
        if batches.size == 0:
            return np.empty(0, dtype=self.groups.order.dtype), np.empty(0, dtype=np.int64)
        starts, lengths = self._segments(batches)
        sizes = lengths.sum(axis=1)
        cls, pos = _expand_segments(starts, lengths, self.groups.n_classes)
        rows = cyclic_members(self.groups, cls, pos, self.member_key)
        ends = np.cumsum(sizes)
        self._shuffle_within(rows, ends - sizes, sizes, batches)
        return rows, ends

    def _shuffle_within(
        self, rows: np.ndarray, starts: np.ndarray, sizes: np.ndarray, batches: np.ndarray
    ) -> None:
        """Shuffle each batch in place by sorting hashed keys (the same for a batch anywhere)."""
        order = hashed_order(derive_key(self.shuffle_key, batches), sizes)
        width = order.shape[1]
        at = starts[:, None] + order
        valid = order < sizes[:, None]
        rows[(starts[:, None] + np.arange(width))[valid]] = rows[at[valid]]

    def _segments(self, batches: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Start and length in each class's stream of the base, extra and boosted segments."""
        lay = self.layout
        full = batches < lay.n_full
        row = keyed_permutation(np.where(full, batches, 0), max(lay.n_full, 1), self.row_key)
        offset = (row[:, None] - lay.extra_start[None, :]) % max(lay.n_full, 1)
        has_extra = full[:, None] & (offset < lay.extra[None, :])
        b = batches[:, None]
        base_start = np.where(full[:, None], b * lay.base, lay.full_total)
        base_len = np.where(full[:, None], lay.base, self.groups.counts - lay.full_total)
        base_len = np.where(lay.boosted, 0, base_len)
        extra_start = lay.n_full * lay.base + offset
        boost_start = b * lay.min_per_class + np.zeros_like(lay.base)
        boost_len = np.where(lay.boosted, lay.min_per_class, 0) + np.zeros_like(b)
        starts = np.concatenate([base_start, extra_start, boost_start], axis=1)
        lengths = np.concatenate([base_len, has_extra.astype(np.int64), boost_len], axis=1)
        return starts, lengths


def _expand_segments(
    starts: np.ndarray, lengths: np.ndarray, n_classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Class and stream position of every row of the segments, batch by batch.

    Column ``c`` of ``starts`` and ``lengths`` is a segment of class ``c % n_classes``.
    """
    lengths_flat = lengths.ravel()
    n_items = int(lengths_flat.sum())
    cls = np.repeat(
        np.tile(np.arange(starts.shape[1]) % n_classes, starts.shape[0]),
        lengths_flat,
    )
    ramp = np.arange(n_items) - np.repeat(np.cumsum(lengths_flat) - lengths_flat, lengths_flat)
    pos = np.repeat(starts.ravel(), lengths_flat) + ramp
    return cls, pos


class PKBatches:
    """Batches of ``n_classes`` distinct classes times ``n_per_class`` rows each."""

    def __init__(
        self,
        groups: LabelGroups,
        n_classes: int,
        n_per_class: int,
        n_batches: int,
        entropy: Sequence[int],
    ) -> None:
        self.groups = groups
        self.p, self.k = n_classes, n_per_class
        self.n_units = n_batches
        self.class_key = entropy_key(entropy, STREAM_CLASSES)
        self.member_key = entropy_key(entropy, STREAM_MEMBERS)

    def chunk_units(self) -> int:
        return max(1, (1 << 17) // (self.p * self.k))

    def take(self, batches: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        batches = np.asarray(batches, dtype=np.int64)
        slot = np.tile(np.arange(self.p), batches.shape[0])
        batch_of_slot = np.repeat(batches, self.p)
        cls = keyed_permutation(
            slot, self.groups.n_classes, derive_key(self.class_key, batch_of_slot)
        )
        slot_key = derive_key(self.member_key, batch_of_slot, slot)
        pos = np.tile(np.arange(self.k), cls.shape[0])
        rows = cyclic_members(self.groups, np.repeat(cls, self.k), pos, np.repeat(slot_key, self.k))
        size = self.p * self.k
        return rows, np.arange(1, batches.shape[0] + 1) * size
