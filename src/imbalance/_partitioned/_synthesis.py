"""SMOTE on a gathered class or block: the in-memory SMOTE, engine-neutral (Dask and Spark)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._typing import Label, Sampler

__all__ = ["as_labels", "spare_class", "synthesise"]


def synthesise(
    local: Sampler, X: pd.DataFrame, y: np.ndarray, goals: dict[Any, int], spare: Label
) -> tuple[pd.DataFrame, np.ndarray]:
    """The synthetic rows the in-memory SMOTE ``local`` adds to reach ``goals`` from X's classes.

    SMOTE needs two classes; with one, a copy of the first row labelled ``spare`` (a class that
    does not grow) is added, which changes nothing: each class is synthesised from its own rows.
    """
    labels = as_labels(y)
    if len(goals) == 1:
        X = pd.concat([X, X.iloc[:1]])
        labels = np.concatenate([labels, as_labels(np.array([spare], dtype=object))])
    local = local.set_params(sampling_strategy=goals)
    X_res, y_res = local.fit_resample(X.reset_index(drop=True), labels)
    return X_res.iloc[len(labels) :], np.asarray(y_res)[len(labels) :]


def as_labels(y: np.ndarray) -> np.ndarray:
    """Labels in a dtype numpy can sort (ints stay ints, the rest object)."""
    values = np.asarray(y, dtype=object)
    try:
        return np.asarray(values.tolist())
    except (TypeError, ValueError):
        return values


def spare_class(classes: list[Any], grown: list[Any]) -> Any:
    """A class that does not grow (SMOTE's second class when one class is synthesised)."""
    return next(c for c in classes if c not in grown)
