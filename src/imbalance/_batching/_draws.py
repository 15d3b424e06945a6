"""Per-draw plans: what draw ``j`` of an epoch is, computed for any set of draws.

:class:`IidDraws` draws with replacement in two stages, a class from an alias table (O(1) per
draw) and then a row uniformly inside the class, in blocks of :data:`DRAW_BLOCK` draws seeded by
``(seed, epoch, block)`` only. :class:`QuotaDraws` draws without replacement: exact per-class
quotas, read from the classes' keyed permutations in a keyed random order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._distribution import alias_table
from ._labels import LabelGroups
from ._permutation import (
    STREAM_IID,
    STREAM_MEMBERS,
    STREAM_SLOTS,
    cyclic_members,
    entropy_key,
    keyed_permutation,
)

DRAW_BLOCK = 1 << 16
"""Draws generated together (and seeded together) by :class:`IidDraws`."""


class IidDraws:
    """Independent two-stage draws: a class from ``probs``, then a row of the class uniformly."""

    def __init__(self, groups: LabelGroups, probs: np.ndarray, entropy: Sequence[int]) -> None:
        self.groups = groups
        self.keep, self.alias = alias_table(probs)
        self.entropy = list(entropy)
        self._cached: tuple[int, np.ndarray] | None = None

    def take(self, units: np.ndarray) -> np.ndarray:
        first, last = int(units[0]), int(units[-1])
        one_block = first // DRAW_BLOCK == last // DRAW_BLOCK
        if one_block and last - first + 1 == units.shape[0] and bool(np.all(np.diff(units) == 1)):
            block = first // DRAW_BLOCK
            return self._block(block)[first - block * DRAW_BLOCK : last - block * DRAW_BLOCK + 1]
        out = np.empty(units.shape[0], dtype=self.groups.order.dtype)
        blocks = units // DRAW_BLOCK
        for block in np.unique(blocks).tolist():
            here = blocks == block
            out[here] = self._block(block)[units[here] - block * DRAW_BLOCK]
        return out

    def _block(self, block: int) -> np.ndarray:
        """The rows of one block of draws (the last block computed is cached)."""
        if self._cached is not None and self._cached[0] == block:
            return self._cached[1]
        seq = np.random.SeedSequence(self.entropy, spawn_key=(STREAM_IID, block))
        u = np.random.Generator(np.random.PCG64(seq)).random((2, DRAW_BLOCK))
        cls = self._classes(u[0])
        n = self.groups.counts[cls]
        within = np.minimum((u[1] * n).astype(np.int64), n - 1)
        rows = self.groups.order[self.groups.offsets[cls] + within]
        self._cached = (block, rows)
        return rows

    def _classes(self, u: np.ndarray) -> np.ndarray:
        """Classes read from the alias table by uniforms ``u`` in [0, 1)."""
        scaled = u * self.keep.shape[0]
        column = np.minimum(scaled.astype(np.int64), self.keep.shape[0] - 1)
        return np.where(scaled - column < self.keep[column], column, self.alias[column])


class QuotaDraws:
    """Exact per-class quotas, each filled from the class's permutations, in a random order."""

    def __init__(self, groups: LabelGroups, quotas: np.ndarray, entropy: Sequence[int]) -> None:
        self.groups = groups
        self.bounds = np.concatenate([[0], np.cumsum(quotas)]).astype(np.int64)
        self.n_units = int(self.bounds[-1])
        self.slot_key = entropy_key(entropy, STREAM_SLOTS)
        self.member_key = entropy_key(entropy, STREAM_MEMBERS)

    def take(self, units: np.ndarray) -> np.ndarray:
        slot = keyed_permutation(units, self.n_units, self.slot_key)
        cls = np.searchsorted(self.bounds, slot, side="right") - 1
        return cyclic_members(self.groups, cls, slot - self.bounds[cls], self.member_key)
