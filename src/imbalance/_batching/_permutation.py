"""Keyed hashing, and random permutations computed position by position from a key.

:func:`keyed_permutation` gives ``perm(pos)`` without materialising ``perm``: domains of at most
64 are permuted exactly by sorting hashed keys; larger ones by an 8-round Feistel network [1]_
on the smallest power of two above ``n``, walked back into ``range(n)`` (cycle walking [2]_).
:func:`cyclic_members` chains such permutations into each class's endless stream of rows.
Every key derives from an epoch's entropy through :func:`entropy_key` and :func:`derive_key`.

References
----------
.. [1] M. Luby and C. Rackoff, "How to construct pseudorandom permutations from pseudorandom
   functions", SIAM J. Computing 17(2), 1988 (Feistel networks).
.. [2] J. Black and P. Rogaway, "Ciphers with arbitrary finite domains", CT-RSA 2002 (cycle
   walking).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ._labels import LabelGroups

_SMALL_DOMAIN = 64
_ROUNDS = 8
_U64 = np.uint64
_S29, _S30 = _U64(29), _U64(30)
_MUL = (_U64(0xBF58476D1CE4E5B9), _U64(0x94D049BB133111EB))
_GOLDEN = 0x9E3779B97F4A7C15
_ROUND_KEYS = [_U64((_GOLDEN * (r + 1)) % 2**64) for r in range(_ROUNDS)]
_PART_KEYS = [_U64((0xD6E8FEB86659FD93 * (i + 3)) % 2**64) for i in range(8)]

# Streams of randomness drawn from one epoch's entropy.
STREAM_IID, STREAM_SLOTS, STREAM_MEMBERS, STREAM_ROWS, STREAM_SHUFFLE, STREAM_CLASSES = range(6)


def _mix(z: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (xor-shift-multiply); every output bit depends on every input bit."""
    z = z ^ (z >> _S30)
    z *= _MUL[0]
    z ^= z >> _U64(27)
    z *= _MUL[1]
    z ^= z >> _U64(31)
    return z


def derive_key(base: npt.ArrayLike, *parts: Any) -> np.ndarray:
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


def hashed_order(keys: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Row ``i``: a random order of ``range(sizes[i])`` selected by ``keys[i]``, then padding.

    Sorts hashes of ``(key, position)``; the table has ``max(sizes)`` columns, and the
    positions at or beyond ``sizes[i]`` sort last in row ``i``.
    """
    width = int(sizes.max())
    steps = np.arange(width, dtype=_U64) * _U64(_GOLDEN)
    sort_keys = _mix(keys[:, None] ^ steps[None, :])
    sort_keys[np.arange(width)[None, :] >= sizes[:, None]] = np.iinfo(np.uint64).max
    return np.argsort(sort_keys, axis=1)


def keyed_permutation(pos: np.ndarray, n: npt.ArrayLike, key: npt.ArrayLike) -> np.ndarray:
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
    """Exact permutations: one hashed-sort table per distinct key, read at ``pos``."""
    keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    table = hashed_order(keys, n[first])
    return table[inverse.ravel(), pos].astype(np.int64)


def _permute_feistel(pos: np.ndarray, n: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Feistel permutations, one network width (bits of ``n - 1``) at a time."""
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


def cyclic_members(
    groups: LabelGroups, cls: np.ndarray, pos: np.ndarray, key: npt.ArrayLike
) -> np.ndarray:
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
