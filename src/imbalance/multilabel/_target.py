"""Multi-label targets: read once into a sparse 0/1 matrix, written back in the caller's form.

Two forms are accepted, as scikit-learn and torch users hold them:

- an **indicator**: a 2-D 0/1 (or boolean) array, sparse matrix, pandas or polars DataFrame, or a
  rectangular list of 0/1 lists (read as scikit-learn reads it); the labels are the columns
  (the column names of a DataFrame, the positions ``0 .. n_labels - 1`` otherwise);
- **label sets**: one collection of labels per row (lists, tuples, sets, arrays), as a list, a
  1-D object array, or a pandas or polars Series of lists; the labels are the distinct values,
  sorted. Rows may be empty. A rectangular list of lists whose values are all 0 and 1 is read
  as an indicator; pass sets (``[{0, 1}, {1}]``) to mean label sets of 0s and 1s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp

from .._containers import as_supported, is_frame, is_series, relabel_tail, take_rows
from .._typing import ArrayLike
from ..exceptions import DataTypeError, InvalidDataError

__all__ = ["LabelMatrix", "check_lengths", "encode_multilabel", "write_labels"]

_SET_TYPES = (list, tuple, set, frozenset, np.ndarray)


@dataclass(frozen=True)
class LabelMatrix:
    """A multi-label target as a CSR matrix of ones (rows: samples, columns: labels).

    ``Y`` has sorted column indices and no explicit zeros; ``labels`` names the columns (column
    names, positions or label values); ``form`` is how the caller gave it.
    """

    Y: sp.csr_matrix
    labels: list[Any]
    form: Literal["indicator", "sets"]

    @property
    def n_samples(self) -> int:
        return int(self.Y.shape[0])

    @property
    def n_labels(self) -> int:
        return int(self.Y.shape[1])

    @property
    def counts(self) -> np.ndarray:
        """Positive rows of each label, int64."""
        return np.bincount(self.Y.indices, minlength=self.n_labels).astype(np.int64)

    @property
    def cardinalities(self) -> np.ndarray:
        """Number of labels of each row, int64."""
        return np.diff(self.Y.indptr).astype(np.int64)

    def dense(self) -> np.ndarray:
        """The indicator as a boolean array of shape (n_samples, n_labels)."""
        out = np.zeros(self.Y.shape, dtype=bool)
        rows = np.repeat(np.arange(self.n_samples), np.diff(self.Y.indptr))
        out[rows, self.Y.indices] = True
        return out

    def name(self, j: int) -> str:
        """How label ``j`` is called in messages."""
        if self.form == "indicator" and self.labels[j] != j:
            return f"{self.labels[j]!r} (column {j})"
        return repr(self.labels[j])


def encode_multilabel(Y: ArrayLike, *, name: str = "Y") -> LabelMatrix:
    """Read ``Y`` (an indicator or label sets, see the module docstring) into a LabelMatrix."""
    if Y is None:
        raise InvalidDataError(
            f"{name} is None; pass the labels of every row, as a 0/1 indicator of shape "
            "(n_samples, n_labels) or a list of label lists."
        )
    Y = as_supported(Y)
    if sp.issparse(Y):
        return _from_sparse(Y, name)
    if is_frame(Y):
        frame = nw.from_native(Y, eager_only=True)
        _check_no_nulls(frame, name)
        return _from_dense(frame.to_numpy(), list(frame.columns), name)
    if is_series(Y):
        return _from_sets(nw.from_native(Y, series_only=True).to_list(), name)
    if isinstance(Y, list):
        return _from_list(Y, name)
    arr = np.asarray(Y)
    if arr.ndim == 1 and arr.dtype == object and all(isinstance(v, _SET_TYPES) for v in arr):
        return _from_sets(list(arr), name)
    if arr.ndim != 2:
        raise InvalidDataError(_one_d_message(name, arr.shape))
    return _from_dense(arr, list(range(arr.shape[1])), name)


def _one_d_message(name: str, shape: tuple[int, ...]) -> str:
    return (
        f"{name} must be multi-label: a 0/1 indicator of shape (n_samples, n_labels) or one list "
        f"of labels per row; got shape {shape}. For one class per row use imbalance.samplers; "
        "to mean one label per row here, wrap each: [[label] for label in y]."
    )


def _check_no_nulls(frame: nw.DataFrame[Any], name: str) -> None:
    for column in frame.columns:
        series = frame.get_column(column)
        if series.null_count():
            row = int(np.flatnonzero(series.is_null().to_numpy())[0])
            raise InvalidDataError(
                f"{name} column {column!r} has {series.null_count()} missing label(s), first at "
                f"row {row}. Fill them (0 or 1) or drop those rows before resampling or splitting."
            )


def _from_list(Y: list[Any], name: str) -> LabelMatrix:
    if not Y:
        raise InvalidDataError(f"{name} is empty (0 rows); pass the labels of every row.")
    if not any(isinstance(v, _SET_TYPES) for v in Y):
        raise InvalidDataError(
            f"{name} is a list of single labels (first {Y[0]!r}), not of label lists. "
            + _one_d_message(name, (len(Y),)).split("; ", 1)[1]
        )
    if any(isinstance(v, set | frozenset) for v in Y):
        return _from_sets(Y, name)
    lengths = {len(v) for v in Y}
    if len(lengths) == 1:
        try:
            arr = np.asarray(Y)
        except ValueError:
            arr = np.empty(0, dtype=object)
        binary = arr.ndim == 2 and arr.dtype.kind in "biuf" and np.isin(arr, (0, 1)).all()
        if binary and arr.shape[1] > 0:
            return _from_dense(arr, list(range(arr.shape[1])), name)
    return _from_sets(Y, name)


def _from_dense(arr: np.ndarray, labels: list[Any], name: str) -> LabelMatrix:
    if arr.shape[0] == 0:
        raise InvalidDataError(f"{name} is empty (0 rows); pass the labels of every row.")
    if arr.shape[1] == 0:
        raise InvalidDataError(f"{name} has no label column (shape {arr.shape}).")
    if arr.dtype.kind not in "biuf":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise DataTypeError(
                f"{name} is an indicator whose values are not numbers (dtype {arr.dtype}); "
                "pass 0/1 values, or one list of labels per row."
            ) from exc
    _check_binary(arr, labels, name)
    return LabelMatrix(_canonical(sp.csr_matrix(arr != 0)), labels, "indicator")


def _check_binary(arr: np.ndarray, labels: list[Any], name: str) -> None:
    if arr.dtype.kind == "b":
        return
    bad = ~np.isin(arr, (0, 1))
    if not bad.any():
        return
    row, col = (int(v[0]) for v in np.nonzero(bad))
    value = arr[row, col].item()
    missing = isinstance(value, float) and np.isnan(value)
    what = "a missing value (NaN)" if missing else f"value {value!r}"
    raise InvalidDataError(
        f"{name} must hold only 0 and 1; it has {int(bad.sum())} other value(s), first "
        f"{what} at row {row}, label {labels[col]!r}. Binarise it (e.g. Y > 0.5) or fill "
        "missing labels before resampling or splitting."
    )


def _from_sparse(Y: ArrayLike, name: str) -> LabelMatrix:
    csr = sp.csr_matrix(Y)
    if csr.shape[0] == 0 or csr.shape[1] == 0:
        raise InvalidDataError(f"{name} is empty (shape {csr.shape}).")
    csr.sum_duplicates()
    labels = list(range(csr.shape[1]))
    if csr.data.size and not np.isin(csr.data, (0, 1)).all():
        probe = csr.tocoo()
        k = int(np.flatnonzero(~np.isin(probe.data, (0, 1)))[0])
        raise InvalidDataError(
            f"{name} must hold only 0 and 1; found value {probe.data[k].item()!r} at row "
            f"{int(probe.row[k])}, "
            f"label {int(probe.col[k])}. Binarise it (e.g. Y > 0.5) first."
        )
    return LabelMatrix(_canonical(sp.csr_matrix(csr != 0)), labels, "indicator")


def _canonical(csr: sp.csr_matrix) -> sp.csr_matrix:
    csr = sp.csr_matrix(csr, dtype=np.int32)
    csr.eliminate_zeros()
    csr.sort_indices()
    csr.data[:] = 1
    return csr


def _from_sets(rows: Sequence[Any], name: str) -> LabelMatrix:
    if len(rows) == 0:
        raise InvalidDataError(f"{name} is empty (0 rows); pass the labels of every row.")
    for i, row in enumerate(rows):
        if not isinstance(row, _SET_TYPES):
            hint = (
                " (a string is not a label list: wrap it, ['ab'])" if isinstance(row, str) else ""
            )
            raise InvalidDataError(
                f"{name} row {i} is {row!r}, not a collection of labels{hint}; give every row a "
                "list of labels (an empty list for none)."
            )
    try:
        distinct = set().union(*(set(_items(r)) for r in rows))
    except TypeError as exc:
        raise DataTypeError(
            f"{name} holds labels that cannot be hashed ({exc}); use strings or numbers."
        ) from exc
    if not distinct:
        raise InvalidDataError(f"{name} has no label at all: every row's label list is empty.")
    labels = _sorted_labels(distinct, name)
    column = {label: j for j, label in enumerate(labels)}
    indices = np.fromiter((column[v] for r in rows for v in set(_items(r))), dtype=np.int64)
    lengths = np.fromiter((len(set(_items(r))) for r in rows), dtype=np.int64, count=len(rows))
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    csr = sp.csr_matrix(
        (np.ones(indices.size, dtype=np.int32), indices, indptr), shape=(len(rows), len(labels))
    )
    return LabelMatrix(_canonical(csr), labels, "sets")


def _items(row: Any) -> Iterable[Any]:
    return row.tolist() if isinstance(row, np.ndarray) else row


def _sorted_labels(distinct: set[Any], name: str) -> list[Any]:
    if any(v is None or (isinstance(v, float) and v != v) for v in distinct):
        raise InvalidDataError(
            f"{name} holds a missing label (None or NaN) in a label list; drop it from the list."
        )
    try:
        return sorted(distinct)
    except TypeError as exc:
        kinds = sorted({type(v).__name__ for v in distinct})
        raise DataTypeError(
            f"{name} mixes label types that cannot be compared ({', '.join(kinds)}); use one "
            "type for every label, e.g. strings."
        ) from exc


def check_lengths(n_samples: int, target: LabelMatrix, *, x_name: str = "X") -> None:
    """Raise when X and Y do not have one row each per sample."""
    if target.n_samples != n_samples:
        raise InvalidDataError(
            f"{x_name} and Y have different lengths: {x_name} has {n_samples} rows, Y has "
            f"{target.n_samples}. Pass one label row per row of {x_name}."
        )


# --------------------------------------------------------------------------------------------
# Writing labels back


def write_labels(
    Y: ArrayLike,
    target: LabelMatrix,
    rows: np.ndarray,
    changed: np.ndarray,
    new: np.ndarray,
    n_new: int,
) -> Any:
    """Rows ``rows`` of ``Y``, with output rows ``changed`` given the labels ``new``.

    ``new`` is a boolean array of shape ``(len(changed), n_labels)``. The result has the type
    and form of ``Y``; in pandas the last ``n_new`` rows get synthetic index labels.
    """
    Y = as_supported(Y)
    out = take_rows(Y, rows)
    if changed.size:
        out = _set_rows(out, target, changed, new)
    return relabel_tail(out, n_new, like=Y)


def _set_rows(out: Any, target: LabelMatrix, at: np.ndarray, new: np.ndarray) -> Any:
    if target.form == "sets":
        return _set_label_lists(out, target, at, new)
    if isinstance(out, np.ndarray):
        out[at] = new.astype(out.dtype)
        return out
    if sp.issparse(out):
        return _set_sparse_rows(out, at, new)
    if nw.dependencies.is_pandas_dataframe(out):
        return _set_pandas_rows(out, at, new)
    if nw.dependencies.is_polars_dataframe(out):
        return _set_polars_rows(out, at, new)
    if is_frame(out):  # another eager backend: through narwhals, dtypes cast back
        return _set_narwhals_rows(out, at, new)
    rows = list(out)
    for i, values in zip(at.tolist(), new, strict=True):
        template = np.asarray(rows[i])
        rows[i] = type(rows[i])(values.astype(template.dtype).tolist())
    return rows


def _set_sparse_rows(out: Any, at: np.ndarray, new: np.ndarray) -> Any:
    csr = out.tocsr()
    keep = np.ones(csr.shape[0])
    keep[at] = 0.0
    r, c = np.nonzero(new)
    added = sp.csr_matrix(
        (np.ones(r.size, dtype=csr.dtype), (at[r], c)), shape=csr.shape, dtype=csr.dtype
    )
    result = sp.diags(keep).tocsr() @ csr + added
    return sp.csr_matrix(result, dtype=csr.dtype).asformat(out.format)


def _set_pandas_rows(out: Any, at: np.ndarray, new: np.ndarray) -> Any:
    import pandas as pd  # present: the caller gave us a pandas object

    out = out.copy()
    for j in range(out.shape[1]):
        column = out.iloc[:, j]
        values = column.to_numpy(dtype=np.float64, copy=True)
        values[at] = new[:, j]
        out.isetitem(j, pd.Series(values, index=out.index).astype(column.dtype))
    return out


def _set_polars_rows(out: Any, at: np.ndarray, new: np.ndarray) -> Any:
    import polars as pl  # present: the caller gave us a polars object

    columns = []
    for j, name in enumerate(out.columns):
        column = out.get_column(name)
        values = column.cast(pl.Float64).to_numpy().copy()
        values[at] = new[:, j]
        columns.append(pl.Series(name, values).cast(column.dtype))
    return pl.DataFrame(columns)


def _set_narwhals_rows(out: Any, at: np.ndarray, new: np.ndarray) -> Any:
    frame = nw.from_native(out, eager_only=True)
    columns = []
    for j, name in enumerate(frame.columns):
        column = frame.get_column(name)
        values = column.cast(nw.Float64).to_numpy().copy()
        values[at] = new[:, j]
        series = nw.new_series(name, values, nw.Float64, backend=frame.implementation)
        columns.append(series.cast(column.dtype))
    return nw.to_native(frame.with_columns(columns))


def _set_label_lists(out: Any, target: LabelMatrix, at: np.ndarray, new: np.ndarray) -> Any:
    labels = np.asarray(target.labels, dtype=object)
    if is_series(out):
        native = nw.from_native(out, series_only=True)
        values = native.to_list()
        for i, row in zip(at.tolist(), new, strict=True):
            values[i] = _like(values[i], labels[row].tolist())
        if nw.dependencies.is_polars_series(out):
            import polars as pl

            return pl.Series(out.name, values, dtype=out.dtype)
        import pandas as pd

        holder = np.empty(len(values), dtype=object)
        for i, v in enumerate(values):
            holder[i] = v
        return pd.Series(holder, index=out.index, name=out.name)
    seq = out if isinstance(out, np.ndarray) else list(out)
    for i, row in zip(at.tolist(), new, strict=True):
        seq[i] = _like(seq[i], labels[row].tolist())
    return seq


def _like(template: Any, labels: list[Any]) -> Any:
    """``labels`` in the same kind of collection as ``template``."""
    if isinstance(template, np.ndarray):
        keep = template.dtype.kind not in "US"  # fixed-width strings would truncate new labels
        return np.asarray(labels, dtype=template.dtype if keep else None)
    if isinstance(template, tuple | set | frozenset):
        return type(template)(labels)
    return list(labels)
