"""The Dask side of partitioned resampling: check the collections, run the passes, build results.

The passes run the kernels of :mod:`._kernels` on the label (and row-id) columns only and
bring back small summaries; the results are lazy collections whose partitions are computed
by the same kernels, next to the data.

Partitions line up because every collection here is turned into tasks with Dask's partition
tuning switched off (the documented ``optimization.tune.active`` setting): tuning fuses small
input partitions when few columns are read, so the label column alone would otherwise come
in other partitions than X. With it off, the label-only reads of the passes and the reads of
X behind the results have X's own partitions, and the results are built on those very tasks
(``to_delayed``), whatever the user's settings when they compute them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
from dask.dataframe.utils import make_meta

from .._partitioned._kernels import ClassDraw, LabelCounts, Threshold, WindowSummary, count_labels
from .._partitioned._plan import find_cuts, merge_counts
from .._partitioned._select import Selection, offsets_of, resolve_seed, window_task
from .._typing import ArrayLike, Target
from ..exceptions import InvalidDataError, InvalidParameterError

__all__ = [
    "Partitioned",
    "Selection",
    "as_partitioned",
    "count_blocks",
    "count_pass",
    "drawn_rows",
    "label_collection",
    "resolve_seed",
    "select",
    "threshold_pass",
]


# The column that carries a separate y inside X (dropped again from the results).
_Y = "__imbalance_y__"


_UNTUNED = {"optimization.tune.active": False}


@dataclass(frozen=True)
class Partitioned:
    """X and its labels, partitioned alike.

    For a DataFrame the labels are always a column of X (``target``): a separate y is assigned
    to X first, so that a pass reading the label column and the results reading X agree on
    the partitions. ``y_name`` is a separate y's name, restored on ``y_resampled``.
    """

    X: Any
    y: Any
    frame: bool
    target: str | None
    row_id: str | None
    y_name: Any = None

    @property
    def npartitions(self) -> int:
        return int(self.X.npartitions if self.frame else self.y.npartitions)

    @property
    def separate(self) -> bool:
        return self.target == _Y

    @property
    def features(self) -> list[Any]:
        return [c for c in self.X.columns if not (self.separate and c == _Y)]

    @cached_property
    def parts(self) -> list[Any]:
        """X's partitions (row blocks of an Array) as delayed objects, exactly as X has them."""
        with dask.config.set(_UNTUNED):
            if self.frame:
                return list(np.ravel(self.X.to_delayed()))
            return list(self.X.to_delayed()[:, 0])

    @cached_property
    def key_blocks(self) -> list[tuple[Any, Any]]:
        """(labels, row ids or None) of every partition, reading those columns only."""
        if not self.frame:
            return [(b, None) for b in np.ravel(self.y.to_delayed())]
        columns = [self.target]
        if self.row_id is not None and self.row_id != self.target:
            columns.append(self.row_id)
        with dask.config.set(_UNTUNED):
            blocks = list(np.ravel(self.X[columns].to_delayed()))
        if len(blocks) != self.npartitions:
            raise InvalidDataError(
                f"Dask read the label column of X in {len(blocks)} partitions, X has "
                f"{self.npartitions}; persist X (X = X.persist()) before resampling it."
            )
        return [
            (
                dask.delayed(_column)(b, self.target),
                None if self.row_id is None else dask.delayed(_column)(b, self.row_id),
            )
            for b in blocks
        ]

    def label_blocks(self) -> list[Any]:
        return [labels for labels, _ in self.key_blocks]

    def with_labels(self) -> list[tuple[Any, Any]]:
        """(partition of X, its labels) pairs, for tasks that read X's rows anyway."""
        if not self.frame:
            return list(zip(self.parts, self.label_blocks(), strict=True))
        return [(b, dask.delayed(_column)(b, self.target)) for b in self.parts]

    def originals(self) -> Any:
        """X itself, as a collection built on the partitions the passes saw."""
        if not self.frame:
            return self.X
        divisions = self.X.divisions if self.X.known_divisions else None
        return dd.from_delayed(
            self.parts, meta=make_meta(self.X), divisions=divisions, verify_meta=False
        )

    def split(self, full: dd.DataFrame) -> tuple[Any, Any]:
        """(X, y) of a frame holding the label column."""
        if not self.separate:
            return full, full[self.target]
        return full.drop(columns=[_Y]), full[_Y].rename(self.y_name)


def _column(part: Any, name: Any) -> Any:
    return part[name]


def _describe(obj: object) -> str:
    return f"{type(obj).__module__}.{type(obj).__name__}"


def as_partitioned(X: ArrayLike, y: Target, row_id: str | None, owner: str) -> Partitioned:
    """Check that X and y are Dask collections partitioned alike, in the user's terms."""
    if isinstance(X, dd.DataFrame):
        return _frame(X, y, row_id, owner)
    if isinstance(X, da.Array):
        return _array(X, y, row_id, owner)
    raise InvalidDataError(
        f"{owner} resamples Dask collections; X is a {_describe(X)}. Pass a dask DataFrame or "
        "Array (dask.dataframe.from_pandas(X, npartitions=...)), or use "
        f"imbalance.samplers.{owner} for data in memory."
    )


def _frame(X: Any, y: Any, row_id: str | None, owner: str) -> Partitioned:
    columns = list(X.columns)
    if row_id is not None and row_id not in columns:
        raise InvalidParameterError(
            f"row_id={row_id!r} of {owner} is not a column of X; X's columns are {columns}. "
            "Name a column with one distinct value per row, or use row_id=None."
        )
    if isinstance(y, str):
        if y not in columns:
            raise InvalidDataError(
                f"y={y!r} is not a column of X; X's columns are {columns}. "
                "Pass the name of the label column, or the labels as a dask Series."
            )
        return Partitioned(X, X[y], True, y, row_id)
    if _Y in columns:
        raise InvalidDataError(f"X has a column named {_Y!r}, which imbalance.dask reserves.")
    if not isinstance(y, dd.Series):
        raise InvalidDataError(
            f"y must be a dask Series partitioned like X, or the name of X's label column; "
            f"got a {_describe(y)}."
        )
    if y.npartitions != X.npartitions:
        raise InvalidDataError(
            f"X has {X.npartitions} partitions and y has {y.npartitions}; they must be "
            "partitioned alike. Take y from the same frame (y = ddf['label']), or pass the "
            "label column's name as y."
        )
    if X.known_divisions and y.known_divisions and tuple(X.divisions) != tuple(y.divisions):
        raise InvalidDataError(
            "X and y have different divisions, so their partitions do not hold the same rows. "
            "Take y from the same frame (y = ddf['label']) or pass the label column's name as y."
        )
    joined = X.assign(**{_Y: y})
    return Partitioned(joined, joined[_Y], True, _Y, row_id, y.name)


def _array(X: Any, y: Any, row_id: str | None, owner: str) -> Partitioned:
    if row_id is not None:
        raise InvalidParameterError(
            f"row_id={row_id!r} of {owner} names a column, but X is a dask Array. Use "
            "row_id=None (row positions), or a dask DataFrame with an id column."
        )
    if X.ndim != 2:
        raise InvalidDataError(f"X must be 2-D (n_samples, n_features); got shape {X.shape}.")
    if not isinstance(y, da.Array):
        raise InvalidDataError(
            f"With a dask Array X, y must be a dask Array of labels; got a {_describe(y)}."
        )
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise InvalidDataError(f"y must be 1-D (one label per row); got shape {y.shape}.")
    if any(np.isnan(c) for c in X.chunks[0]) or any(np.isnan(c) for c in y.chunks[0]):
        raise InvalidDataError(
            "X or y has unknown chunk sizes; call X.compute_chunk_sizes() and "
            "y.compute_chunk_sizes() first."
        )
    if X.shape[0] != y.shape[0]:
        raise InvalidDataError(
            f"X and y have different lengths: X has {X.shape[0]} rows, y has {y.shape[0]}. "
            "Pass one label per row of X."
        )
    X = X.rechunk({1: -1}) if X.numblocks[1] > 1 else X
    y = y.rechunk((X.chunks[0],)) if y.chunks[0] != X.chunks[0] else y
    return Partitioned(X, y, False, None, None)


def count_blocks(blocks: Sequence[Any]) -> tuple[list[Any], np.ndarray]:
    """One pass: the classes and the ``(n_partitions, n_classes)`` label counts."""
    parts: Sequence[LabelCounts] = dask.compute(*[dask.delayed(count_labels)(b) for b in blocks])
    return merge_counts(parts)


def count_pass(data: Partitioned) -> tuple[list[Any], np.ndarray]:
    """First pass: the classes and the ``(n_partitions, n_classes)`` label counts."""
    return count_blocks(data.label_blocks())


def label_collection(y: Target, owner: str) -> Any:
    """y as a dask Series or 1-D dask Array, checked in the user's terms."""
    if isinstance(y, da.Array) and y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if isinstance(y, dd.Series) or (isinstance(y, da.Array) and y.ndim == 1):
        return y
    shape = f" of shape {y.shape}" if isinstance(y, da.Array) else ""
    raise InvalidDataError(
        f"{owner} takes the labels as a dask Series or a 1-D dask Array; got a "
        f"{_describe(y)}{shape}. For labels in memory use the functions of imbalance.weights."
    )


def threshold_pass(
    data: Partitioned,
    classes: list[Any],
    draws: list[ClassDraw],
    offsets: np.ndarray,
    seed: int,
) -> tuple[list[Threshold | None], list[ClassDraw], list[list[WindowSummary | None]]]:
    """Second pass (repeated only if a window missed): the threshold of every drawn class."""
    if not any(d.mode in ("subset", "multiset") for d in draws):
        return [None] * len(draws), draws, [[None] * len(draws)] * data.npartitions
    while True:
        tasks = [
            dask.delayed(window_task)(lab, ids, int(off), classes, draws, seed)
            for (lab, ids), off in zip(data.key_blocks, offsets.tolist(), strict=True)
        ]
        summaries = [list(s) for s in dask.compute(*tasks)]
        cuts, retry = find_cuts(classes, draws, summaries)
        if retry == draws:
            return cuts, draws, summaries
        draws = retry


def _check_rows(part: Any, n_rows: int) -> None:
    if len(part) != n_rows:
        raise InvalidDataError(
            f"X changed between the passes over it: a partition counted with {n_rows} rows "
            f"now has {len(part)}. Persist X (X = X.persist()) when its source is not "
            "deterministic."
        )


def _take_frame(
    part: Any, offset: int, n_rows: int, selection: Selection, target: Any, row_id: Any
) -> Any:
    _check_rows(part, n_rows)
    ids = part[row_id] if row_id is not None else None
    return part.iloc[selection.positions(part[target], ids, offset)]


def _frame_rows(data: Partitioned, counts: np.ndarray, selection: Selection, sub: bool) -> Any:
    rows = counts.sum(axis=1).tolist()
    tasks = [
        dask.delayed(_take_frame)(part, off, n, selection, data.target, data.row_id)
        for part, off, n in zip(data.parts, offsets_of(counts).tolist(), rows, strict=True)
    ]
    divisions = data.X.divisions if sub and data.X.known_divisions else None
    return dd.from_delayed(tasks, meta=make_meta(data.X), divisions=divisions, verify_meta=False)


def _global_positions(
    selection: Selection, labels: Target, ids: np.ndarray, offset: int
) -> np.ndarray:
    return selection.positions(labels, ids, offset) + offset


def _take_block(block: np.ndarray, positions: np.ndarray) -> Any:
    return block[positions]


def _array_rows(
    data: Partitioned, counts: np.ndarray, sizes: np.ndarray, selection: Selection
) -> tuple[Any, Any]:
    X_parts, y_parts = [], []
    n_features = data.X.shape[1]
    offsets = offsets_of(counts).tolist()
    for p, (xb, yb) in enumerate(zip(data.parts, data.label_blocks(), strict=True)):
        pos = dask.delayed(selection.positions)(yb, None, offsets[p])
        n = int(sizes[p])
        X_parts.append(
            da.from_delayed(dask.delayed(_take_block)(xb, pos), (n, n_features), dtype=data.X.dtype)
        )
        y_parts.append(da.from_delayed(dask.delayed(_take_block)(yb, pos), (n,), data.y.dtype))
    return da.concatenate(X_parts), da.concatenate(y_parts)


def sample_positions(
    data: Partitioned, counts: np.ndarray, sizes: np.ndarray, selection: Selection
) -> Any:
    """Lazy positions in X of the output rows, as a dask Array with known chunks."""
    blocks = [
        da.from_delayed(
            dask.delayed(_global_positions)(selection, lab, ids, off), (int(n),), np.intp
        )
        for (lab, ids), off, n in zip(
            data.key_blocks, offsets_of(counts).tolist(), sizes.tolist(), strict=True
        )
    ]
    return da.concatenate(blocks)


def drawn_rows(
    data: Partitioned, counts: np.ndarray, sizes: np.ndarray, selection: Selection
) -> tuple[Any, Any]:
    """The drawn rows, lazily: (frame with the label column, None), or (X rows, y rows)."""
    if not data.frame:
        return _array_rows(data, counts, sizes, selection)
    return _frame_rows(data, counts, selection, sub=False), None


def select(
    data: Partitioned, counts: np.ndarray, sizes: np.ndarray, selection: Selection
) -> tuple[Any, Any]:
    """The drawn rows of X and y, lazily, partition by partition (repeats side by side)."""
    if not data.frame:
        return _array_rows(data, counts, sizes, selection)
    return data.split(_frame_rows(data, counts, selection, sub=True))


def append(
    data: Partitioned, X_new: dd.DataFrame | da.Array, y_new: da.Array | None = None
) -> tuple[Any, Any]:
    """X and y followed by new rows (new partitions); for a frame, X_new holds the labels."""
    if not data.frame:
        return da.concatenate([data.X, X_new]), da.concatenate([data.y, y_new])
    return data.split(dd.concat([data.originals(), X_new]))
