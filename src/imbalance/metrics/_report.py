"""A text (or dict) report of the per-class metrics that matter on imbalanced data."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from sklearn.metrics import precision_recall_fscore_support
from sklearn.utils.multiclass import unique_labels

from .._typing import ArrayLike, Target
from ..exceptions import InvalidParameterError
from ._classification import sensitivity_specificity_support

__all__ = ["classification_report_imbalanced"]

_COLUMNS = ("pre", "rec", "spe", "f1", "geo", "iba")
_TOTAL = "avg / total"


def classification_report_imbalanced(
    y_true: Target,
    y_pred: Target,
    *,
    labels: ArrayLike = None,
    target_names: Any = None,
    sample_weight: ArrayLike = None,
    digits: int = 2,
    alpha: float = 0.1,
    output_dict: bool = False,
    zero_division: Literal["warn"] | float = "warn",
) -> str | dict[str, Any]:
    """Per-class precision, recall, specificity, F1, G-mean, IBA and support, with their average.

    The last row, ``avg / total``, averages every column weighted by support and sums the
    support. ``geo`` is ``sqrt(sensitivity * specificity)`` of the class against the rest and
    ``iba`` its index balanced accuracy ``(1 + alpha * (sens - spec)) * sens * spec``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like, default=None
        Classes to report, in this order; by default every label seen, sorted.
    target_names : list of str, default=None
        Names shown for ``labels``, in the same order.
    sample_weight : array-like of shape (n_samples,), default=None
    digits : int, default=2
        Decimals shown in the text; the dict is not rounded.
    alpha : float, default=0.1
        Weight of the dominance in the IBA.
    output_dict : bool, default=False
        Return ``{name: {"pre": ..., ..., "sup": ...}, "avg_pre": ..., ..., "total_support": n}``.
    zero_division : "warn" or float, default="warn"
        Value of a ratio with a zero denominator (precision of a class never predicted, ...);
        ``"warn"`` means 0.0 and a warning.

    Returns
    -------
    report : str, or dict when ``output_dict``

    Examples
    --------
    >>> from imbalance.metrics import classification_report_imbalanced
    >>> y_true, y_pred = [0, 0, 0, 1, 1], [0, 0, 1, 1, 0]
    >>> report = classification_report_imbalanced(y_true, y_pred, output_dict=True)
    >>> sorted(report["1"])
    ['f1', 'geo', 'iba', 'pre', 'rec', 'spe', 'sup']
    >>> print(classification_report_imbalanced(y_true, y_pred))
                       pre       rec       spe        f1       geo       iba       sup
    <BLANKLINE>
              0       0.67      0.67      0.50      0.67      0.58      0.34         3
              1       0.50      0.50      0.67      0.50      0.58      0.33         2
    <BLANKLINE>
    avg / total       0.60      0.60      0.57      0.60      0.58      0.33         5
    <BLANKLINE>
    """
    if not isinstance(digits, int) or isinstance(digits, bool) or digits < 0:
        raise InvalidParameterError(f"digits={digits!r} must be an int >= 0 (decimals shown).")
    labels = unique_labels(y_true, y_pred) if labels is None else np.asarray(labels)
    names = [str(n) for n in (labels if target_names is None else target_names)]
    if len(names) != len(labels):
        raise InvalidParameterError(
            f"target_names has {len(names)} names for {len(labels)} labels "
            f"({labels.tolist()}); pass one name per label, in the order of labels."
        )
    table, support = _per_class(y_true, y_pred, labels, sample_weight, alpha, zero_division)
    report: dict[str, Any] = {
        name: {key: float(col[i]) for key, col in table.items()} | {"sup": _count(support[i])}
        for i, name in enumerate(names)
    }
    weights = support if support.sum() > 0 else None
    for key, col in table.items():
        report[f"avg_{key}"] = float(np.average(col, weights=weights))
    report["total_support"] = _count(support.sum())
    return report if output_dict else _format(report, names, digits)


def _per_class(
    y_true: Target,
    y_pred: Target,
    labels: np.ndarray,
    sample_weight: ArrayLike,
    alpha: float,
    zero_division: Any,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    pre, rec, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, sample_weight=sample_weight, zero_division=zero_division
    )
    sens, spec, _ = sensitivity_specificity_support(
        y_true, y_pred, labels=labels, sample_weight=sample_weight, zero_division=zero_division
    )
    geo = np.sqrt(sens * spec)
    iba = (1.0 + alpha * (sens - spec)) * sens * spec
    values = (pre, rec, spec, f1, geo, iba)
    return dict(zip(_COLUMNS, values, strict=True)), np.asarray(support)


def _count(value: Any) -> int | float:
    value = float(value)
    return int(value) if value.is_integer() else value


def _format(report: dict[str, Any], names: list[str], digits: int) -> str:
    width = max([len(_TOTAL), digits, *(len(n) for n in names)])
    col = max(9, digits + 3)

    def line(name: str, values: list[str]) -> str:
        return f"{name:>{width}}  " + " ".join(f"{v:>{col}}" for v in values) + "\n"

    def number(value: int | float) -> str:
        return str(value) if isinstance(value, int) else f"{value:.{digits}f}"

    text = line("", [*_COLUMNS, "sup"]) + "\n"
    for name in names:
        row = report[name]
        text += line(name, [f"{row[k]:.{digits}f}" for k in _COLUMNS] + [number(row["sup"])])
    text += "\n"
    averages = [f"{report[f'avg_{k}']:.{digits}f}" for k in _COLUMNS]
    return text + line(_TOTAL, [*averages, number(report["total_support"])])
