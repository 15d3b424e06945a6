"""Class-aware mini-batches as numpy arrays, for Keras, JAX or a plain training loop.

:func:`balanced_batches` yields ``(X_batch, y_batch)`` (and ``w_batch`` when ``sample_weight`` is
given) in the caller's container type. It shares its sampling engine with the samplers of
:mod:`imbalance.torch`, which wrap the same plans in ``torch.utils.data.Sampler`` classes; this
module never imports torch.

How the engine works, in brief:

- labels are grouped once into ``order`` (row positions sorted by class, int32 below 2**31 rows)
  and per-class ``offsets``: O(N) bytes, built in chunks, and no limit on the number of rows;
- draws *with* replacement are two-stage: a class from an alias table (O(1) per draw), then a
  row uniformly inside the class; they are generated in blocks of 65,536 whose seeds depend only
  on ``(seed, epoch, block)``;
- draws *without* replacement, and every epoch-structured batch plan, read positions of
  per-class random permutations that are computed on demand from a key: a Feistel network with
  cycle walking for classes above 64 rows, an exact sort of hashed keys below. No permutation of
  N rows is ever materialised, so the memory of an epoch is O(batch), and any share of an epoch
  (a distributed rank's) is computed without the rest.

References
----------
.. [1] M. Luby and C. Rackoff, "How to construct pseudorandom permutations from pseudorandom
   functions", SIAM J. Computing 17(2), 1988 (Feistel networks).
.. [2] J. Black and P. Rogaway, "Ciphers with arbitrary finite domains", CT-RSA 2002 (cycle
   walking).
.. [3] M. D. Vose, "A linear algorithm for generating random numbers with a given
   distribution", IEEE Trans. Software Eng. 17(9), 1991 (alias tables).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ._containers import n_rows, take_rows, target_to_numpy
from ._strategy import STRATEGY_NAMES, resolve_sampling_strategy
from ._validation import check_generator, check_sample_weight, encode_target
from .exceptions import InvalidDataError, InvalidParameterError

__all__ = ["balanced_batches"]

POWER_NAMES: dict[str, float] = {"balanced": 1.0, "sqrt": 0.5, "natural": 0.0}
"""Named smoothing powers: a sample of a class with ``n`` rows weighs ``n ** -power``."""

DRAW_BLOCK = 1 << 16
"""Draws generated together (and seeded together) by :class:`IidDraws`."""

_CHUNK = 1 << 20
_FEW_CLASSES = 16
_SMALL_DOMAIN = 64
_ROUNDS = 8
_U64 = np.uint64
_ONE, _S29, _S30, _S64 = _U64(1), _U64(29), _U64(30), _U64(64)
_MUL = (_U64(0xBF58476D1CE4E5B9), _U64(0x94D049BB133111EB))
_GOLDEN = 0x9E3779B97F4A7C15
_ROUND_KEYS = [_U64((_GOLDEN * (r + 1)) % 2**64) for r in range(_ROUNDS)]
_PART_KEYS = [_U64((0xD6E8FEB86659FD93 * (i + 3)) % 2**64) for i in range(8)]

# Streams of randomness drawn from one epoch's entropy.
STREAM_IID, STREAM_SLOTS, STREAM_MEMBERS, STREAM_ROWS, STREAM_SHUFFLE, STREAM_CLASSES = range(6)


# --------------------------------------------------------------------------------------------
# Labels grouped by class
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelGroups:
    """Rows grouped by class: ``order[offsets[k]:offsets[k + 1]]`` are the rows of class ``k``.

    ``classes`` are the class labels in sorted order (for a multi-label indicator: the column of
    each row's rarest label, and ``-1`` for rows without a label); ``labels`` are the 1-D labels
    a callable ``sampling_strategy`` receives (``None`` for a multi-label indicator).
    """

    classes: list[Any]
    counts: np.ndarray
    offsets: np.ndarray
    order: np.ndarray
    labels: np.ndarray | None

    @property
    def n_samples(self) -> int:
        return int(self.order.shape[0])

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    @property
    def class_counts(self) -> dict[Any, int]:
        return dict(zip(self.classes, self.counts.tolist(), strict=True))


def group_labels(labels: np.ndarray, *, owner: str, multilabel: bool = False) -> LabelGroups:
    """Group the rows of ``labels`` by class, in O(N) time and O(N) bytes.

    ``labels`` is 1-D, a one-hot indicator, or (when ``multilabel``) a 0/1 multi-label indicator
    whose rows are grouped under their rarest label.
    """
    if labels.ndim == 0 or labels.shape[0] == 0:
        raise InvalidDataError(f"{owner} got no labels; pass one class label per sample.")
    _check_not_weights(labels, owner)
    if labels.ndim == 2 and labels.shape[1] > 1 and _is_multilabel(labels):
        if not multilabel:
            raise InvalidDataError(
                f"{owner} needs one class per sample; got a multi-label indicator of shape "
                f"{labels.shape}. Use ClassBalancedSampler, which groups each row under its "
                "rarest label, or pass one label per row."
            )
        return _group_multilabel(labels)
    if labels.ndim == 1 and labels.dtype.kind in "biu":
        grouped = _group_integers(labels)
        if grouped is not None:
            return grouped
    target = encode_target(labels)
    offsets, order = _group_order(lambda a, b: target.codes[a:b], target.counts)
    return LabelGroups(
        target.classes, target.counts.astype(np.int64), offsets, order, target.labels
    )


def _group_integers(labels: np.ndarray) -> LabelGroups | None:
    """Group integer labels spanning at most 65,536 values without an 8-byte code per row."""
    values = labels.view(np.uint8) if labels.dtype.kind == "b" else labels
    low, high = int(values.min()), int(values.max())
    if high - low >= 1 << 16:
        return None
    span = high - low + 1
    counts_all = np.zeros(span, dtype=np.int64)
    for start in range(0, values.shape[0], _CHUNK):
        counts_all += np.bincount(_shift(values[start : start + _CHUNK], low), minlength=span)
    present = np.flatnonzero(counts_all)
    remap = np.full(span, -1, dtype=np.int64)
    remap[present] = np.arange(present.size)
    offsets, order = _group_order(lambda a, b: remap[_shift(values[a:b], low)], counts_all[present])
    classes = present + low
    if labels.dtype.kind == "b":
        classes = classes.astype(bool)
    return LabelGroups(classes.tolist(), counts_all[present], offsets, order, labels)


def _shift(chunk: np.ndarray, low: int) -> np.ndarray:
    return chunk.astype(np.int64) - low


def _check_not_weights(labels: np.ndarray, owner: str) -> None:
    if labels.dtype.kind != "f":
        return
    finite = labels[np.isfinite(labels)]
    fractional = finite[finite != np.floor(finite)]
    if fractional.size:
        raise InvalidDataError(
            f"{owner} got labels with fractional values (e.g. {float(fractional[0])!r}); it "
            "needs the class label of every sample, not weights. If these are per-class or "
            "per-sample weights (as WeightedRandomSampler takes), pass the labels instead: "
            f"{owner} derives the weights from them."
        )


def _is_multilabel(labels: np.ndarray) -> bool:
    if labels.dtype.kind not in "biuf" or not np.isin(labels, (0, 1)).all():
        return False
    return bool((labels.sum(axis=1) != 1).any())


def _index_dtype(n: int) -> type[np.signedinteger[Any]]:
    return np.int32 if n < 2**31 else np.int64


def _group_order(
    codes: Callable[[int, int], np.ndarray], counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Counting sort of the class codes into ``order``, a chunk at a time (stable, O(N)).

    ``codes(start, stop)`` gives the codes of rows ``start:stop``.
    """
    n, n_classes = int(counts.sum()), counts.shape[0]
    offsets = np.zeros(n_classes + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    order = np.empty(n, dtype=_index_dtype(n))
    next_free = offsets[:-1].copy()
    for start in range(0, n, _CHUNK):
        chunk = codes(start, start + _CHUNK)
        if n_classes <= _FEW_CLASSES:
            for k in range(n_classes):
                rows = np.flatnonzero(chunk == k)
                order[next_free[k] : next_free[k] + rows.size] = rows + start
                next_free[k] += rows.size
            continue
        idx = np.argsort(chunk.astype(np.uint16 if n_classes <= 65536 else np.int64), kind="stable")
        chunk_counts = np.bincount(chunk, minlength=n_classes)
        first = np.cumsum(chunk_counts) - chunk_counts
        order[(next_free - first)[chunk[idx]] + np.arange(idx.size)] = idx + start
        next_free += chunk_counts
    return offsets, order


def _group_multilabel(indicator: np.ndarray) -> LabelGroups:
    per_label = indicator.sum(axis=0, dtype=np.int64)
    rarest_first = np.lexsort((np.arange(per_label.size), per_label))
    codes = np.empty(indicator.shape[0], dtype=np.intp)
    for start in range(0, indicator.shape[0], _CHUNK):
        block = indicator[start : start + _CHUNK][:, rarest_first] != 0
        first = np.argmax(block, axis=1)
        codes[start : start + _CHUNK] = np.where(
            block.any(axis=1), rarest_first[first], per_label.size
        )
    counts_all = np.bincount(codes, minlength=per_label.size + 1)
    present = np.flatnonzero(counts_all)
    remap = np.full(counts_all.size, -1, dtype=np.intp)
    remap[present] = np.arange(present.size)
    offsets, order = _group_order(lambda a, b: remap[codes[a:b]], counts_all[present])
    classes = [int(c) if c < per_label.size else -1 for c in present]
    return LabelGroups(classes, counts_all[present].astype(np.int64), offsets, order, None)


# --------------------------------------------------------------------------------------------
# Keyed hashing and permutations computed position by position
# --------------------------------------------------------------------------------------------


def _mix(z: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (xor-shift-multiply); every output bit depends on every input bit."""
    z = z ^ (z >> _S30)
    z *= _MUL[0]
    z ^= z >> _U64(27)
    z *= _MUL[1]
    z ^= z >> _U64(31)
    return z


def derive_key(base: Any, *parts: Any) -> np.ndarray:
    """A 64-bit key per element from a base key and integer parts (arrays broadcast)."""
    key = np.atleast_1d(np.asarray(base, dtype=_U64))
    for i, part in enumerate(parts):
        part_u = np.atleast_1d(np.asarray(part).astype(_U64, copy=False))
        key = _mix(key ^ (part_u * _PART_KEYS[i] + _U64(i + 1)))
    return key


def entropy_key(entropy: Sequence[int], stream: int) -> np.ndarray:
    """The 64-bit base key of one stream of an epoch's randomness."""
    state = np.random.SeedSequence(list(entropy), spawn_key=(stream,)).generate_state(1, _U64)
    return np.asarray(state, dtype=_U64)


def keyed_permutation(pos: np.ndarray, n: Any, key: Any) -> np.ndarray:
    """``perm(pos)`` for the random permutation of ``range(n)`` that ``key`` selects.

    ``pos``, ``n`` and ``key`` broadcast; each element may have its own domain and key.
    Domains of at most 64 are permuted exactly (hashed sort keys); larger ones by an 8-round
    Feistel network on the smallest power of two above ``n``, with cycle walking.
    """
    pos_b, n_b, key_b = np.broadcast_arrays(
        np.asarray(pos, dtype=np.int64), np.asarray(n, dtype=np.int64), np.asarray(key, _U64)
    )
    pos_b, n_b, key_b = (np.ascontiguousarray(a).ravel() for a in (pos_b, n_b, key_b))
    out = np.empty(pos_b.shape, dtype=np.int64)
    small = n_b <= _SMALL_DOMAIN
    if small.all():
        return _permute_small(pos_b, n_b, key_b).reshape(np.shape(pos))
    if not small.any():
        return _permute_feistel(pos_b, n_b, key_b).reshape(np.shape(pos))
    out[small] = _permute_small(pos_b[small], n_b[small], key_b[small])
    big = ~small
    out[big] = _permute_feistel(pos_b[big], n_b[big], key_b[big])
    return out.reshape(np.shape(pos))


def _permute_small(pos: np.ndarray, n: np.ndarray, key: np.ndarray) -> np.ndarray:
    keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    sizes = n[first]
    width = int(sizes.max())
    steps = np.arange(width, dtype=_U64) * _U64(_GOLDEN)
    sort_keys = _mix(keys[:, None] ^ steps[None, :])
    sort_keys[np.arange(width)[None, :] >= sizes[:, None]] = np.iinfo(np.uint64).max
    table = np.argsort(sort_keys, axis=1)
    return table[inverse.ravel(), pos].astype(np.int64)


def _permute_feistel(pos: np.ndarray, n: np.ndarray, key: np.ndarray) -> np.ndarray:
    bits = np.frexp((n - 1).astype(np.float64))[1]
    widths = np.flatnonzero(np.bincount(bits))
    if widths.size == 1:
        return _permute_width(pos, n, key, int(widths[0]))
    out = np.empty(pos.shape, dtype=np.int64)
    for width in widths.tolist():
        here = np.flatnonzero(bits == width)
        out[here] = _permute_width(pos[here], n[here], key[here], width)
    return out


def _permute_width(pos: np.ndarray, n: np.ndarray, key: np.ndarray, width: int) -> np.ndarray:
    """Feistel permutation of ``[0, 2**width)`` walked back into ``[0, n)``."""
    a, b = width // 2, width - width // 2
    if key.size and key.min() == key.max():
        key = key[:1]
    limit = n.astype(_U64)
    x = _feistel(pos.astype(_U64), a, b, key)
    todo = np.flatnonzero(x >= limit)
    while todo.size:
        walked = _feistel(x[todo], a, b, key if key.size == 1 else key[todo])
        x[todo] = walked
        todo = todo[walked >= limit[todo]]
    return x.astype(np.int64)


def _feistel(x: np.ndarray, a: int, b: int, key: np.ndarray) -> np.ndarray:
    """An unbalanced Feistel network on ``a + b`` bits: (L, R) -> (R, L xor F(R)), 8 rounds."""
    for r in range(_ROUNDS):
        half = x & _U64((1 << b) - 1)
        f = half ^ key
        f ^= _ROUND_KEYS[r]
        f *= _MUL[0]
        f ^= f >> _S29
        f *= _MUL[1]
        f >>= _U64(64 - a)
        f ^= x >> _U64(b)
        x = half << _U64(a)
        x |= f
        a, b = b, a
    return x


def cyclic_members(groups: LabelGroups, cls: np.ndarray, pos: np.ndarray, key: Any) -> np.ndarray:
    """Rows at positions ``pos`` of each class's endless stream of random permutations.

    Position ``p`` of class ``k`` lies in cycle ``p // n_k``; every cycle is a fresh permutation
    of the class, so no row repeats before every row of its class has been drawn. ``key`` is
    one base key, or one per element.
    """
    n = groups.counts[cls]
    cycle = pos // n
    within = pos - cycle * n
    base = np.atleast_1d(np.asarray(key, dtype=_U64))
    if base.size == 1:
        keys = derive_key(base, np.arange(groups.n_classes))[cls]
    else:
        keys = derive_key(base, cls)
    later = np.flatnonzero(cycle)
    if later.size:
        keys[later] = derive_key(keys[later], cycle[later])
    return groups.order[groups.offsets[cls] + keyed_permutation(within, n, keys)]


# --------------------------------------------------------------------------------------------
# Class distributions
# --------------------------------------------------------------------------------------------


def class_distribution(
    groups: LabelGroups, strategy: Any, power: float | None, *, replacement: bool, owner: str
) -> tuple[np.ndarray, int]:
    """Probability of each class per draw, and the default number of draws per epoch.

    A smoothing power (``strategy`` in :data:`POWER_NAMES`, or ``power``) gives class ``k`` a
    probability proportional to ``n_k ** (1 - power)`` and an epoch of N draws. Any other
    ``strategy`` is a ``sampling_strategy`` resolved into final counts (over-sampling meaning
    with replacement, under-sampling meaning without); the probabilities are proportional to
    them and an epoch draws their total.
    """
    if power is not None:
        if not (isinstance(strategy, str) and strategy == "balanced"):
            raise InvalidParameterError(
                f"{owner} got power={power!r} and strategy={strategy!r}; power replaces the "
                "strategy. Pass one of them."
            )
        _check_power(power, owner)
        return _power_probabilities(groups.counts, float(power)), groups.n_samples
    if isinstance(strategy, str) and strategy in POWER_NAMES:
        return _power_probabilities(groups.counts, POWER_NAMES[strategy]), groups.n_samples
    if groups.labels is None:
        raise InvalidParameterError(
            f"strategy={strategy!r} of {owner} is a per-class count, which a multi-label "
            f"indicator does not define; use one of {', '.join(map(repr, POWER_NAMES))} or power."
        )
    goal = _resolve_strategy(groups, strategy, "over" if replacement else "under", owner)
    counts = np.array([goal[c] for c in groups.classes], dtype=np.float64)
    if counts.sum() <= 0:
        raise InvalidParameterError(
            f"strategy={strategy!r} of {owner} asks for no sample of any class; "
            "ask for at least one."
        )
    return counts / counts.sum(), int(counts.sum())


def _resolve_strategy(
    groups: LabelGroups, strategy: Any, kind: Literal["over", "under"], owner: str
) -> dict[Any, int]:
    if isinstance(strategy, str) and strategy not in STRATEGY_NAMES:
        names = ", ".join(map(repr, [*POWER_NAMES, *STRATEGY_NAMES]))
        raise InvalidParameterError(
            f"strategy={strategy!r} of {owner} is not a known strategy; use one of {names}, a "
            "float, a dict {class: count}, a callable, or power=<float>."
        )
    try:
        return resolve_sampling_strategy(
            strategy,
            groups.class_counts,
            kind=kind,
            labels=groups.labels,
        )
    except InvalidDataError as exc:
        raise type(exc)(f"{owner} reads strategy as a sampling_strategy: {exc}") from exc
    except InvalidParameterError as exc:
        raise InvalidParameterError(
            f"{owner} reads strategy as a sampling_strategy: {exc}"
        ) from exc


def _check_power(power: Any, owner: str) -> None:
    if (
        isinstance(power, bool)
        or not isinstance(power, numbers.Real)
        or not 0 <= float(power) < math.inf
    ):
        raise InvalidParameterError(
            f"The 'power' parameter of {owner} must be a float in the range [0, inf) (1 balances "
            f"the classes, 0.5 is square-root sampling, 0 keeps the data's proportions). "
            f"Got {power!r} instead."
        )


def _power_probabilities(counts: np.ndarray, power: float) -> np.ndarray:
    logits = (1.0 - power) * np.log(counts.astype(np.float64))
    weights = np.exp(logits - logits.max())
    return weights / weights.sum()


def apportion(total: int, probs: np.ndarray) -> np.ndarray:
    """Integer counts summing to ``total``, proportional to ``probs`` (largest remainder)."""
    raw = total * np.asarray(probs, dtype=np.float64)
    counts = np.floor(raw).astype(np.int64)
    short = int(total - counts.sum())
    if short > 0:
        counts[np.argsort(-(raw - counts), kind="stable")[:short]] += 1
    return counts


def alias_table(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vose's alias table: column ``i = floor(u * C)`` gives ``i`` if its fraction < ``keep[i]``."""
    n = probs.shape[0]
    scaled = np.asarray(probs, dtype=np.float64) * n / probs.sum()
    keep = np.ones(n)
    alias = np.arange(n)
    small = [i for i in range(n) if scaled[i] < 1.0]
    large = [i for i in range(n) if scaled[i] >= 1.0]
    while small and large:
        s, g = small.pop(), large.pop()
        keep[s], alias[s] = scaled[s], g
        scaled[g] -= 1.0 - scaled[s]
        (small if scaled[g] < 1.0 else large).append(g)
    return keep, alias


# --------------------------------------------------------------------------------------------
# Plans: what unit ``j`` of an epoch is, computed for any set of units
# --------------------------------------------------------------------------------------------


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
        if self._cached is not None and self._cached[0] == block:
            return self._cached[1]
        seq = np.random.SeedSequence(self.entropy, spawn_key=(STREAM_IID, block))
        u = np.random.Generator(np.random.PCG64(seq)).random((2, DRAW_BLOCK))
        scaled = u[0] * self.keep.shape[0]
        column = np.minimum(scaled.astype(np.int64), self.keep.shape[0] - 1)
        cls = np.where(scaled - column < self.keep[column], column, self.alias[column])
        n = self.groups.counts[cls]
        within = np.minimum((u[1] * n).astype(np.int64), n - 1)
        rows = self.groups.order[self.groups.offsets[cls] + within]
        self._cached = (block, rows)
        return rows


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
        lengths_flat = lengths.ravel()
        n_items = int(lengths_flat.sum())
        cls = np.repeat(
            np.tile(np.arange(starts.shape[1]) % self.groups.n_classes, starts.shape[0]),
            lengths_flat,
        )
        ramp = np.arange(n_items) - np.repeat(np.cumsum(lengths_flat) - lengths_flat, lengths_flat)
        pos = np.repeat(starts.ravel(), lengths_flat) + ramp
        rows = cyclic_members(self.groups, cls, pos, self.member_key)
        ends = np.cumsum(sizes)
        self._shuffle_within(rows, ends - sizes, sizes, batches)
        return rows, ends

    def _shuffle_within(
        self, rows: np.ndarray, starts: np.ndarray, sizes: np.ndarray, batches: np.ndarray
    ) -> None:
        """Shuffle each batch in place by sorting hashed keys (the same for a batch anywhere)."""
        width = int(sizes.max())
        keys = derive_key(self.shuffle_key, batches)[:, None] ^ (
            np.arange(width, dtype=_U64) * _U64(_GOLDEN)
        )
        keys = _mix(keys)
        keys[np.arange(width)[None, :] >= sizes[:, None]] = np.iinfo(np.uint64).max
        order = np.argsort(keys, axis=1)
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


# --------------------------------------------------------------------------------------------
# Shares of an epoch
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# The framework-agnostic generator
# --------------------------------------------------------------------------------------------


class BalancedBatchIterator(Iterator[tuple[Any, ...]]):
    """The iterator :func:`balanced_batches` returns; ``steps_per_epoch`` batches per epoch."""

    def __init__(self, batches: Iterator[tuple[Any, ...]], steps_per_epoch: int) -> None:
        self._batches = batches
        self.steps_per_epoch = steps_per_epoch

    def __next__(self) -> tuple[Any, ...]:
        return next(self._batches)


def balanced_batches(
    X: Any,
    y: Any,
    *,
    batch_size: int = 32,
    mode: Literal["balanced", "stratified"] = "balanced",
    strategy: Any = "balanced",
    power: float | None = None,
    replacement: bool = True,
    num_samples: int | None = None,
    min_per_class: int = 0,
    drop_last: bool = False,
    sample_weight: Any = None,
    epochs: int | None = 1,
    random_state: Any = None,
) -> BalancedBatchIterator:
    """Mini-batches of ``(X, y)`` that re-balance the classes, for any training loop.

    Parameters
    ----------
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, ...)
        Features; batches come back in the same container type (rows taken by position).
    y : array-like of shape (n_samples,)
        Class labels.
    batch_size : int, default=32
        Rows per batch (the last batch of an epoch may be smaller unless ``drop_last``).
    mode : {"balanced", "stratified"}, default="balanced"
        ``"balanced"`` draws rows as :class:`imbalance.torch.ClassBalancedSampler` does (class
        proportions set by ``strategy``); ``"stratified"`` keeps the data's proportions in
        every batch and yields each row once per epoch, as
        :class:`imbalance.torch.StratifiedBatchSampler` does.
    strategy : str, float, dict or callable, default="balanced"
        ``"balanced"``, ``"sqrt"``, ``"natural"`` (smoothing powers 1, 0.5, 0) or any
        ``sampling_strategy`` (over-sampling meaning when ``replacement``, under-sampling
        meaning otherwise). Mode ``"balanced"`` only.
    power : float, default=None
        Smoothing power: each row of a class with ``n`` rows weighs ``n ** -power``. Replaces
        ``strategy``. Mode ``"balanced"`` only.
    replacement : bool, default=True
        Independent draws (True) or exact per-class quotas without repeats before a class is
        exhausted (False). Mode ``"balanced"`` only.
    num_samples : int, default=None
        Rows per epoch in mode ``"balanced"``: ``len(y)`` for a smoothing power, the total the
        ``sampling_strategy`` asks for otherwise.
    min_per_class : int, default=0
        Mode ``"stratified"``: at least this many rows of every class in each batch.
    drop_last : bool, default=False
        Drop the last, smaller batch of each epoch.
    sample_weight : array-like of shape (n_samples,), default=None
        When given, every batch is ``(X_batch, y_batch, w_batch)``.
    epochs : int or None, default=1
        Epochs to yield; ``None`` yields forever (for Keras' ``steps_per_epoch``).
    random_state : int, RandomState, Generator or None, default=None
        Seeds epoch ``e`` with ``(seed, e)``; the same int gives the same batches.

    Returns
    -------
    batches : iterator of tuple
        ``(X_batch, y_batch)`` or ``(X_batch, y_batch, w_batch)``; its ``steps_per_epoch``
        attribute is the number of batches per epoch.

    See Also
    --------
    imbalance.torch.ClassBalancedSampler, imbalance.torch.StratifiedBatchSampler

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.batches import balanced_batches
    >>> X = np.arange(20).reshape(10, 2); y = np.array([0] * 8 + [1] * 2)
    >>> batches = balanced_batches(X, y, batch_size=4, random_state=0)
    >>> batches.steps_per_epoch
    3
    >>> [np.bincount(yb, minlength=2).tolist() for _, yb in batches]
    [[2, 2], [2, 2], [1, 1]]
    >>> batches = balanced_batches(X, y, batch_size=5, mode="stratified", random_state=0)
    >>> [np.bincount(yb, minlength=2).tolist() for _, yb in batches]
    [[4, 1], [4, 1]]
    """
    owner = "balanced_batches"
    _check_batches_params(batch_size, mode, min_per_class, epochs, owner)
    y_arr = target_to_numpy(y)
    if n_rows(X) != n_rows(y_arr):
        raise InvalidDataError(
            f"X and y have different lengths: X has {n_rows(X)} rows, y has {n_rows(y_arr)}. "
            "Pass one label per row of X."
        )
    weights = None if sample_weight is None else check_sample_weight(sample_weight, n_rows(y_arr))
    groups = group_labels(y_arr, owner=owner)
    seed = int(check_generator(random_state).integers(2**63 - 1))
    if mode == "stratified":
        plan_for, steps = _stratified_plans(groups, batch_size, min_per_class, drop_last)
    else:
        plan_for, steps = _draw_plans(
            groups, strategy, power, replacement, num_samples, batch_size, drop_last, owner
        )
    stream = _yield_batches(X, y, weights, plan_for, seed, epochs)
    return BalancedBatchIterator(stream, steps)


def _check_batches_params(
    batch_size: Any, mode: Any, min_per_class: Any, epochs: Any, owner: str
) -> None:
    for name, value, low in (("batch_size", batch_size, 1), ("min_per_class", min_per_class, 0)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
            raise InvalidParameterError(
                f"The {name!r} parameter of {owner} must be an int in the range [{low}, inf). "
                f"Got {value!r} instead."
            )
    if mode not in ("balanced", "stratified"):
        raise InvalidParameterError(
            f"The 'mode' parameter of {owner} must be 'balanced' or 'stratified'. "
            f"Got {mode!r} instead."
        )
    if epochs is not None and (
        isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 1
    ):
        raise InvalidParameterError(
            f"The 'epochs' parameter of {owner} must be an int in the range [1, inf) or None "
            f"(endless). Got {epochs!r} instead."
        )


def _stratified_plans(
    groups: LabelGroups, batch_size: int, min_per_class: int, drop_last: bool
) -> tuple[Any, int]:
    check_min_per_class(groups, batch_size, min_per_class, "balanced_batches")

    def plan_for(entropy: Sequence[int]) -> Iterator[np.ndarray]:
        plan = StratifiedBatches(groups, batch_size, min_per_class, drop_last, entropy)
        for units in shard_chunks(plan.n_units, 1, 0, False, plan.chunk_units()):
            rows, ends = plan.take(units)
            yield from np.split(rows, ends[:-1])

    layout = stratified_layout(groups.counts, batch_size, min_per_class, drop_last)
    return plan_for, layout.n_batches


def _draw_plans(
    groups: LabelGroups,
    strategy: Any,
    power: float | None,
    replacement: Any,
    num_samples: Any,
    batch_size: int,
    drop_last: bool,
    owner: str,
) -> tuple[Any, int]:
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


def check_num_samples(num_samples: Any, default: int, owner: str) -> int:
    """``num_samples`` validated, or ``default`` when it is None."""
    if num_samples is None:
        return default
    if isinstance(num_samples, bool) or not isinstance(num_samples, numbers.Integral):
        raise InvalidParameterError(
            f"The 'num_samples' parameter of {owner} must be an int in the range [1, inf) or "
            f"None. Got {num_samples!r} instead."
        )
    if num_samples < 1:
        raise InvalidParameterError(
            f"The 'num_samples' parameter of {owner} must be an int in the range [1, inf) or "
            f"None. Got {num_samples!r} instead."
        )
    return int(num_samples)


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


def _yield_batches(
    X: Any,
    y: Any,
    weights: np.ndarray | None,
    plan_for: Any,
    seed: int,
    epochs: int | None,
) -> Iterator[tuple[Any, ...]]:
    epoch = 0
    while epochs is None or epoch < epochs:
        for rows in plan_for((seed, epoch)):
            idx = rows.astype(np.intp)
            batch = (take_rows(X, idx), take_rows(y, idx))
            yield batch if weights is None else (*batch, weights[idx])
        epoch += 1
