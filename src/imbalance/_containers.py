"""Round-trip the caller's container: take rows by position and give back the same type.

Supported: numpy arrays (any dtype), scipy.sparse matrices and arrays (the format is kept),
pandas and polars DataFrames and Series through narwhals (index labels, column names and every
dtype kept), and Python lists. Dispatch is by real type (``isinstance`` or narwhals'
``is_*`` helpers), never by class name. This is the package's one true boundary: a caller's
container is typed ``Any`` here (what is accepted is :data:`imbalance._typing.ArrayLike`), and
what leaves towards the algorithms is numpy or scipy.sparse.

Synthetic rows (made by generative samplers) are built as copies of their parent row whose
numeric columns are replaced; integer columns are rounded and clipped to their dtype, and
booleans, categories, strings and datetimes keep the parent's value. In pandas, synthetic rows
get integer index labels counting up from ``max(index) + 1`` when the index is integer and
those labels stay within its dtype (int64: up to 2**63 - 1), and string labels
``"synthetic_0"``, ``"synthetic_1"``, ... otherwise (an integer index near the int64 maximum
included; leading underscores are added until no label collides with an existing one). With
a MultiIndex, a synthetic row's label is that string at every level:
``("synthetic_0", "synthetic_0")``.

DataFrame column labels may be any hashable, ``None`` and tuples included, and come back
unchanged; duplicate column labels are refused (:func:`check_column_labels`).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Mapping
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp

from ._typing import ArrayLike
from .exceptions import DataTypeError, InvalidDataError

__all__ = [
    "as_supported",
    "check_column_labels",
    "copy_tail_columns",
    "interpolate_tail",
    "is_frame",
    "is_series",
    "n_rows",
    "numeric_column_positions",
    "numeric_values",
    "refuse_unsupported",
    "replace_tail",
    "shape_2d",
    "take_rows",
    "target_to_numpy",
    "time_column_positions",
    "time_values",
]


def is_frame(X: ArrayLike) -> bool:
    return bool(nw.dependencies.is_into_dataframe(X))


def is_series(X: ArrayLike) -> bool:
    return bool(nw.dependencies.is_into_series(X))


def as_supported(X: ArrayLike, *, name: str = "X") -> Any:
    """X itself when its container is supported, else a numpy array of it (``__array__``).

    The one check of containers for every entry point: lazy frames, iterators, mappings and
    sets are refused with what to pass instead, and DataFrame column labels are checked
    (:func:`check_column_labels`).
    """
    if X is None or isinstance(X, np.ndarray | list) or sp.issparse(X):
        return X
    if is_frame(X):
        check_column_labels(X, name=name)
        return X
    if is_series(X):
        return X
    if isinstance(X, tuple):
        return list(X)
    refuse_unsupported(X, name=name)
    return np.asarray(X)


def refuse_unsupported(X: ArrayLike, *, name: str = "X") -> None:
    """Raise :class:`DataTypeError` for containers that hold no rows yet or no order."""
    kind = type(X).__name__
    if nw.dependencies.is_into_lazyframe(X) or nw.dependencies.is_narwhals_lazyframe(X):
        raise DataTypeError(
            f"{name} is a lazy frame ({kind}); resampling needs the rows in memory. "
            f"Call .collect() on it first, e.g. {name}.collect()."
        )
    if isinstance(X, Mapping):
        raise DataTypeError(
            f"{name} is a {kind} (a mapping of columns); pass a table instead, e.g. "
            f"pandas.DataFrame({name}) or polars.DataFrame({name})."
        )
    if isinstance(X, Iterator | set | frozenset):
        raise DataTypeError(
            f"{name} is a {kind}, which has no fixed length or row order; pass its rows as a "
            f"list or an array, e.g. np.asarray(list({name}))."
        )


def check_column_labels(X: ArrayLike, *, name: str = "X") -> None:
    """DataFrame column labels: any hashable (None included) is kept; duplicates are refused,
    since a column could not be told from its namesake when the output is rebuilt."""
    columns = getattr(X, "columns", None)
    if columns is None or not nw.dependencies.is_pandas_dataframe(X):
        return  # polars and pyarrow refuse duplicate names themselves
    if columns.has_duplicates:
        dup = list(dict.fromkeys(columns[columns.duplicated()].tolist()))
        raise InvalidDataError(
            f"{name} has duplicate column names {dup!r}; every column needs its own name. "
            f"Rename them (e.g. {name}.columns = [...]) or drop the copies "
            f"({name}.loc[:, ~{name}.columns.duplicated()])."
        )


def n_rows(X: Any) -> int:
    if isinstance(X, np.ndarray) or sp.issparse(X):
        return int(X.shape[0]) if X.ndim > 0 else 0
    if is_frame(X) or is_series(X) or isinstance(X, list | tuple):
        return len(X)
    return n_rows(np.asarray(X))


def shape_2d(X: Any, *, name: str = "X") -> tuple[int, int]:
    """Return ``(n_samples, n_features)`` or raise in the user's terms."""
    if is_frame(X):
        shape = (len(X), len(nw.from_native(X, eager_only=True).columns))
    elif sp.issparse(X):
        shape = tuple(X.shape)
    elif is_series(X):
        raise InvalidDataError(
            f"{name} must be 2-D (n_samples, n_features); got a Series of length {len(X)}. "
            f"Pass a DataFrame, e.g. series.to_frame()."
        )
    else:
        arr = X if isinstance(X, np.ndarray) else np.asarray(X, dtype=object)
        shape = arr.shape
    if len(shape) == 0:
        raise InvalidDataError(
            f"{name} must be 2-D (n_samples, n_features); got a single value ({X!r:.50}). "
            "Pass a table: an array, a list of rows or a DataFrame."
        )
    if len(shape) != 2:
        raise InvalidDataError(
            f"{name} must be 2-D (n_samples, n_features); got shape {shape}. "
            f"Use X.reshape(-1, 1) if it holds a single feature."
        )
    if shape[0] == 0:
        raise InvalidDataError(f"{name} is empty (0 samples); resampling needs at least one row.")
    return int(shape[0]), int(shape[1])


def take_rows(X: Any, indices: np.ndarray) -> Any:
    """Rows of ``X`` at ``indices`` (positions), in the same container type."""
    if isinstance(X, np.ndarray):
        return np.take(X, indices, axis=0)
    if sp.issparse(X):
        fmt = X.format
        rows = X.tocsr()[indices] if fmt not in ("csr", "csc") else X[indices]
        return rows.asformat(fmt)
    if is_frame(X):
        return nw.to_native(nw.from_native(X, eager_only=True)[indices])
    if is_series(X):
        return nw.to_native(nw.from_native(X, series_only=True)[indices])
    return [X[i] for i in indices.tolist()]


def target_to_numpy(y: Any, *, name: str = "y") -> np.ndarray:
    """Labels as a numpy array (1-D, or 2-D for indicators), without touching the caller's y.

    One label-type rule for every container: text labels become an object array of the
    caller's own values, so a list that mixes numbers and text (``[1, 1, "a"]``) is an object
    array of those values, as the same labels in an object array or a Series are (numpy would
    otherwise turn the numbers into text, and the classes would not be the caller's labels).
    """
    if isinstance(y, np.ndarray):
        return y
    if is_series(y):
        return _series_to_numpy(y)
    if is_frame(y):
        check_column_labels(y, name=name)
        return nw.from_native(y, eager_only=True).to_numpy()
    if sp.issparse(y):
        return y.toarray()
    if not isinstance(y, list | tuple):
        refuse_unsupported(y, name=name)
    arr = np.asarray(y)
    if arr.dtype.kind in "US":
        if isinstance(y, list | tuple):
            return np.asarray(y, dtype=object)
        return arr.astype(object)
    return arr


def _series_to_numpy(y: Any) -> np.ndarray:
    if nw.dependencies.is_pandas_series(y) and y.dtype == "category":
        codes = y.cat.codes.to_numpy()
        categories = np.asarray(y.cat.categories, dtype=object)
        out = np.empty(len(y), dtype=object)
        missing = codes < 0
        out[~missing] = categories[codes[~missing]]
        out[missing] = None
        return out
    s = nw.from_native(y, series_only=True)
    if s.dtype == nw.Boolean and not s.null_count():
        return s.to_numpy().astype(bool)
    if s.dtype.is_integer() and not s.null_count():
        return s.to_numpy().astype(np.int64, copy=False)
    return s.to_numpy()


def column_dtypes(X: Any) -> list[Any]:
    """The narwhals dtype of each column of a DataFrame.

    A pandas ``SparseDtype`` column reports the dtype of its values (narwhals has no sparse
    dtype), so that sparse numbers are numbers and sparse booleans are booleans.
    """
    dtypes = list(nw.from_native(X, eager_only=True).schema.values())
    if nw.dependencies.is_pandas_dataframe(X):
        import pandas as pd  # present: X is a pandas object

        for i, native in enumerate(X.dtypes):
            if isinstance(native, pd.SparseDtype):
                empty = pd.DataFrame({"v": np.empty(0, dtype=native.subtype)})
                dtypes[i] = nw.from_native(empty, eager_only=True).schema["v"]
    return dtypes


def numeric_column_positions(X: Any) -> list[int]:
    """Positions of the columns that hold numbers (ints or floats, not booleans)."""
    if is_frame(X):
        return [i for i, dt in enumerate(column_dtypes(X)) if dt.is_numeric()]
    arr = X if isinstance(X, np.ndarray) or sp.issparse(X) else np.asarray(X)
    if arr.dtype.kind == "c":
        raise InvalidDataError(
            "Complex data not supported: X has dtype complex; pass the real and imaginary parts "
            "as separate columns."
        )
    if arr.dtype.kind in "iuf":
        return list(range(arr.shape[1]))
    if arr.dtype.kind == "O" and not sp.issparse(arr):
        try:
            arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise DataTypeError(
                f"X is an object array whose values cannot be read as numbers ({exc}); this "
                "operation needs numeric features. Convert X to numbers, or pass a DataFrame."
            ) from exc
        return list(range(arr.shape[1]))
    return []


def number_like_column_positions(X: Any) -> list[int]:
    """Columns that can be read as numbers: numeric, boolean, and, in a DataFrame, object
    columns whose values are all real numbers (booleans included) or missing."""
    if not is_frame(X):
        return numeric_column_positions(X)
    frame = nw.from_native(X, eager_only=True)
    out = []
    for i, (name, dt) in enumerate(zip(frame.columns, column_dtypes(X), strict=True)):
        if dt.is_numeric() or dt == nw.Boolean:
            out.append(i)
        elif dt == nw.Object:
            values = frame.get_column(name).drop_nulls().to_list()
            if all(isinstance(v, numbers.Real) and v == v for v in values):
                out.append(i)
    return out


def numeric_values(X: Any, columns: list[int]) -> np.ndarray | sp.csr_matrix:
    """The given columns as float64 (sparse stays sparse); missing values become NaN."""
    if sp.issparse(X):
        return sp.csr_matrix(X, dtype=np.float64)[:, columns]
    if is_frame(X):
        frame = nw.from_native(X, eager_only=True)
        names = [frame.columns[i] for i in columns]
        out = np.empty((len(frame), len(names)), dtype=np.float64)
        for j, name in enumerate(names):
            out[:, j] = frame.get_column(name).cast(nw.Float64).fill_null(float("nan")).to_numpy()
        return out
    arr = X if isinstance(X, np.ndarray) else np.asarray(X)
    return np.asarray(arr[:, columns], dtype=np.float64)


def replace_tail(X_res: Any, columns: list[int], values: Any, like: Any) -> Any:
    """Overwrite ``columns`` of the last ``len(values)`` rows of ``X_res`` with ``values``.

    ``X_res`` is a fresh container made by :func:`take_rows` (never the caller's). In pandas,
    the tail also gets synthetic index labels (see the module docstring).
    """
    n_new = values.shape[0]
    if n_new == 0:
        return X_res
    if isinstance(X_res, np.ndarray):
        X_res[X_res.shape[0] - n_new :, columns] = _cast_like(np.asarray(values), X_res.dtype)
        return X_res
    if sp.issparse(X_res):
        if not columns:
            return X_res
        head = X_res.tocsr()[: X_res.shape[0] - n_new]
        if len(columns) != X_res.shape[1]:
            part = X_res.tocsr()[X_res.shape[0] - n_new :].tolil()
            dense = values.toarray() if sp.issparse(values) else np.asarray(values)
            part[:, columns] = _cast_like(dense, X_res.dtype)
            return sp.vstack([head, part.tocsr()], format=X_res.format)
        if sp.issparse(values):
            tail = sp.csr_matrix(values, dtype=np.float64)
            tail.data = _cast_like(tail.data, X_res.dtype)
            tail = tail.astype(X_res.dtype)
        else:
            tail = sp.csr_matrix(_cast_like(np.asarray(values), X_res.dtype))
        return sp.vstack([head, tail], format=X_res.format)
    if is_frame(X_res):
        return _replace_tail_frame(X_res, columns, np.asarray(values), like)
    arr = np.asarray(X_res)
    arr[arr.shape[0] - n_new :, columns] = _cast_like(np.asarray(values), arr.dtype)
    return arr.tolist()


def _cast_like(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return np.clip(np.rint(values), info.min, info.max).astype(dtype)
    return values.astype(dtype, copy=False)


def _replace_tail_frame(X_res: Any, columns: list[int], values: np.ndarray, like: Any) -> Any:
    frame = nw.from_native(X_res, eager_only=True)
    n_head = len(frame) - values.shape[0]
    dtypes = column_dtypes(X_res)
    replaced = []
    for j, pos in enumerate(columns):
        name = frame.columns[pos]
        col = frame.get_column(name)
        if _is_time(col.dtype):
            replaced.append(_time_series(col, n_head, values[:, j]))
            continue
        tail = values[:, j]
        if dtypes[pos].is_integer() or dtypes[pos] == nw.Boolean:
            tail = np.rint(tail)
        head = col[:n_head].cast(nw.Float64).fill_null(float("nan")).to_numpy()
        full = nw.new_series(
            name, np.concatenate([head, tail]), nw.Float64, backend=frame.implementation
        )
        replaced.append(_cast_series(full, col))
    out = _set_columns(frame, columns, replaced)
    return relabel_tail(out, values.shape[0], like)


def _set_columns(frame: Any, positions: list[int], series: list[Any]) -> Any:
    """The native frame with the columns at ``positions`` replaced by ``series``.

    pandas columns are set by position, so that any label (None, a tuple) is kept as it is;
    narwhals' ``with_columns`` matches by name, and renames a column labelled None.
    """
    native = nw.to_native(frame)
    if not nw.dependencies.is_pandas_dataframe(native):
        return nw.to_native(frame.with_columns(series))
    out = native.copy(deep=False)
    for pos, col in zip(positions, series, strict=True):
        out.isetitem(pos, nw.to_native(col).array)
    return out


def _cast_series(full: Any, original: Any) -> Any:
    native = nw.to_native(original)
    if nw.dependencies.is_pandas_series(native):
        import pandas as pd  # present: the caller gave us a pandas object

        values = full.to_numpy()
        source: Any = (
            getattr(native.dtype, "numpy_dtype", None)
            or getattr(native.dtype, "subtype", None)  # SparseDtype
            or native.dtype
        )
        np_dtype = np.dtype(source)
        if np_dtype.kind in "iu":
            info = np.iinfo(np_dtype)
            values = np.clip(values, info.min, info.max)
        if isinstance(native.dtype, np.dtype):
            arr = values.astype(native.dtype)
        else:
            arr = pd.array(values, dtype=native.dtype)
        return nw.from_native(
            pd.Series(arr, name=native.name, index=native.index), series_only=True
        )
    if original.dtype.is_integer():
        full = full.fill_nan(None)
    return full.cast(original.dtype)


def _numpy_dtype(dtype: Any) -> np.dtype:
    """The numpy dtype of a pandas dtype (``Int64`` gives int64)."""
    return np.dtype(getattr(dtype, "numpy_dtype", dtype))


def relabel_tail(X_res: ArrayLike, n_new: int, like: Any) -> Any:
    """Give the last ``n_new`` rows of a pandas object labels that cannot collide (see above)."""
    if n_new == 0 or not (
        nw.dependencies.is_pandas_dataframe(X_res) or nw.dependencies.is_pandas_series(X_res)
    ):
        return X_res
    import pandas as pd

    index = like.index
    integer = pd.api.types.is_integer_dtype(index.dtype)
    start = int(index.max()) + 1 if integer and len(index) else 0
    if integer and start + n_new - 1 <= np.iinfo(_numpy_dtype(index.dtype)).max:
        new = pd.Index(np.arange(start, start + n_new, dtype=_numpy_dtype(index.dtype)))
    else:
        first_level = index.get_level_values(0) if isinstance(index, pd.MultiIndex) else index
        prefix = "synthetic_"
        existing = set(first_level.astype(str))
        while any(label.startswith(prefix) for label in existing):
            prefix = "_" + prefix
        labels = [f"{prefix}{i}" for i in range(n_new)]
        if isinstance(index, pd.MultiIndex):
            new = pd.MultiIndex.from_tuples([(label,) * index.nlevels for label in labels])
        else:
            new = pd.Index(labels, dtype=object)
    head = X_res.index[: len(X_res) - n_new]
    X_res.index = head.append(new)
    return X_res


def copy_tail_columns(X_res: Any, X: Any, sources: Any) -> Any:
    """Set column ``pos`` of the last rows of ``X_res`` to ``X``'s values at rows ``sources[pos]``.

    Used for synthetic rows whose non-numeric columns come from a chosen parent (a category
    voted by neighbours, the nearer parent's boolean). The dtype of every column is kept.
    """
    n_new = len(next(iter(sources.values())))
    n_head = n_rows(X_res) - n_new
    if isinstance(X_res, np.ndarray):
        for pos, src in sources.items():
            X_res[n_head:, pos] = X[src, pos]
        return X_res
    if sp.issparse(X_res):
        fmt = X_res.format
        tail = X_res.tocsr()[n_head:].tolil()
        source = X.tocsr()
        for pos, src in sources.items():
            tail[:, pos] = source[src][:, [pos]]
        return sp.vstack([X_res.tocsr()[:n_head], tail.tocsr()], format=fmt)
    if is_frame(X_res):
        frame = nw.from_native(X_res, eager_only=True)
        origin = nw.from_native(X, eager_only=True)
        columns = []
        for pos, src in sources.items():
            name = frame.columns[pos]
            both = nw.concat(
                [frame[:n_head].select(nw.col(name)), origin[src].select(nw.col(name))]
            )
            columns.append(_positional(both.get_column(name), frame))
        return _set_columns(frame, list(sources), columns)
    out = [list(row) for row in X_res]
    for pos, src in sources.items():
        for i, r in enumerate(src.tolist()):
            out[n_head + i][pos] = X[r][pos]
    return out


def _positional(series: Any, frame: Any) -> Any:
    """``series`` aligned to ``frame`` by position (pandas indexes are replaced)."""
    native = nw.to_native(series)
    if nw.dependencies.is_pandas_series(native):
        native = native.set_axis(nw.to_native(frame).index)
        return nw.from_native(native, series_only=True)
    return series


def _is_time(dtype: Any) -> bool:
    return bool(dtype == nw.Datetime or dtype == nw.Duration)


def time_column_positions(X: ArrayLike) -> list[int]:
    """Positions of the datetime and timedelta columns of a pandas or polars DataFrame.

    Other containers (and pandas columns backed by pyarrow) report none: their time columns
    are treated like any other non-numeric column.
    """
    if not (nw.dependencies.is_pandas_dataframe(X) or nw.dependencies.is_polars_dataframe(X)):
        return []
    schema = nw.from_native(X, eager_only=True).schema
    out = []
    for i, (name, dtype) in enumerate(schema.items()):
        if _is_time(dtype) and _time_unit_values(X, name) is not None:
            out.append(i)
    return out


def time_values(X: Any, columns: list[int]) -> np.ndarray:
    """Time columns as float64 counts of their own unit since the epoch (NaN where missing)."""
    names = list(nw.from_native(X, eager_only=True).columns)
    out = np.empty((n_rows(X), len(columns)), dtype=np.float64)
    for j, pos in enumerate(columns):
        values = _time_unit_values(X, names[pos])
        assert values is not None  # time_column_positions only lists readable columns
        out[:, j] = values
    return out


def _time_unit_values(X: Any, name: Any) -> np.ndarray | None:
    native = X[name]
    if nw.dependencies.is_polars_dataframe(X):
        ints = native.to_physical().cast(_polars().Float64)
        return np.asarray(ints.fill_null(float("nan")).to_numpy(), dtype=np.float64)
    dtype = native.dtype
    if not isinstance(dtype, np.dtype):
        tz = getattr(dtype, "tz", None)
        if tz is None or getattr(dtype, "unit", None) is None:
            return None
        native = native.dt.tz_convert("UTC").dt.tz_localize(None)
    raw = native.to_numpy()
    if raw.dtype.kind not in "mM":
        return None
    ints = raw.view(np.int64).astype(np.float64)
    ints[np.isnat(raw)] = np.nan
    return ints


def _polars() -> Any:
    import polars as pl  # present: the caller gave us a polars object

    return pl


def _time_series(col: Any, n_head: int, tail: np.ndarray) -> Any:
    """The column with its last ``len(tail)`` values replaced by times given as unit counts."""
    native = nw.to_native(col)
    ints = np.where(np.isnan(tail), 0, np.rint(tail)).astype(np.int64)
    missing = np.isnan(tail)
    if nw.dependencies.is_polars_series(native):
        pl = _polars()
        new = pl.Series(native.name, ints, dtype=pl.Int64)
        new = new.set(pl.Series(missing), None) if missing.any() else new
        tail_series = new.cast(native.dtype)
        return nw.from_native(pl.concat([native[:n_head], tail_series]), series_only=True)
    import pandas as pd

    dtype = native.dtype
    base_dtype = np.dtype(getattr(dtype, "base", dtype))
    if not isinstance(dtype, np.dtype):
        base_dtype = np.dtype(f"datetime64[{dtype.unit}]")
    raw = ints.view(base_dtype).copy()
    raw[missing] = np.array("NaT", dtype=base_dtype)
    tail_native = pd.Series(raw, name=native.name)
    if not isinstance(dtype, np.dtype):
        tail_native = tail_native.dt.tz_localize("UTC").dt.tz_convert(dtype.tz)
    head = native.iloc[:n_head]
    full = pd.concat([head, tail_native], ignore_index=True).set_axis(native.index)
    return nw.from_native(full.astype(dtype), series_only=True)


def interpolate_tail(
    X_res: np.ndarray, X: np.ndarray, partners: np.ndarray, steps: np.ndarray
) -> np.ndarray:
    """Move each of the last ``len(steps)`` rows of ``X_res`` towards ``X[partners]``, in place.

    ``X_res`` ends with copies of the first parents (numpy, float dtype); row ``i`` of the tail
    becomes ``tail_i + steps[i] * (X[partners[i]] - tail_i)``, computed in chunks so that no
    copy of the new rows is ever made. Where the difference of two rows could overflow (values
    near 1e308 of opposite signs), a chunk is computed as ``(1 - step) * tail + step * partner``
    instead: the same point, and always finite.
    """
    n_new = len(steps)
    tail = X_res[X_res.shape[0] - n_new :]
    chunk = max(1, (1 << 16) // max(X_res.shape[1], 1))  # temporaries of about 0.5 MiB
    limit = float(np.finfo(X_res.dtype).max) / 2
    for start in range(0, n_new, chunk):
        stop = min(start + chunk, n_new)
        part = tail[start:stop]
        other = X[partners[start:stop]].astype(X_res.dtype, copy=False)
        step = steps[start:stop, None].astype(X_res.dtype, copy=False)
        if other.size and _largest(part) + _largest(other) >= limit:
            part *= 1 - step
            other *= step
        else:
            other -= part
            other *= step
        part += other
    return X_res


def _largest(values: np.ndarray) -> float:
    """The largest absolute value, from two reductions and no temporary array."""
    return max(float(values.max()), -float(values.min()))
