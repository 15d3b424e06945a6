"""The result of a comparison: plain data, convertible to a DataFrame and to JSON."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ._metrics import HIGHER_IS_BETTER, METRICS

__all__ = ["ComparisonResult", "dumps_json", "recommend"]


def _json_safe(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by None (JSON's null)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def dumps_json(data: Any) -> str:
    """Strict JSON text (RFC 8259): an undefined number (NaN, infinity) becomes ``null``.

    Python's ``json`` writes ``NaN`` and ``Infinity`` by default, which JSON parsers other than
    Python's reject.

    Examples
    --------
    >>> from imbalance.report import dumps_json
    >>> print(dumps_json({"auc": float("nan")}))
    {
      "auc": null
    }
    """
    return json.dumps(_json_safe(data), indent=2, default=str, allow_nan=False)


def write_json(data: dict[str, Any], path: str | Path | None) -> str:
    """Strict JSON text of a result's ``to_dict()``, written to ``path`` when given."""
    text = dumps_json(data)
    if path is not None:
        Path(path).write_text(text)
    return text


def summary_table(summary: dict[str, dict[str, dict[str, float]]]) -> Any:
    """A result's ``summary()`` as a pandas DataFrame: ``<metric>_mean`` / ``_std`` columns."""
    import pandas as pd

    rows = []
    for name, metrics in summary.items():
        row: dict[str, Any] = {"strategy": name}
        for key, stats in metrics.items():
            row[f"{key}_mean"], row[f"{key}_std"] = stats["mean"], stats["std"]
        rows.append(row)
    return pd.DataFrame(rows).set_index("strategy")


@dataclass
class ComparisonResult:
    """Everything a comparison measured; renderers only read it.

    Attributes
    ----------
    dataset : dict
        ``name``, ``n_samples``, ``n_features``, ``class_counts`` (list of [label, count]),
        ``positive_label`` (the rarest class) and ``imbalance_ratio``.
    metric : str
        The metric strategies are ranked by.
    strategies : list of str
        Strategy names, in the order given.
    folds : list of dict
        One record per (strategy, fold): every metric, ``threshold`` (0.5 unless tuned),
        ``fit_seconds``, ``predict_seconds`` and ``confusion`` (the fold's confusion matrix at
        the strategy's threshold: row = true class, column = predicted, in the order of
        ``dataset["class_counts"]``).
    curves : dict
        Per strategy, pooled out-of-fold ``pr`` (precision, recall) and ``calibration``
        (prob_pred, prob_true, with n_rows and n_positives per bin) curves of the positive class.
    settings : dict
        Model, cross-validation and seed used.
    recommendation : dict
        ``strategy`` (a listed strategy) and ``reason``; for two classes and a decision metric
        also ``threshold`` and ``calibration`` (what :class:`~imbalance.auto.
        AutoImbalanceClassifier` would deploy on this data), ``estimator`` (the call) and
        ``scores`` (per strategy, what its selection saw).
    notes : list of str
        Adaptations made so that the comparison runs (SMOTE's k lowered for small folds, a
        strategy left out).
    """

    dataset: dict[str, Any]
    metric: str
    strategies: list[str]
    folds: list[dict[str, Any]]
    curves: dict[str, dict[str, dict[str, list[float]]]]
    settings: dict[str, Any]
    recommendation: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, dict[str, float]]]:
        """Mean and standard deviation over folds of every metric and timing, per strategy."""
        keys = [*METRICS, "threshold", "fit_seconds", "predict_seconds"]
        out: dict[str, dict[str, dict[str, float]]] = {}
        for name in self.strategies:
            rows = [r for r in self.folds if r["strategy"] == name]
            out[name] = {}
            for key in keys:
                values = [float(r[key]) for r in rows]
                mean = sum(values) / len(values)
                var = sum((v - mean) ** 2 for v in values) / max(len(values) - 1, 1)
                out[name][key] = {"mean": mean, "std": math.sqrt(var), "n": float(len(values))}
        return out

    def confusion_matrices(self) -> dict[str, list[list[int]]]:
        """Per strategy, the confusion matrix at its threshold summed over the validation folds
        (every row counted once); strategies whose folds carry none are left out."""
        out: dict[str, list[list[int]]] = {}
        for record in self.folds:
            matrix = record.get("confusion")
            if matrix is None:
                continue
            total = out.setdefault(record["strategy"], [[0] * len(row) for row in matrix])
            for total_row, row in zip(total, matrix, strict=True):
                total_row[:] = [a + int(b) for a, b in zip(total_row, row, strict=True)]
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the summary included), ready for ``json.dumps``."""
        return {"task": "classification", **asdict(self), "summary": self.summary()}

    def to_json(self, path: str | Path | None = None) -> str:
        """The result as strict JSON text (an undefined number is ``null``); written to ``path``
        when given."""
        return write_json(self.to_dict(), path)

    def to_frame(self) -> Any:
        """Per-fold records as a pandas DataFrame (one row per strategy and fold)."""
        import pandas as pd

        return pd.DataFrame(self.folds)

    def summary_frame(self) -> Any:
        """Mean and standard deviation per strategy as a pandas DataFrame."""
        return summary_table(self.summary())


def recommend(result: ComparisonResult) -> dict[str, Any]:
    """The strategy to use, and why.

    The best mean of ``result.metric`` wins, unless other strategies are within one standard
    error of it: then, among those, the one with the lowest Brier score (the best-calibrated
    probabilities) is preferred, and ties go to the strategy listed first.
    """
    summary = result.summary()
    metric, sign = result.metric, 1.0 if HIGHER_IS_BETTER[result.metric] else -1.0
    best = max(result.strategies, key=lambda s: sign * summary[s][metric]["mean"])
    stats = summary[best][metric]
    margin = stats["std"] / math.sqrt(stats["n"])
    close = [
        s
        for s in result.strategies
        if sign * (summary[best][metric]["mean"] - summary[s][metric]["mean"]) <= margin
    ]
    chosen = min(close, key=lambda s: (summary[s]["brier"]["mean"], result.strategies.index(s)))
    m = summary[chosen][metric]
    reason = f"{metric} {m['mean']:.3f} ± {m['std']:.3f} over {int(m['n'])} folds"
    if chosen != best:
        b = summary[best][metric]
        reason += (
            f", within one standard error of the best ({best}: {b['mean']:.3f} ± {b['std']:.3f}), "
            f"with better-calibrated probabilities (Brier {summary[chosen]['brier']['mean']:.4f} "
            f"vs {summary[best]['brier']['mean']:.4f})"
        )
    elif len(close) > 1:
        others = ", ".join(s for s in close if s != chosen)
        reason += f"; {others} within noise but with a higher Brier score"
    else:
        reason += ", ahead of every other strategy by more than one standard error"
    return {"strategy": chosen, "reason": reason + "."}
