"""Internal, shared by design by ``samplers/over`` and ``samplers/under`` (and the samplers of
other packages): the features a sampler computes distances on, and what a neighbours
parameter stands for.

Neither family imports the other's private modules: what both need lives here. The
neighbour search itself, with the choice between this package's engine and a user's
estimator, is :mod:`imbalance.neighbors`'s business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors

from .. import _containers
from .._typing import ArrayLike, Matrix, NeighborSpec
from ..exceptions import DataTypeError, InvalidDataError, InvalidParameterError
from ..neighbors import is_estimator

__all__ = [
    "Features",
    "check_neighbors_spec",
    "neighbours_estimator",
    "numeric_features",
]


@dataclass
class Features:
    """The columns a sampler computes on, read row by row and checked in the user's terms."""

    X: Any
    owner: str
    columns: list[int] = field(default_factory=list)
    int_ranges: dict[int, tuple[float, float]] = field(default_factory=dict)

    @classmethod
    def of(cls, X: ArrayLike, owner: str) -> Features:
        advice = (
            f"{owner} interpolates numeric columns, but X has none. Encode the features as "
            "numbers, use SMOTEN for categorical-only data or SMOTENC for mixed data."
        )
        try:
            columns = _containers.numeric_column_positions(X)
        except DataTypeError as exc:
            raise DataTypeError(f"{exc} {advice}") from None
        if not columns:
            raise InvalidDataError(advice)
        return cls(X, owner, columns)

    @property
    def all_columns(self) -> bool:
        return not _containers.is_frame(self.X) and len(self.columns) == self.X.shape[1]

    def rows(self, positions: np.ndarray | None = None) -> Any:
        """float64 values of the numeric columns at ``positions`` (all rows when None)."""
        X = self.X
        if isinstance(X, np.ndarray) and self.all_columns:
            part = X if positions is None else X[positions]
            values: Any = np.asarray(part, dtype=np.float64)
        elif sp.issparse(X):
            part = X.tocsr() if positions is None else X.tocsr()[positions]
            values = sp.csr_matrix(part, dtype=np.float64)[:, self.columns]
        else:
            part = X if positions is None else _containers.take_rows(X, positions)
            values = _containers.numeric_values(part, self.columns)
        self._check_finite(values, positions)
        return values

    def _check_finite(self, values: Matrix, positions: np.ndarray | None) -> None:
        data = values if isinstance(values, np.ndarray) else values.data
        if np.isfinite(data).all():
            return
        bad = ~np.isfinite(values if isinstance(values, np.ndarray) else values.toarray())
        row, j = np.argwhere(bad)[0]
        row = int(row if positions is None else positions[row])
        name = self.column_name(self.columns[j])
        raise InvalidDataError(
            f"{self.owner} computes distances on the numeric columns, and column {name} holds "
            f"{int(bad[:, j].sum())} missing or infinite value(s) in the rows it reads (first at "
            f"row {row}). Impute them (e.g. sklearn.impute.SimpleImputer) or drop those rows "
            "before resampling."
        )

    def column_name(self, pos: int) -> str:
        if _containers.is_frame(self.X):
            return repr(list(self.X.columns)[pos])
        return str(pos)

    def integer_columns(self) -> list[int]:
        """Positions in ``columns`` of integer-typed columns, with their observed ranges."""
        X = self.X
        if _containers.is_frame(X):
            schema = _containers.column_dtypes(X)
            found = [
                j
                for j, pos in enumerate(self.columns)
                if schema[pos].is_integer() or schema[pos] == nw.Boolean
            ]
        elif not sp.issparse(X) and np.asarray(X[:1]).dtype.kind in "iu":
            found = list(range(len(self.columns)))
        else:
            found = []
        if found and not self.int_ranges:
            values = _containers.numeric_values(X, [self.columns[j] for j in found])
            with np.errstate(all="ignore"):
                low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
            self.int_ranges = {
                j: (float(lo), float(hi)) for j, lo, hi in zip(found, low, high, strict=True)
            }
        return found


def numeric_features(X: ArrayLike, owner: str) -> Any:
    """float64 values of the numeric columns of X (a CSR matrix for sparse X), all finite."""
    columns = _containers.numeric_column_positions(X)
    if not columns:
        raise InvalidDataError(
            f"{owner} measures distances between rows on their numeric columns, but X has none. "
            "Encode the features as numbers first (e.g. sklearn.preprocessing.OneHotEncoder)."
        )
    return Features(X, owner, columns).rows()


def neighbours_estimator(spec: NeighborSpec, n_jobs: int | None = None) -> Any:
    """The estimator imbalanced-learn exposes for a neighbours parameter (``nn_k_``, ``nn_m_``).

    An estimator is cloned; an int ``k`` stands for ``NearestNeighbors(n_neighbors=k + 1)``, as
    imbalanced-learn counts the row itself. It is not fitted: this package searches with
    :mod:`imbalance.neighbors`, and only the parameters of this object are meant to be read.
    """
    if is_estimator(spec):
        return clone(spec)
    return NearestNeighbors(n_neighbors=int(spec) + 1, n_jobs=n_jobs)


def check_neighbors_spec(owner: str, param: str, spec: NeighborSpec) -> None:
    """An int >= 1 or an object with ``kneighbors`` and ``n_neighbors`` >= 2."""
    if is_estimator(spec):
        n = spec.get_params().get("n_neighbors") if hasattr(spec, "get_params") else None
        if not isinstance(n, int | np.integer) or n < 2:
            raise InvalidParameterError(
                f"{param} of {owner}, an estimator, must have n_neighbors >= 2 (it counts the "
                f"row itself, as in imbalanced-learn); got n_neighbors={n!r}."
            )
