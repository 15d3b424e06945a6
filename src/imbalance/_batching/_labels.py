"""Labels grouped by class: the row positions of every class, in O(N) time and O(N) bytes.

:func:`group_labels` reads 1-D labels, one-hot indicators and (for the samplers that allow it)
multi-label indicators into a :class:`LabelGroups`: ``order`` (row positions sorted by class,
int32 below 2**31 rows) and per-class ``offsets``. The sort is a counting sort done a chunk of
2**20 rows at a time, so no per-row temporary of the whole data set is ever built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import encode_target
from ..exceptions import InvalidDataError

_CHUNK = 1 << 20
_FEW_CLASSES = 16


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


def _group_multilabel(indicator: np.ndarray) -> LabelGroups:
    """Group the rows of a 0/1 indicator under their rarest label (``-1`` for no label)."""
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
    place = _place_few if n_classes <= _FEW_CLASSES else _place_many
    for start in range(0, n, _CHUNK):
        place(codes(start, start + _CHUNK), start, order, next_free)
    return offsets, order


def _place_few(chunk: np.ndarray, start: int, order: np.ndarray, next_free: np.ndarray) -> None:
    """Write a chunk's rows into ``order`` one class at a time (few classes: no sort)."""
    for k in range(next_free.shape[0]):
        rows = np.flatnonzero(chunk == k)
        order[next_free[k] : next_free[k] + rows.size] = rows + start
        next_free[k] += rows.size


def _place_many(chunk: np.ndarray, start: int, order: np.ndarray, next_free: np.ndarray) -> None:
    """Write a chunk's rows into ``order`` through a stable sort of its codes."""
    n_classes = next_free.shape[0]
    idx = np.argsort(chunk.astype(np.uint16 if n_classes <= 65536 else np.int64), kind="stable")
    chunk_counts = np.bincount(chunk, minlength=n_classes)
    first = np.cumsum(chunk_counts) - chunk_counts
    order[(next_free - first)[chunk[idx]] + np.arange(idx.size)] = idx + start
    next_free += chunk_counts
