"""Real regression data sets with skewed targets, available offline (see data/README.md)."""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from sklearn.utils import Bunch

from ..exceptions import InvalidParameterError

__all__ = ["RegressionDatasetInfo", "list_regression_datasets", "load_regression_dataset"]


@dataclass(frozen=True)
class RegressionDatasetInfo:
    """What a regression data set holds, and where it comes from."""

    name: str
    n_samples: int
    n_features: int
    target: str
    description: str
    source: str
    licence: str


_PD = "public domain (as shipped by statsmodels)"
_DATASETS = {
    d.name: d
    for d in [
        RegressionDatasetInfo(
            "diabetes",
            442,
            10,
            "progression",
            "Disease progression one year after baseline from ten measurements "
            "(scikit-learn's load_diabetes, standardised features).",
            "Efron et al. (2004), Least Angle Regression, Annals of Statistics 32(2)",
            "BSD-3-Clause (scikit-learn)",
        ),
        RegressionDatasetInfo(
            "engel",
            235,
            1,
            "foodexp",
            "Annual food expenditure of Belgian working-class households (1857) from income.",
            "Engel (1857); Koenker & Bassett (1982), Econometrica 50, 43-61",
            _PD,
        ),
        RegressionDatasetInfo(
            "grunfeld",
            220,
            4,
            "invest",
            "Gross investment of 11 US firms, 1935-1954, from market value, capital, firm "
            "(categorical) and year.",
            "Grunfeld (1950); Kleiber & Zeileis (2010), German Economic Review 11(4)",
            _PD,
        ),
        RegressionDatasetInfo(
            "randhie",
            20190,
            9,
            "mdvis",
            "Outpatient visits to a doctor in a year (RAND Health Insurance Experiment) from "
            "insurance plan and health status.",
            "RAND HIE; Cameron & Trivedi (2005), Microeconometrics, Cambridge UP",
            _PD,
        ),
    ]
}


def list_regression_datasets() -> list[RegressionDatasetInfo]:
    """Every regression data set available offline, from the smallest to the largest.

    Examples
    --------
    >>> from imbalance.regression import list_regression_datasets
    >>> [d.name for d in list_regression_datasets()]
    ['grunfeld', 'engel', 'diabetes', 'randhie']
    """
    return sorted(_DATASETS.values(), key=lambda d: d.n_samples)


def load_regression_dataset(name: str, *, as_frame: bool = False, return_X_y: bool = False) -> Any:
    """Load a regression data set by name.

    Parameters
    ----------
    name : str
        One of ``[d.name for d in list_regression_datasets()]``.
    as_frame : bool, default=False
        Return a pandas DataFrame and Series (text columns as ``category``). Otherwise numpy:
        a float array when every feature is numeric, else an object array.
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : Bunch with ``data``, ``target``, ``feature_names``, ``target_name``, ``info``, or
        ``(X, y)`` when ``return_X_y`` is True. The target is float64.

    Examples
    --------
    >>> from imbalance.regression import load_regression_dataset
    >>> X, y = load_regression_dataset("randhie", return_X_y=True)
    >>> X.shape, int(y.max()), float(y.mean()) < float(y.max()) / 10
    ((20190, 9), 77, True)
    """
    if name not in _DATASETS:
        raise InvalidParameterError(
            f"name of load_regression_dataset must be one of {sorted(_DATASETS)}; got {name!r}."
        )
    info = _DATASETS[name]
    if name == "diabetes":
        from sklearn.datasets import load_diabetes

        raw = load_diabetes()
        header = [*raw.feature_names, info.target]
        columns = [raw.data[:, j] for j in range(raw.data.shape[1])]
        target = np.asarray(raw.target, dtype=np.float64)
    else:
        header, rows = _read_rows(name)
        columns = [_column([r[j] for r in rows]) for j in range(len(header) - 1)]
        target = np.asarray([r[-1] for r in rows], dtype=np.float64)
    names = header[:-1]
    if as_frame:
        import pandas as pd

        X: Any = pd.DataFrame(
            {
                n: (pd.Categorical(c) if c.dtype == object else c)
                for n, c in zip(names, columns, strict=True)
            }
        )
        y: Any = pd.Series(target, name=info.target)
    else:
        numeric = all(c.dtype != object for c in columns)
        X = np.column_stack(columns).astype(np.float64 if numeric else object)
        y = target
    if return_X_y:
        return X, y
    return Bunch(data=X, target=y, feature_names=names, target_name=info.target, info=info)


def _read_rows(name: str) -> tuple[list[str], list[list[str]]]:
    path = resources.files("imbalance.regression") / "data" / f"{name}.csv.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, list(reader)


def _column(values: list[str]) -> np.ndarray:
    try:
        return np.asarray(values, dtype=np.float64)
    except ValueError:
        return np.asarray(values, dtype=object)
