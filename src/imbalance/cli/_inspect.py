"""`imbalance inspect`: what is in the target, and what will bite before any model is fitted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["inspect_table"]


def inspect_table(
    X: pd.DataFrame, y: pd.Series, *, cv: int = 5, k_neighbors: int = 5
) -> dict[str, Any]:
    """Class counts, imbalance ratio and warnings for a feature table and its target.

    Warnings: a target with fewer than two classes (nothing to classify: its imbalance ratio is
    ``None``, undefined), a class smaller than ``k_neighbors + 1`` (too small for SMOTE), a class
    with fewer rows than ``cv`` (missing from some validation folds), constant columns, columns
    with missing values, and columns that predict the target almost perfectly on their own (a
    leak).
    """
    counts = y.value_counts().sort_values(ascending=False)
    warnings = []
    if len(counts) < 2:
        held = f"one class ({_plain(counts.index[0])!r})" if len(counts) else "no class"
        warnings.append(
            f"the target holds {held}: there is nothing to balance and no classifier can be "
            "trained. Check --target, and that no filter removed the other classes."
        )
    for label, n in counts.items():
        if n < k_neighbors + 1:
            warnings.append(
                f"class {label!r} has {n} rows: too few for SMOTE with k_neighbors={k_neighbors} "
                f"(needs {k_neighbors + 1}); use RandomOverSampler or a smaller k."
            )
        if n < cv:
            warnings.append(
                f"class {label!r} has {n} rows: it will be missing from some of {cv} folds."
            )
    for column in X.columns:
        col = X[column]
        if col.nunique(dropna=False) <= 1:
            warnings.append(f"column {column!r} is constant: it carries no information.")
            continue
        missing = float(col.isna().mean())
        if missing > 0:
            warnings.append(
                f"column {column!r} has {missing:.1%} missing values (imputed by default)."
            )
        if _separates(col, y):
            warnings.append(
                f"column {column!r} predicts the target almost perfectly on its own: check that it "
                "is not computed from the target (a leak)."
            )
    return {
        "n_rows": len(y),
        "n_features": int(X.shape[1]),
        "class_counts": [[_plain(label), int(n)] for label, n in counts.items()],
        "imbalance_ratio": float(counts.iloc[0] / counts.iloc[-1]) if len(counts) > 1 else None,
        "warnings": warnings,
    }


def _separates(col: Any, y: pd.Series) -> bool:
    """True when each value of the column (or each side of a cut) maps to one class, for 99 %+."""
    frame = col.to_frame("x").assign(y=y.to_numpy()).dropna()
    if len(frame) < 10:
        return False
    if col.dtype.kind in "fiu" and col.nunique() > 20:
        from sklearn.metrics import roc_auc_score

        if frame["y"].nunique() != 2:
            return False
        positive = frame["y"] == frame["y"].value_counts().index[-1]
        auc = roc_auc_score(positive, frame["x"])
        return bool(max(auc, 1 - auc) >= 0.995)
    if col.nunique() > len(frame) / 2:
        return False  # an identifier, not a category
    purity = frame.groupby("x", observed=True)["y"].agg(lambda s: s.value_counts().iloc[0]).sum()
    majority = frame["y"].value_counts().iloc[0]
    return bool(purity / len(frame) >= 0.99 and purity > majority)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value
