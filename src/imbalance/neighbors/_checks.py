"""Checks of the engine's inputs, in the user's terms, and the power-of-two scaling that keeps
squared distances within float64's range."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .._typing import ArrayLike, NeighborSpec
from ..exceptions import InvalidDataError, InvalidParameterError
from ._common import BACKENDS, Backend

# "auto" moves to the GPU from this many indexed rows.
_GPU_MIN_ROWS = 20_000
# Squared distances stay far from float64's overflow and underflow while the largest absolute
# value times sqrt(n_features) lies in this range; outside it, rows and queries are divided by
# a power of two (exact, so the neighbour ranking is that of the unscaled data).
_SAFE_TOP = 2.0**250
_SAFE_BOTTOM = 2.0**-250


def check_backend(backend: object, n_jobs: object) -> None:
    if backend not in BACKENDS:
        raise InvalidParameterError(
            f"neighbors={backend!r} is not a known backend; use one of "
            f"{', '.join(map(repr, BACKENDS))}."
        )
    if n_jobs is not None and (
        isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer) or n_jobs == 0
    ):
        raise InvalidParameterError(f"n_jobs must be None, -1 or a positive int; got {n_jobs!r}.")


def as_float(X: ArrayLike, name: str) -> tuple[Any, float]:
    """X as float64 (CSR when sparse), and its largest absolute value; refuses NaN and inf."""
    if sp.issparse(X):
        X = sp.csr_matrix(X, dtype=np.float64)
        data = X.data
    else:
        X = np.ascontiguousarray(X, dtype=np.float64)
        data = X
    if X.ndim != 2:
        raise InvalidDataError(f"{name} must be 2-D for a neighbour search; got shape {X.shape}.")
    # two passes and no temporary array; NaN or inf anywhere makes one of them non-finite
    high, low = float(data.max(initial=0.0)), float(data.min(initial=0.0))
    if not (np.isfinite(high) and np.isfinite(low)):
        raise InvalidDataError(
            f"{name} holds NaN or infinite values; distances need finite numbers. "
            "Impute or drop them first."
        )
    return X, max(high, -low)


def safe_scale(top: float, n_features: int) -> float:
    """1.0, or the power of two to divide by so that squared distances neither overflow nor
    underflow float64 (values near 1e308, or near 1e-300). Dividing by a power of two is exact
    (short of the subnormal range), so neighbours are those of the unscaled rows."""
    root = float(np.sqrt(max(n_features, 1)))
    if top == 0.0 or _SAFE_BOTTOM / root <= top <= _SAFE_TOP / root:
        return 1.0
    return float(np.ldexp(1.0, int(np.frexp(top)[1]) - 1))  # the rows then lie within [-2, 2]


def check_n_neighbors(n_neighbors: NeighborSpec, available: int) -> int:
    if isinstance(n_neighbors, bool) or not isinstance(n_neighbors, int | np.integer):
        raise InvalidParameterError(f"n_neighbors must be a positive int; got {n_neighbors!r}.")
    if not 1 <= n_neighbors <= available:
        raise InvalidParameterError(
            f"n_neighbors={n_neighbors} but only {available} rows can be neighbours of each "
            f"query; ask for between 1 and {available}."
        )
    return int(n_neighbors)


def check_within(within: npt.ArrayLike | None, n_queries: int) -> np.ndarray | None:
    if within is None:
        return None
    try:
        radius = np.broadcast_to(np.asarray(within, dtype=np.float64), (n_queries,))
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"within must be one distance or one per query ({n_queries}); got "
            f"{np.shape(within) or within!r}. Pass a float or an array of shape ({n_queries},)."
        ) from None
    if np.isnan(radius).any() or (radius < 0).any():
        raise InvalidParameterError(
            "within must hold distances (>= 0, not NaN); pass np.inf for a query whose "
            "neighbours all matter."
        )
    return radius


def resolve_backend(backend: Backend, n_rows: int, X: ArrayLike) -> Backend:
    if backend != "auto":
        return backend
    torch = sys.modules.get("torch")
    if torch is None or n_rows < _GPU_MIN_ROWS or sp.issparse(X):
        return "exact"
    return "torch" if torch.cuda.is_available() else "exact"
