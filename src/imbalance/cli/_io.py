"""Tables in and out of the command line: CSV or Parquet, with the user's column types."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import InvalidDataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_table", "split_target", "write_table"]


def _kind(path: Path) -> str:
    suffixes = "".join(path.suffixes).lower()
    if suffixes.endswith((".parquet", ".pq")):
        return "parquet"
    if suffixes.endswith((".csv", ".csv.gz", ".txt", ".tsv")):
        return "csv"
    raise InvalidDataError(
        f"{path.name}: unknown file type; use a .csv (or .csv.gz) or a .parquet file."
    )


def read_table(path: str | Path) -> Any:
    """A pandas DataFrame read from a CSV or Parquet file, with a one-line error if it cannot be."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise InvalidDataError(f"{path}: no such file.")
    kind = _kind(path)
    try:
        if kind == "parquet":
            frame = pd.read_parquet(path)
        else:
            sep = "\t" if path.suffix.lower() == ".tsv" else ","
            frame = pd.read_csv(path, sep=sep)
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidDataError(f"{path.name}: cannot be read as {kind.upper()} ({first}).") from exc
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise InvalidDataError(f"{path.name}: the table is empty.")
    return frame


def split_target(frame: pd.DataFrame, target: str, source: str) -> tuple[Any, Any]:
    """Features and target column; the target must exist and have no missing value."""
    if target not in frame.columns:
        shown = ", ".join(map(str, list(frame.columns)[:12]))
        more = ", ..." if frame.shape[1] > 12 else ""
        raise InvalidDataError(
            f"{source} has no column {target!r}; its columns are {shown}{more}. Pass --target NAME."
        )
    y = frame[target]
    missing = int(y.isna().sum())
    if missing:
        raise InvalidDataError(
            f"target column {target!r} has {missing} missing value(s); "
            "drop those rows or fill them."
        )
    X = frame.drop(columns=[target])
    if X.shape[1] == 0:
        raise InvalidDataError(f"{source} has no feature column besides the target {target!r}.")
    return X, y


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a DataFrame as CSV or Parquet, chosen by the file name."""
    path = Path(path)
    if _kind(path) == "parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)
