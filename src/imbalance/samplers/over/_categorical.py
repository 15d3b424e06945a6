"""Categorical columns for SMOTENC and SMOTEN: detection, integer codes, votes, VDM tables.

The distances of those tables, and the neighbours under them, are computed by
:mod:`imbalance.neighbors` (its table metrics).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp

from ... import _containers
from ..._typing import ArrayLike
from ...exceptions import InvalidParameterError

__all__ = [
    "column_codes",
    "detect_categorical",
    "object_columns",
    "resolve_categorical",
    "vdm_tables",
    "vote",
]

_MISSING = object()


def detect_categorical(X: ArrayLike) -> list[int]:
    """Columns that hold categories: category/enum, string, boolean and object dtypes.

    In a numpy object array, a column is categorical unless every value is a real number.
    Numeric numpy arrays and sparse matrices have none.
    """
    if _containers.is_frame(X):
        schema = dict(enumerate(_containers.column_dtypes(X)))
        return [
            i
            for i, dt in enumerate(schema.values())
            if not (dt.is_numeric() or dt == nw.Datetime or dt == nw.Duration or dt == nw.Date)
            or dt == nw.Boolean
        ]
    if sp.issparse(X):
        return []
    arr = X if isinstance(X, np.ndarray) else np.asarray(X, dtype=object)
    if arr.dtype.kind == "b":
        return list(range(arr.shape[1]))
    if arr.dtype.kind != "O":
        return [] if arr.dtype.kind in "iuf" else list(range(arr.shape[1]))
    return [j for j in range(arr.shape[1]) if not all(_is_number(v) for v in arr[:, j])]


def _is_number(v: object) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_)


def resolve_categorical(X: Any, spec: Any, owner: str) -> list[int]:
    """Positions of the categorical columns from ``categorical_features``."""
    n_features = _containers.shape_2d(X)[1]
    if isinstance(spec, str):
        if spec == "auto":
            return detect_categorical(X)
        raise InvalidParameterError(
            f"categorical_features of {owner} must be 'auto', positions, a boolean mask or "
            f"column names; got the string {spec!r}. Wrap one name in a list: [{spec!r}]."
        )
    try:
        values = list(spec)
    except TypeError:
        raise InvalidParameterError(
            f"categorical_features of {owner} must be 'auto', positions, a boolean mask or "
            f"column names; got {spec!r}."
        ) from None
    if values and all(isinstance(v, bool | np.bool_) for v in values):
        if len(values) != n_features:
            raise InvalidParameterError(
                f"categorical_features of {owner}, a boolean mask, must have one entry per "
                f"column of X ({n_features}); got {len(values)}."
            )
        return [i for i, v in enumerate(values) if v]
    names = list(X.columns) if _containers.is_frame(X) else []
    out = []
    for v in values:
        if isinstance(v, numbers.Integral) and not isinstance(v, bool):
            if not -n_features <= int(v) < n_features:
                raise InvalidParameterError(
                    f"categorical_features of {owner} names column {v}, but X has "
                    f"{n_features} columns (0 to {n_features - 1})."
                )
            out.append(int(v) % n_features)
        elif v in names:
            out.append(names.index(v))
        else:
            raise InvalidParameterError(
                f"categorical_features of {owner} names {v!r}, which is not a column of X; "
                f"give positions, a boolean mask, column names ({names[:5]!r}...) or 'auto'."
            )
    return sorted(set(out))


def _key(v: object) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is np.datetime64("NaT"):
        return _MISSING
    try:
        hash(v)
    except TypeError:
        return repr(v)
    return v


def column_codes(X: ArrayLike, columns: list[int]) -> np.ndarray:
    """Integer codes of the values of ``columns`` (missing values are a category of their own)."""
    n = _containers.n_rows(X)
    out = np.empty((n, len(columns)), dtype=np.intp)
    for j, pos in enumerate(columns):
        lookup: dict[Any, int] = {}
        values = _column(X, pos)
        out[:, j] = [lookup.setdefault(_key(v), len(lookup)) for v in values.tolist()]
    return out


def _column(X: Any, pos: int) -> np.ndarray:
    if _containers.is_frame(X):
        frame = nw.from_native(X, eager_only=True)
        series = frame.get_column(frame.columns[pos])
        native = nw.to_native(series)
        if nw.dependencies.is_pandas_series(native):
            return np.asarray(native.astype(object).to_numpy(), dtype=object)
        return np.asarray(series.to_numpy(), dtype=object)
    if sp.issparse(X):
        return np.asarray(X.tocsc()[:, pos].toarray()).ravel()
    arr = X if isinstance(X, np.ndarray) else np.asarray(X, dtype=object)
    return arr[:, pos]


def object_columns(X: Any, columns: list[int]) -> np.ndarray:
    """The values of ``columns`` as an object array of shape (n_rows, len(columns))."""
    out = np.empty((_containers.n_rows(X), len(columns)), dtype=object)
    if sp.issparse(X):
        X = X.tocsc()
    for j, pos in enumerate(columns):
        out[:, j] = _column(X, pos)
    return out


def vote(
    codes: np.ndarray,
    voters: np.ndarray,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """For each row of ``voters`` (positions), the column of a voter holding the most common code.

    ``codes`` are one categorical column's codes for every row of X. Ties between equally
    common codes are broken uniformly at random with ``rng``, or, without one, go to the
    smallest code.
    """
    values = codes[voters]
    counts = (values[:, :, None] == values[:, None, :]).sum(axis=2)
    top = counts == counts.max(axis=1, keepdims=True)
    if rng is None:
        return np.argmin(np.where(top, values, np.iinfo(values.dtype).max), axis=1)
    # Tied codes have the same count, so a uniform position among the tied ones is a uniform
    # choice among the tied codes.
    return np.argmax(np.where(top, rng.random(values.shape), -1.0), axis=1)


def vdm_tables(codes: np.ndarray, classes: np.ndarray, n_classes: int) -> list[np.ndarray]:
    """Per column, the squared value difference between every two of its codes.

    ``table[a, b] = (sum_c |P(c | a) - P(c | b)|) ** 2`` with class probabilities from all rows.
    """
    tables = []
    for j in range(codes.shape[1]):
        n_values = int(codes[:, j].max()) + 1
        counts = np.zeros((n_values, n_classes))
        np.add.at(counts, (codes[:, j], classes), 1.0)
        proba = counts / counts.sum(axis=1, keepdims=True)
        l1 = np.abs(proba[:, None, :] - proba[None, :, :]).sum(axis=2)
        tables.append(l1**2)
    return tables
