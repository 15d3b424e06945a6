"""The result of a regression comparison: plain data, convertible to a DataFrame and to JSON."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ._result import summary_table, write_json

__all__ = ["REGRESSION_METRICS", "RegressionComparisonResult", "recommend_regression"]

# every per-fold number a regression comparison reports; all of them: lower is better
REGRESSION_METRICS = ("sera", "few_mae", "medium_mae", "many_mae", "mae", "rmse")
_TIMINGS = ("fit_seconds", "predict_seconds")


@dataclass
class RegressionComparisonResult:
    """Everything a regression comparison measured; renderers only read it.

    Attributes
    ----------
    dataset : dict
        ``name``, ``n_samples``, ``n_features`` and ``target`` (``min``, ``median``, ``max``,
        ``n_distinct``, ``n_rare``: rows whose relevance on the whole target is 0.5 or more).
    metric : str
        ``"sera"``: strategies are ranked by SERA (lower is better).
    strategies : list of str
        Strategy names, in the order given (strategies left out are not listed).
    folds : list of dict
        One record per (strategy, fold): ``sera``, ``few_mae``, ``medium_mae``, ``many_mae``
        (NaN when the validation fold has no row in that region), ``mae``, ``rmse``, ``n_few``,
        ``n_medium``, ``n_many`` (validation rows per region), ``fit_seconds`` (the model's
        preprocessing included) and ``predict_seconds``.
    plots : dict
        ``target``: histogram of the target (``edges``, ``counts``) and its relevance curve
        (``phi_x``, ``phi_y``, from ``control_points``); ``predictions``: out-of-fold
        predictions of each strategy (``y_true``, ``rare`` and, per strategy, ``pred``) for a subset
        of at most about 1,000 rows (every rare row up to 500, the others evenly spaced over
        the sorted target).
    settings : dict
        Model, cross-validation, seed, how relevance and regions were defined.
    recommendation : dict
        ``strategy``, ``reason``, ``best_sera`` (the strategy with the lowest mean SERA) and
        ``beats_none`` (strategies whose SERA gain over ``"none"``, fold by fold, exceeds its
        standard deviation over folds; empty when no strategy clearly beats it).
    notes : list of str
        Adaptations made so that the comparison runs (a strategy left out, and why).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from imbalance.report import compare_regression_strategies
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(120, 2))
    >>> y = np.exp(X[:, 0])
    >>> result = compare_regression_strategies(
    ...     X, y, model=Ridge(), strategies=["none", "lds"], cv=3
    ... )
    >>> result.summary_frame().columns[:2].tolist(), len(result.folds)
    (['sera_mean', 'sera_std'], 6)
    """

    dataset: dict[str, Any]
    metric: str
    strategies: list[str]
    folds: list[dict[str, Any]]
    plots: dict[str, Any]
    settings: dict[str, Any]
    recommendation: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, dict[str, float]]]:
        """Mean and standard deviation over folds of every metric and timing, per strategy
        (``n``: folds with a value; folds without a row in a region are left out of it)."""
        out: dict[str, dict[str, dict[str, float]]] = {}
        for name in self.strategies:
            rows = [r for r in self.folds if r["strategy"] == name]
            out[name] = {}
            for key in (*REGRESSION_METRICS, *_TIMINGS):
                values = [float(r[key]) for r in rows if math.isfinite(float(r[key]))]
                out[name][key] = _stats(values)
        return out

    def fold_values(self, strategy: str, key: str) -> list[float]:
        """The per-fold values of ``key`` for ``strategy``, in fold order."""
        rows = sorted((r for r in self.folds if r["strategy"] == strategy), key=lambda r: r["fold"])
        return [float(r[key]) for r in rows]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the summary included), ready for ``json.dumps``."""
        return {"task": "regression", **asdict(self), "summary": self.summary()}

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


def _stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {"mean": math.nan, "std": math.nan, "n": 0.0}
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / max(len(values) - 1, 1)
    return {"mean": mean, "std": math.sqrt(var), "n": float(len(values))}


def _clear_gain(result: RegressionComparisonResult, name: str) -> tuple[float, float]:
    """(mean, standard deviation) over folds of ``none``'s SERA minus ``name``'s."""
    gains = [
        a - b
        for a, b in zip(
            result.fold_values("none", "sera"), result.fold_values(name, "sera"), strict=True
        )
    ]
    stats = _stats(gains)
    return stats["mean"], stats["std"]


def recommend_regression(result: RegressionComparisonResult) -> dict[str, Any]:
    """The strategy to use, and why.

    The lowest mean SERA wins, unless other strategies are within one standard error of it
    (its standard deviation over folds / sqrt(folds)): then, among those, the one with the
    lowest mean few-shot MAE is preferred, and ties go to the strategy listed first. A
    strategy *clearly beats* ``"none"`` when its SERA gain over ``"none"`` on the same folds,
    averaged, exceeds the gain's standard deviation over folds; the reason says so when no
    strategy does (the differences may be noise).
    """
    summary = result.summary()
    sera = {s: summary[s]["sera"]["mean"] for s in result.strategies}
    best = min(result.strategies, key=lambda s: (sera[s], result.strategies.index(s)))
    stats = summary[best]["sera"]
    margin = stats["std"] / math.sqrt(stats["n"])
    close = [s for s in result.strategies if sera[s] - sera[best] <= margin]

    def few(s: str) -> float:
        value = summary[s]["few_mae"]["mean"]
        return value if math.isfinite(value) else math.inf

    chosen = min(close, key=lambda s: (few(s), result.strategies.index(s)))
    m = summary[chosen]["sera"]
    reason = f"SERA {m['mean']:.4g} ± {m['std']:.2g} over {int(m['n'])} folds"
    if chosen != best:
        b = summary[best]["sera"]
        reason += (
            f", within one standard error of the lowest ({best}: {b['mean']:.4g}), with a "
            f"lower few-shot MAE ({few(chosen):.4g} vs {few(best):.4g})"
        )
    elif len(close) > 1:
        others = ", ".join(s for s in close if s != chosen)
        reason += f"; {others} within one standard error, with a higher few-shot MAE"
    else:
        reason += ", lower than every other strategy's by more than one standard error"
    beats: list[str] = []
    if "none" in result.strategies:
        for s in result.strategies:
            if s != "none":
                gain, spread = _clear_gain(result, s)
                if gain > spread:
                    beats.append(s)
        if not beats:
            reason += (
                ". No strategy lowers SERA below none's by more than the fold spread (the "
                "standard deviation over folds of the per-fold gain): the differences may be "
                "noise, and none is the simpler choice"
            )
        elif chosen != "none" and chosen not in beats:
            verb = "beats" if len(beats) == 1 else "beat"
            reason += (
                f". Its gain over none is within the fold spread; {', '.join(beats)} clearly "
                f"{verb} none"
            )
        elif chosen in beats:
            gain, spread = _clear_gain(result, chosen)
            reason += f"; it beats none by {gain:.4g} SERA per fold (spread {spread:.2g})"
    return {"strategy": chosen, "reason": reason + ".", "best_sera": best, "beats_none": beats}
