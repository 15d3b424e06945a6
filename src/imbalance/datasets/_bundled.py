"""Real imbalanced data sets shipped with the package (see data/README.md for sources)."""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from sklearn.utils import Bunch

from ..exceptions import InvalidParameterError

__all__ = [
    "DatasetInfo",
    "list_datasets",
    "load_abalone19",
    "load_car_vgood",
    "load_dataset",
    "load_page_blocks0",
    "load_yeast4",
]

_LICENCE = "CC BY 4.0 (UCI Machine Learning Repository); KEEL imbalanced version"


@dataclass(frozen=True)
class DatasetInfo:
    """What a bundled data set holds, and where it comes from."""

    name: str
    n_samples: int
    n_features: int
    n_positive: int
    target: str
    description: str
    source: str
    licence: str = _LICENCE

    @property
    def imbalance_ratio(self) -> float:
        """Majority rows per minority row."""
        return (self.n_samples - self.n_positive) / self.n_positive


_DATASETS = {
    d.name: d
    for d in [
        DatasetInfo(
            "abalone19",
            4174,
            8,
            32,
            "age_19",
            "Abalone physical measurements; positive: 19 rings (age), against all other ages.",
            "Nash et al. (1994), UCI Abalone, doi:10.24432/C55C7W",
        ),
        DatasetInfo(
            "car_vgood",
            1728,
            6,
            65,
            "very_good",
            "Car evaluation from six categorical attributes; positive: rated 'very good'.",
            "Bohanec (1988), UCI Car Evaluation, doi:10.24432/C5JP48",
        ),
        DatasetInfo(
            "yeast4",
            1484,
            8,
            51,
            "me2",
            "Yeast protein localisation from eight sequence scores; positive: site ME2.",
            "Nakai (1991), UCI Yeast, doi:10.24432/C5KG68",
        ),
        DatasetInfo(
            "page_blocks0",
            5472,
            10,
            559,
            "non_text",
            "Document page blocks described by ten layout features; positive: not a text block.",
            "Malerba (1995), UCI Page Blocks Classification, doi:10.24432/C5J590",
        ),
    ]
}


def list_datasets() -> list[DatasetInfo]:
    """Every bundled data set, from the smallest to the largest.

    Examples
    --------
    >>> from imbalance.datasets import list_datasets
    >>> [(d.name, round(d.imbalance_ratio, 1)) for d in list_datasets()]
    [('yeast4', 28.1), ('car_vgood', 25.6), ('abalone19', 129.4), ('page_blocks0', 8.8)]
    """
    return sorted(_DATASETS.values(), key=lambda d: d.n_samples)


def _read_rows(name: str) -> tuple[list[str], list[list[str]]]:
    path = resources.files("imbalance.datasets") / "data" / f"{name}.csv.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, list(reader)


def _is_number(values: list[str]) -> bool:
    try:
        np.asarray(values, dtype=np.float64)
    except ValueError:
        return False
    return True


def load_dataset(name: str, *, as_frame: bool = False, return_X_y: bool = False) -> Any:
    """Load a bundled data set by name.

    Parameters
    ----------
    name : str
        One of ``[d.name for d in list_datasets()]``.
    as_frame : bool, default=False
        Return pandas objects (numeric columns as numbers, text columns as ``category``).
        Otherwise numpy: a float array when every feature is numeric, else an object array
        holding numbers and strings.
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : Bunch with ``data``, ``target``, ``frame`` (pandas only), ``feature_names``,
        ``target_name``, ``categorical_features``, ``DESCR`` and ``info``; or ``(X, y)``.
    """
    if name not in _DATASETS:
        raise InvalidParameterError(
            f"name={name!r} is not a bundled data set; choose one of {sorted(_DATASETS)}."
        )
    info = _DATASETS[name]
    header, rows = _read_rows(name)
    columns = list(zip(*rows, strict=True))
    features = header[:-1]
    numeric = [_is_number(list(col)) for col in columns[:-1]]
    y = np.asarray(columns[-1], dtype=np.int64)
    categorical = [f for f, is_num in zip(features, numeric, strict=True) if not is_num]
    if as_frame:
        import pandas as pd

        frame = pd.DataFrame(
            {
                f: pd.to_numeric(pd.Series(col)) if is_num else pd.Series(col, dtype="category")
                for f, col, is_num in zip(features, columns[:-1], numeric, strict=True)
            }
        )
        frame[info.target] = y
        X, target = frame[features], frame[info.target]
    else:
        frame = None
        dtype = np.float64 if all(numeric) else object
        X = np.empty((len(rows), len(features)), dtype=dtype)
        for j, (col, is_num) in enumerate(zip(columns[:-1], numeric, strict=True)):
            X[:, j] = np.asarray(col, dtype=np.float64) if is_num else np.asarray(col, dtype=object)
        target = y
    if return_X_y:
        return X, target
    descr = f"{info.description}\nSource: {info.source}. Licence: {info.licence}."
    return Bunch(
        data=X,
        target=target,
        frame=frame,
        feature_names=features,
        target_name=info.target,
        categorical_features=categorical,
        DESCR=descr,
        info=info,
    )


def load_abalone19(*, as_frame: bool = False, return_X_y: bool = False) -> Any:
    """Abalone, 19 rings against the rest: 4,174 rows, 8 features (one categorical), IR 129.

    Examples
    --------
    >>> from imbalance.datasets import load_abalone19
    >>> X, y = load_abalone19(return_X_y=True)
    >>> X.shape, int(y.sum())
    ((4174, 8), 32)
    """
    return load_dataset("abalone19", as_frame=as_frame, return_X_y=return_X_y)


def load_car_vgood(*, as_frame: bool = False, return_X_y: bool = False) -> Any:
    """Car evaluation, 'very good' against the rest: 1,728 rows, 6 categorical features, IR 25.6.

    Examples
    --------
    >>> from imbalance.datasets import load_car_vgood
    >>> data = load_car_vgood()
    >>> data.categorical_features[:2], int(data.target.sum())
    (['buying', 'maint'], 65)
    """
    return load_dataset("car_vgood", as_frame=as_frame, return_X_y=return_X_y)


def load_yeast4(*, as_frame: bool = False, return_X_y: bool = False) -> Any:
    """Yeast, localisation site ME2 against the rest: 1,484 rows, 8 features, IR 28.1.

    Examples
    --------
    >>> from imbalance.datasets import load_yeast4
    >>> X, y = load_yeast4(return_X_y=True)
    >>> X.dtype, X.shape
    (dtype('float64'), (1484, 8))
    """
    return load_dataset("yeast4", as_frame=as_frame, return_X_y=return_X_y)


def load_page_blocks0(*, as_frame: bool = False, return_X_y: bool = False) -> Any:
    """Page blocks, non-text against text: 5,472 rows, 10 features, IR 8.8.

    Examples
    --------
    >>> from imbalance.datasets import load_page_blocks0
    >>> X, y = load_page_blocks0(return_X_y=True)
    >>> X.shape, int(y.sum())
    ((5472, 10), 559)
    """
    return load_dataset("page_blocks0", as_frame=as_frame, return_X_y=return_X_y)
