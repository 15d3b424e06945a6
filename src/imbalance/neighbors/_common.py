"""What every part of the engine shares: the backend names, the searchers' one interface,
block sizes, rounding units, threads and optional imports."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
from collections.abc import Iterator
from typing import Any, NamedTuple, get_args

import numpy as np
from threadpoolctl import ThreadpoolController

from .._typing import Backend, Matrix
from ..exceptions import MissingDependencyError

BACKENDS: tuple[Backend, ...] = get_args(Backend)

# Extra candidates fetched beyond k, so that the float64 re-ranking can prove completeness.
EXTRA = 3
# Cells of a block of distances computed at once (rows x columns): the float64 fallback, the
# torch backend, the nearest cell centres, the table metrics and the samplers' own blocks.
BLOCK_CELLS = 1 << 22
U32 = 2.0**-24
U64 = 2.0**-53


class Candidates(NamedTuple):
    """What a searcher answers for a batch of queries.

    ``indices`` holds each query's candidate positions (its own row dropped); every row outside
    them has a computed squared distance >= ``bound`` (``inf`` when all rows are candidates).
    ``proven`` candidates are re-ranked in float64 and checked against ``bound`` within
    ``error_scale * (|q| + radius)^2``; unproven ones (inverted lists) are only re-ranked.
    ``algorithm`` names what answered and ``recall`` its calibrated recall (1 when proven).
    """

    indices: np.ndarray
    bound: np.ndarray
    error_scale: float
    algorithm: str
    proven: bool = True
    recall: float = 1.0


class Searcher:
    """The one interface of the candidate searchers: built on the centred rows, then
    ``search(Qc, k, own, within)`` answers :class:`Candidates` and changes nothing a caller
    reads. ``within`` (per-query distances that matter) is a hint only the approximate
    searcher uses."""

    name = ""

    def search(
        self, Qc: Matrix, k: int, own: np.ndarray | None, within: np.ndarray | None
    ) -> Candidates:
        raise NotImplementedError


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def threads(n_jobs: int | None) -> Any:
    """A context limiting the native thread pools to ``n_jobs`` (None: their defaults).

    threadpoolctl's view of the loaded libraries is built once per process: building it scans
    them (15 to 30 ms), more than a whole small search; no limit is a no-op context.
    """
    if n_jobs is None or n_jobs < 0:
        return contextlib.nullcontext()
    return _controller().limit(limits=int(n_jobs))


def n_workers(n_jobs: int | None) -> int:
    if n_jobs is None:
        return 1
    return (os.cpu_count() or 1) if n_jobs < 0 else int(n_jobs)


def import_optional(module: str, extra: str, what: str) -> Any:
    if importlib.util.find_spec(module) is None:
        raise MissingDependencyError(
            f"{what} requires the {module!r} package; install it with "
            f'pip install "imbalance[{extra}]", or use neighbors="exact".'
        )
    return importlib.import_module(module)


def fits_float32(Xc: np.ndarray) -> bool:
    """float32 squared distances stay finite, and rounding below the normal range negligible."""
    top = float(np.abs(Xc).max(initial=0.0))
    return top < 1e17 and (top == 0.0 or top > 1e-12)


def bound_from(d2: np.ndarray, n_asked: int, n_total: int) -> np.ndarray:
    if n_asked >= n_total:
        return np.full(d2.shape[0], np.inf)
    return d2[:, -1]


def drop_own(cand: np.ndarray, own: np.ndarray | None) -> np.ndarray:
    """Remove each query's own position from its candidates (or the farthest if absent)."""
    if own is None:
        return cand
    is_own = cand == own[:, None]
    missing = ~is_own.any(axis=1)
    is_own[missing, -1] = True
    return cand[~is_own].reshape(len(cand), cand.shape[1] - 1)


def row_norms(X: Matrix) -> np.ndarray:
    if not isinstance(X, np.ndarray):  # sparse
        return np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    return np.sqrt(np.einsum("ij,ij->i", X, X))


def blocks(n_queries: int, n_rows: int) -> Iterator[tuple[int, int]]:
    """(start, stop) of blocks of queries whose distances to ``n_rows`` rows fit in a block."""
    step = max(1, BLOCK_CELLS // max(n_rows, 1))
    for start in range(0, n_queries, step):
        yield start, min(start + step, n_queries)
