"""Steps shared by the SMOTE family: neighbours, draws, interpolation, assembly.

The features they read (:class:`~imbalance.samplers._features.Features`) are shared with the
cleaning samplers in ``samplers/_features.py``; the neighbours come from
:mod:`imbalance.neighbors`, which also decides between its engine and a user's estimator.

Every synthetic row of an interpolating sampler is ``base + step * (neighbour - base)`` on the
numeric columns (and on pandas / polars datetime and timedelta columns, in their own unit);
integer columns are rounded and kept within the column's observed range; every other column
(booleans, categories, strings, objects) takes the value of the nearer parent (the base row
when ``step < 0.5``, the neighbour otherwise), so it is never averaged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ... import _containers
from ..._typing import Backend, Label, Matrix
from ..._validation import EncodedTarget
from ...base import Resampled
from ...exceptions import InvalidDataError
from ...neighbors import NeighborSpec, n_neighbors_of
from ...neighbors import search as engine_search
from .._features import Features

__all__ = [
    "Features",
    "Synthesis",
    "apportion",
    "check_class_size",
    "draw_pairs",
    "grown_classes",
    "interpolate",
    "other_class_counts",
    "search",
]

# Rows interpolated at once (bounds the temporaries to a few MB).
_CHUNK = 1 << 16


def grown_classes(
    target: EncodedTarget, target_counts: dict[Any, int]
) -> Iterator[tuple[int, Any, np.ndarray, int]]:
    """(code, label, member positions, rows to add) for each class that grows, in label order."""
    for k, (cls, have) in enumerate(zip(target.classes, target.counts.tolist(), strict=True)):
        extra = target_counts[cls] - have
        if extra > 0:
            yield k, cls, target.members(k), extra


def check_class_size(owner: str, param: str, spec: NeighborSpec, cls: Label, size: int) -> int:
    """Raise in the user's terms when a class is too small for its neighbours."""
    k = n_neighbors_of(spec)
    if size <= k:
        way_out = (
            f"Lower {param} to at most {size - 1}, or use"
            if size > 1
            else "Use a sampling_strategy that leaves it out, or"
        )
        raise InvalidDataError(
            f"{owner} needs more rows than {param} in every class it over-samples; class "
            f"{cls!r} has {size} row(s), {param}={k}. {way_out} RandomOverSampler."
        )
    return k


def search(
    X_index: Matrix,
    spec: NeighborSpec,
    *,
    backend: Backend,
    n_jobs: int | None,
    rng: np.random.Generator,
    rows: np.ndarray | None = None,
    queries: Matrix | None = None,
) -> tuple[np.ndarray, str]:
    """Neighbours within ``X_index`` of its ``rows`` (self excluded) or of outside ``queries``,
    as many as ``spec`` asks (a count, or a user's estimator: see
    :func:`imbalance.neighbors.neighbor_index`), and the backend that answered. The
    approximate backend's seed is drawn from ``rng``; no other path draws."""
    seed = rng if backend == "approximate" else None
    return engine_search(
        X_index, spec, backend=backend, n_jobs=n_jobs, random_state=seed, rows=rows, queries=queries
    )


def draw_pairs(
    nn: np.ndarray, n_new: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``n_new`` (row, neighbour) pairs drawn uniformly among the rows of ``nn`` and their columns.

    Returns positions (into whatever ``nn`` indexes) of the base rows and of the neighbours.
    """
    n_rows, k = nn.shape
    flat = rng.integers(0, n_rows * k, size=n_new)
    rows = flat // k
    return rows, nn[rows, flat % k]


def interpolate(
    F: Matrix, base: np.ndarray, nb: np.ndarray, steps: np.ndarray, G: Matrix | None = None
) -> Any:
    """``F[base] + steps * (G[nb] - F[base])`` in chunks (``G`` defaults to ``F``)."""
    G = F if G is None else G
    if sp.issparse(F):
        b = F[base]
        return (b + sp.diags(steps) @ (G[nb] - b)).tocsr()
    out = np.empty((len(base), F.shape[1]), dtype=np.float64)
    for start in range(0, len(base), _CHUNK):
        stop = start + _CHUNK
        b = F[base[start:stop]]
        out[start:stop] = b
        b -= G[nb[start:stop]]
        b *= steps[start:stop, None]
        out[start:stop] -= b
    return out


@dataclass
class Synthesis:
    """Synthetic rows gathered class by class, then turned into :class:`Resampled`.

    Each batch records its parents (positions in X), its steps, and how to compute its values:
    ``interpolate(F, local_base, local_nb, steps)``. A numpy float X with only numeric columns
    never needs those values: the rows are interpolated in place in the output.
    """

    features: Features
    bases: list[np.ndarray] = field(default_factory=list)
    neighbours: list[np.ndarray] = field(default_factory=list)
    steps: list[np.ndarray] = field(default_factory=list)
    recipes: list[tuple[Any, np.ndarray, np.ndarray]] = field(default_factory=list)

    def add(
        self,
        base: np.ndarray,
        nb: np.ndarray,
        steps: np.ndarray,
        F: Matrix,
        local_base: np.ndarray | None = None,
        local_nb: np.ndarray | None = None,
    ) -> None:
        """Record rows ``base + steps * (nb - base)``; ``F[local_*]`` are their feature rows."""
        self.bases.append(base)
        self.neighbours.append(nb)
        self.steps.append(steps)
        self.recipes.append(
            (F, base if local_base is None else local_base, nb if local_nb is None else local_nb)
        )

    def result(self, n_samples: int) -> tuple[Resampled, np.ndarray]:
        """The rows to output and the steps of the synthetic ones."""
        base = _cat(self.bases, np.intp)
        nb = _cat(self.neighbours, np.intp)
        steps = _cat(self.steps, np.float64)
        parents = np.column_stack([base, nb])
        X = self.features.X
        times = _containers.time_column_positions(X)
        if isinstance(X, np.ndarray) and X.dtype.kind == "f" and self.features.all_columns:
            in_place = Resampled(np.arange(n_samples), parents, None, [], steps=steps)
            return in_place, steps
        values = self._values()
        for j in self.features.integer_columns():
            low, high = self.features.int_ranges.get(j, (-np.inf, np.inf))
            if not sp.issparse(values):
                np.clip(values[:, j], low, high, out=values[:, j])
        columns = list(self.features.columns)
        if times and len(base):
            T = _containers.time_values(X, times)
            values = np.hstack([values, interpolate(T, base, nb, steps)])
            columns += times
        nearer = np.where(steps < 0.5, base, nb)
        others = _other_columns(X, columns)
        resampled = Resampled(
            indices=np.arange(n_samples),
            parents=parents,
            values=values,
            columns=columns,
            sources={pos: nearer for pos in others} if len(base) else {},
        )
        return resampled, steps

    def _values(self) -> Any:
        parts = [
            interpolate(F, b, n, s) for (F, b, n), s in zip(self.recipes, self.steps, strict=True)
        ]
        if not parts:
            return np.empty((0, len(self.features.columns)), dtype=np.float64)
        if sp.issparse(parts[0]):
            return sp.vstack(parts, format="csr")
        return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _cat(parts: list[np.ndarray], dtype: npt.DTypeLike) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype=dtype)


def _other_columns(X: Any, columns: list[int]) -> list[int]:
    if not _containers.is_frame(X):
        return []
    taken = set(columns)
    return [i for i in range(len(X.columns)) if i not in taken]


def other_class_counts(
    F: Matrix,
    codes: np.ndarray,
    code: int,
    rows: np.ndarray,
    spec: NeighborSpec,
    *,
    owner: str,
    param: str,
    backend: Backend,
    n_jobs: int | None,
    rng: np.random.Generator,
) -> tuple[np.ndarray, int, str]:
    """For each of ``rows``, how many of its nearest neighbours in all of X are of another class.

    Returns the counts, the number of neighbours asked, and the backend that answered.
    """
    m = n_neighbors_of(spec)
    if F.shape[0] - 1 < m:
        raise InvalidDataError(
            f"{owner} looks at the {param}={m} nearest rows of each row, but X has only "
            f"{F.shape[0]} rows. Lower {param} to at most {F.shape[0] - 1}."
        )
    nn, backend_used = search(F, spec, backend=backend, n_jobs=n_jobs, rng=rng, rows=rows)
    return (codes[nn] != code).sum(axis=1), m, backend_used


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainders win)."""
    share = weights / weights.sum() * total
    counts = np.floor(share).astype(np.intp)
    short = total - int(counts.sum())
    if short > 0:
        order = np.lexsort((np.arange(len(share)), -(share - counts)))
        counts[order[:short]] += 1
    return counts
